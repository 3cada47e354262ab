/**
 * The three-way merge of a template upgrade, file by file (pure: bytes in, bytes out).
 * base = the old version rendered with the recorded answers, ours = the repository, theirs = the new version
 * rendered with the same answers. Line merges use node-diff3 (Khanna–Kunal–Pierce diff3). The policy for every
 * case is the table in docs/upgrades.md; overlapping changes are conflicts, never overwritten.
 */
import { diff3Merge } from 'node-diff3';
import type { FileChange } from './types.js';

/** The three file sets, path → bytes (POSIX paths relative to the repository root). */
export interface MergeInput {
  base: ReadonlyMap<string, Buffer>;
  ours: ReadonlyMap<string, Buffer>;
  theirs: ReadonlyMap<string, Buffer>;
  /** Marker labels, e.g. `template v1` / `template v2`. */
  labels?: { base?: string; theirs?: string };
}

/** What to do to the repository. */
export interface MergeOutput {
  /** Files to write (added, updated, merged, and conflicts as the repository should show them). */
  writes: Map<string, Buffer>;
  /** Files to delete. */
  deletes: string[];
  /** Every file touched, sorted by path. */
  changes: FileChange[];
  /** Conflicted paths, sorted. */
  conflicts: string[];
}

/** True when bytes look binary: a NUL in the first 8 000 bytes (git's own heuristic in `buffer_is_binary`). */
export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** Splits text into lines that keep their line ending, so joining them gives the text back exactly. */
function lines(text: string): string[] {
  return text.length === 0 ? [] : text.split(/(?<=\n)/);
}

const withNewline = (chunk: string[]): string => {
  const s = chunk.join('');
  return s.length === 0 || s.endsWith('\n') ? s : `${s}\n`;
};

/**
 * Line-based three-way merge of one text file.
 * @returns the merged text and whether it has conflicts; a conflict is written with diff3-style markers
 *   (`<<<<<<< repository`, `||||||| <base label>`, `=======`, `>>>>>>> <theirs label>`).
 */
export function mergeText(
  ours: string,
  base: string,
  theirs: string,
  labels: { base: string; theirs: string },
): { text: string; conflict: boolean; conflictLines: number[] } {
  const regions = diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true });
  let text = '';
  let conflict = false;
  const conflictLines: number[] = [];
  for (const region of regions) {
    const c = region.conflict;
    if (!c) {
      text += (region.ok ?? []).join('');
      continue;
    }
    conflict = true;
    conflictLines.push(c.oIndex + 1);
    text += `<<<<<<< repository\n${withNewline(c.a)}||||||| ${labels.base}\n${withNewline(c.o)}=======\n${withNewline(c.b)}>>>>>>> ${labels.theirs}\n`;
  }
  return { text, conflict, conflictLines };
}

/**
 * Merges every path present in any of the three sets. Paths only in `ours` (the team's own files) are not touched.
 * One file's conflict never stops the others from merging.
 */
export function mergeFileSets(input: MergeInput): MergeOutput {
  const labels = { base: input.labels?.base ?? 'template (old)', theirs: input.labels?.theirs ?? 'template (new)' };
  const out: MergeOutput = { writes: new Map(), deletes: [], changes: [], conflicts: [] };
  const paths = [...new Set([...input.base.keys(), ...input.theirs.keys()])].sort();
  const conflictAt = (path: string, reason: string, write?: Buffer): void => {
    out.changes.push({ path, outcome: 'conflict', reason });
    out.conflicts.push(path);
    if (write) out.writes.set(path, write);
  };
  for (const path of paths) {
    const b = input.base.get(path);
    const o = input.ours.get(path);
    const t = input.theirs.get(path);
    const same = (x?: Buffer, y?: Buffer): boolean => (x === undefined ? y === undefined : y !== undefined && x.equals(y));
    if (same(o, t)) continue; // already what the new version has (both absent, or identical)
    if (same(b, t)) continue; // the template did not change it: the team's version stays
    if (same(o, b)) {
      // the team did not change it: take the new version
      if (t === undefined) {
        out.deletes.push(path);
        out.changes.push({ path, outcome: 'deleted' });
      } else {
        out.writes.set(path, t);
        out.changes.push({ path, outcome: b === undefined ? 'added' : 'updated' });
      }
      continue;
    }
    // Both sides changed it, differently.
    if (o === undefined) {
      conflictAt(path, 'deleted in the repository, changed by the template', t);
      continue;
    }
    if (t === undefined) {
      conflictAt(path, 'changed in the repository, deleted by the template');
      continue;
    }
    if (isBinary(o) || isBinary(t) || (b !== undefined && isBinary(b))) {
      conflictAt(path, b === undefined ? 'binary file added by both with different content' : 'binary file changed on both sides');
      continue;
    }
    const merged = mergeText(o.toString('utf8'), b?.toString('utf8') ?? '', t.toString('utf8'), labels);
    if (merged.conflict) {
      const where = b === undefined ? 'added by both with different content' : `overlapping changes near line ${merged.conflictLines.join(', ')} of the old version`;
      conflictAt(path, where, Buffer.from(merged.text, 'utf8'));
    } else {
      out.writes.set(path, Buffer.from(merged.text, 'utf8'));
      out.changes.push({ path, outcome: 'merged' });
    }
  }
  return out;
}
