/**
 * The template version store: snapshots of a template's files, content-addressed (blobs by sha256), numbered per
 * template in the order first seen. Contract: `VersionStore` in ./types.ts.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../../core/db/index.js';
import { TarmacError } from '../../core/errors.js';
import { templateFilesFromContents } from '../engine/index.js';
import type { TemplateEntity, TemplateFiles } from '../types.js';
import { DEFAULT_VERSION_LIMITS, type TemplateVersion, type VersionLimits, type VersionStore } from './types.js';
import { computeVersionId, contentHash, type SnapshotFile } from './version-id.js';

// Advisory-lock namespace for numbering versions (key 2 = hashtext(templateRef)); any constant unique to Tarmac.
const NUMBERING_LOCK = 727_002;

interface VersionRow {
  template_ref: string;
  version: string;
  number: number;
  source: TemplateVersion['source'];
  content_hash: string;
  file_count: number;
  total_bytes: number | string;
  created_at: Date | string;
}

const COLUMNS = 'template_ref, version, number, source, content_hash, file_count, total_bytes, created_at';

function fromRow(r: VersionRow): TemplateVersion {
  return {
    templateRef: r.template_ref,
    version: r.version,
    number: Number(r.number),
    source: r.source,
    contentHash: r.content_hash,
    fileCount: Number(r.file_count),
    totalBytes: Number(r.total_bytes),
    createdAt: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
  };
}

/** Reads every file of a template, refusing more than the limits allow (checked while reading). */
async function snapshot(files: TemplateFiles, limits: VersionLimits, templateRef: string): Promise<SnapshotFile[]> {
  const paths = (await files.list('')).sort();
  if (paths.length > limits.maxFiles) {
    throw new TarmacError('PAYLOAD_TOO_LARGE', `${templateRef} has ${paths.length} files, more than the ${limits.maxFiles} a version may hold`);
  }
  const out: SnapshotFile[] = [];
  let total = 0;
  for (const p of paths) {
    const bytes = await files.read(p);
    total += bytes.length;
    if (total > limits.maxTotalBytes) {
      throw new TarmacError('PAYLOAD_TOO_LARGE', `${templateRef}'s files exceed ${limits.maxTotalBytes} bytes, the most a version may hold`);
    }
    out.push({ path: p, bytes });
  }
  return out;
}

