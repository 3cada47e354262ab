import { ChainChecker, type BreakReason } from './chain.js';
import type { AuditEvent } from './event.js';

/** Value of `format` in an export's header line. */
export const EXPORT_FORMAT = 'tarmac-audit-export/1';

/**
 * First line of an export. `anchor` ties the file to the live chain: `prevHash` is the hash of the event just
 * before the first exported one (the genesis hash when that is seq 1), `firstSeq` the first exported seq; both
 * null when the range holds no event. `from`/`to` echo the requested time range (ISO, null when open).
 */
export interface ExportHeader {
  type: 'header';
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  from: string | null;
  to: string | null;
  anchor: { prevHash: string | null; firstSeq: number | null };
}

/** Last line of an export: how many events it holds and the hash of the last one (null when empty). */
export interface ExportFooter {
  type: 'footer';
  count: number;
  lastSeq: number | null;
  lastHash: string | null;
}

/** Why an export file does not verify: a chain break, or a problem with the file itself. */
export type ExportBreakReason = BreakReason | 'malformed-line' | 'missing-header' | 'missing-footer' | 'footer-mismatch';

/** Result of `verifyExport`. `line` is 1-based; `seq`/`id` are set when the problem is at an event. */
export interface ExportVerifyResult {
  ok: boolean;
  /** Events checked. */
  checked: number;
  firstBroken?: { line: number; reason: ExportBreakReason; message: string; seq?: number; id?: string };
  /** The header's anchor and the footer's last hash, for comparing with the live chain. */
  anchor?: ExportHeader['anchor'];
  lastHash?: string | null;
}

const isEvent = (v: Record<string, unknown>): boolean =>
  typeof v.seq === 'number' && typeof v.id === 'string' && typeof v.hash === 'string' && typeof v.prevHash === 'string';

/**
 * Verifies an export on its own (no database): the header comes first, every event line links to the previous one
 * (the first to the header's anchor) and hashes to its `hash`, and the footer's count and last hash agree.
 * Blank lines are ignored. Reads the lines one at a time (constant memory).
 * @param lines the file's lines, without or with their trailing newline
 */
export async function verifyExport(lines: AsyncIterable<string> | Iterable<string>): Promise<ExportVerifyResult> {
  let lineNo = 0;
  let header: ExportHeader | undefined;
  let footer: ExportFooter | undefined;
  let checker: ChainChecker | undefined;
  const fail = (reason: ExportBreakReason, message: string, at?: AuditEvent): ExportVerifyResult => ({
    ok: false,
    checked: checker?.checked ?? 0,
    firstBroken: { line: lineNo, reason, message, ...(at ? { seq: at.seq, id: at.id } : {}) },
    anchor: header?.anchor,
  });
  for await (const raw of lines) {
    lineNo++;
    const text = raw.trim();
    if (!text) continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(text) as Record<string, unknown>;
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    } catch (err) {
      return fail('malformed-line', `line ${lineNo} is not a JSON object: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (footer) return fail('malformed-line', `line ${lineNo} follows the footer`);
    if (!header) {
      if (value.type !== 'header' || value.format !== EXPORT_FORMAT) return fail('missing-header', `line ${lineNo} is not a ${EXPORT_FORMAT} header`);
      header = value as unknown as ExportHeader;
      const firstSeq = header.anchor?.firstSeq ?? 1;
      checker = new ChainChecker({ seq: firstSeq, prevHash: header.anchor?.prevHash ?? undefined });
      continue;
    }
    if (value.type === 'footer') {
      footer = value as unknown as ExportFooter;
      continue;
    }
    if (!isEvent(value)) return fail('malformed-line', `line ${lineNo} is neither an event nor the footer`);
    const event = value as unknown as AuditEvent;
    const broken = checker?.check(event);
    if (broken) return fail(broken.reason, broken.message, event);
  }
  if (!header) return fail('missing-header', 'the file holds no header line');
  if (!footer) return fail('missing-footer', 'the file ends without a footer line (cut short?)');
  const checked = checker?.checked ?? 0;
  const lastHash = checker?.last?.hash ?? null;
  if (footer.count !== checked || footer.lastHash !== lastHash) {
    return fail('footer-mismatch', `footer says ${footer.count} events ending in ${footer.lastHash}, file holds ${checked} ending in ${lastHash}`);
  }
  return { ok: true, checked, anchor: header.anchor, lastHash };
}