async function insertSnapshot(
  tx: Queryable,
  templateRef: string,
  entity: TemplateEntity,
  id: { version: string; source: TemplateVersion['source'] },
  hash: string,
  files: SnapshotFile[],
): Promise<number> {
  const [{ next }] = await tx.query<{ next: number }>(
    'SELECT COALESCE(MAX(number), 0) + 1 AS next FROM scaffolder_template_versions WHERE template_ref = $1',
    [templateRef],
  ) as [{ next: number }];
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  await tx.query(
    `INSERT INTO scaffolder_template_versions (template_ref, version, number, source, content_hash, entity, file_count, total_bytes)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
    [templateRef, id.version, Number(next), id.source, hash, JSON.stringify(entity), files.length, total],
  );
  // One multi-row INSERT per table (arrays zipped by `unnest`), whatever the file count. Blobs are de-duplicated
  // first: two files with the same bytes share one blob row.
  const shas = files.map((f) => createHash('sha256').update(f.bytes).digest('hex'));
  const blobs = new Map<string, Buffer>();
  files.forEach((f, i) => blobs.set(shas[i] as string, f.bytes));
  if (files.length > 0) {
    await tx.query(
      `INSERT INTO scaffolder_blobs (sha256, size, content_base64)
       SELECT * FROM unnest($1::text[], $2::integer[], $3::text[]) ON CONFLICT (sha256) DO NOTHING`,
      [[...blobs.keys()], [...blobs.values()].map((b) => b.length), [...blobs.values()].map((b) => b.toString('base64'))],
    );
    await tx.query(
      `INSERT INTO scaffolder_template_files (template_ref, version, path, sha256)
       SELECT $1::text, $2::text, * FROM unnest($3::text[], $4::text[])`,
      [templateRef, id.version, files.map((f) => f.path), shas],
    );
  }
  return Number(next);
}

/**
 * Builds the version store on a migrated database (`versionMigrations`).
 * @param opts.limits snapshot limits (default `DEFAULT_VERSION_LIMITS`)
 */
export function createVersionStore(db: Database, opts: { limits?: VersionLimits } = {}): VersionStore {
  const limits = opts.limits ?? DEFAULT_VERSION_LIMITS;
  const find = async (templateRef: string, version: string): Promise<TemplateVersion | undefined> => {
    const rows = await db.query<VersionRow>(`SELECT ${COLUMNS} FROM scaffolder_template_versions WHERE template_ref = $1 AND version = $2`, [
      templateRef.toLowerCase(),
      version,
    ]);
    return rows[0] ? fromRow(rows[0]) : undefined;
  };
  const record = async (templateRefIn: string, entity: TemplateEntity, files: TemplateFiles, dir?: string) => {
    const templateRef = templateRefIn.toLowerCase();
    const snap = await snapshot(files, limits, templateRef);
    const hash = contentHash(snap);
    const computed = await computeVersionId(entity, hash, dir);
    return db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [NUMBERING_LOCK, templateRef]);
      const same = await tx.query<{ version: string; number: number }>(
        'SELECT version, number FROM scaffolder_template_versions WHERE template_ref = $1 AND content_hash = $2 ORDER BY number LIMIT 1',
        [templateRef, hash],
      );
      if (same[0]) return { version: same[0].version, number: Number(same[0].number) };
      let id = computed;
      const taken = await tx.query('SELECT 1 FROM scaffolder_template_versions WHERE template_ref = $1 AND version = $2', [templateRef, id.version]);
      // Same id, different content (an annotation not bumped): keep both apart rather than lose one.
      if (taken.length > 0) id = { ...id, version: `${id.version}+${hash.slice(0, 8)}` };
      const number = await insertSnapshot(tx, templateRef, entity, id, hash, snap);
      return { version: id.version, number };
    });
  };
  return {
    record,
    find,
    async get(templateRefIn, version) {
      const templateRef = templateRefIn.toLowerCase();
      const rows = await db.query<{ entity: TemplateEntity | string }>(
        'SELECT entity FROM scaffolder_template_versions WHERE template_ref = $1 AND version = $2',
        [templateRef, version],
      );
      if (!rows[0]) throw new TarmacError('NOT_FOUND', `version ${version} of ${templateRef} is not recorded`);
      const entity = typeof rows[0].entity === 'string' ? (JSON.parse(rows[0].entity) as TemplateEntity) : rows[0].entity;
      const items = await db.query<{ path: string; content_base64: string }>(
        `SELECT f.path, b.content_base64 FROM scaffolder_template_files f JOIN scaffolder_blobs b ON b.sha256 = f.sha256
          WHERE f.template_ref = $1 AND f.version = $2 ORDER BY f.path`,
        [templateRef, version],
      );
      return { entity, files: templateFilesFromContents(items.map((i) => ({ path: i.path, base64Content: i.content_base64 }))) };
    },
    async list(templateRef) {
      const rows = await db.query<VersionRow>(`SELECT ${COLUMNS} FROM scaffolder_template_versions WHERE template_ref = $1 ORDER BY number`, [
        templateRef.toLowerCase(),
      ]);
      return rows.map(fromRow);
    },
    async latestOf(templateRefs) {
      const refs = [...new Set(templateRefs.map((r) => r.toLowerCase()))];
      const out = new Map<string, TemplateVersion>();
      if (refs.length === 0) return out;
      const rows = await db.query<VersionRow>(
        `SELECT DISTINCT ON (template_ref) ${COLUMNS} FROM scaffolder_template_versions
          WHERE template_ref = ANY($1::text[]) ORDER BY template_ref, number DESC`,
        [refs],
      );
      for (const r of rows) out.set(r.template_ref, fromRow(r));
      return out;
    },
    async latest(templateRef) {
      const rows = await db.query<VersionRow>(
        `SELECT ${COLUMNS} FROM scaffolder_template_versions WHERE template_ref = $1 ORDER BY number DESC LIMIT 1`,
        [templateRef.toLowerCase()],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
  };
}
