import { describe, expect, it } from 'vitest';
import { isBinary, mergeFileSets, mergeText } from './merge.js';

const files = (o: Record<string, string | Buffer>): Map<string, Buffer> =>
  new Map(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : v]));
const text = (m: Map<string, Buffer>, p: string): string | undefined => m.get(p)?.toString('utf8');
const labels = { base: 'template v1', theirs: 'template v2' };

describe('mergeText', () => {
  it('merges non-overlapping edits from both sides', () => {
    const base = 'a\nb\nc\nd\ne\n';
    const ours = 'a\nB-team\nc\nd\ne\n';
    const theirs = 'a\nb\nc\nd\nE-template\n';
    expect(mergeText(ours, base, theirs, labels)).toEqual({ text: 'a\nB-team\nc\nd\nE-template\n', conflict: false, conflictLines: [] });
  });

  it('reports overlapping edits with diff3 markers', () => {
    const r = mergeText('a\nteam\nc\n', 'a\nb\nc\n', 'a\ntemplate\nc\n', labels);
    expect(r.conflict).toBe(true);
    expect(r.text).toBe('a\n<<<<<<< repository\nteam\n||||||| template v1\nb\n=======\ntemplate\n>>>>>>> template v2\nc\n');
  });

  it('treats the same edit on both sides as no conflict', () => {
    expect(mergeText('a\nx\n', 'a\nb\n', 'a\nx\n', labels)).toMatchObject({ text: 'a\nx\n', conflict: false });
  });

  it('ends marker blocks on a line of their own when the last line has no newline', () => {
    const r = mergeText('team', 'base', 'template', labels);
    expect(r.text).toBe('<<<<<<< repository\nteam\n||||||| template v1\nbase\n=======\ntemplate\n>>>>>>> template v2\n');
  });
});

describe('mergeFileSets', () => {
  it('applies every case of the policy table and lists what it did', () => {
    const base = files({
      'untouched.txt': 'one\n',
      'team-edit.txt': 'x\ny\nz\n',
      'both-clean.txt': '1\n2\n3\n4\n5\n',
      'both-overlap.txt': 'port: 8080\n',
      'team-deleted-template-changed.txt': 'v1\n',
      'team-deleted-template-same.txt': 'same\n',
      'template-deleted.txt': 'gone soon\n',
      'template-deleted-team-edited.txt': 'old\n',
    });
    const ours = files({
      'untouched.txt': 'one\n',
      'team-edit.txt': 'x\nY by team\nz\n',
      'both-clean.txt': '1 team\n2\n3\n4\n5\n',
      'both-overlap.txt': 'port: 9090\n',
      'template-deleted.txt': 'gone soon\n',
      'template-deleted-team-edited.txt': 'old, edited\n',
      'team-own.txt': 'mine\n',
    });
    const theirs = files({
      'untouched.txt': 'one\ntwo\n',
      'team-edit.txt': 'x\ny\nz\n',
      'both-clean.txt': '1\n2\n3\n4\n5 template\n',
      'both-overlap.txt': 'port: 8081\n',
      'team-deleted-template-changed.txt': 'v2\n',
      'team-deleted-template-same.txt': 'same\n',
      'added.txt': 'new file\n',
    });

    const out = mergeFileSets({ base, ours, theirs, labels });

    expect(out.changes).toEqual([
      { path: 'added.txt', outcome: 'added' },
      { path: 'both-clean.txt', outcome: 'merged' },
      { path: 'both-overlap.txt', outcome: 'conflict', reason: 'overlapping changes near line 1 of the old version' },
      { path: 'team-deleted-template-changed.txt', outcome: 'conflict', reason: 'deleted in the repository, changed by the template' },
      { path: 'template-deleted-team-edited.txt', outcome: 'conflict', reason: 'changed in the repository, deleted by the template' },
      { path: 'template-deleted.txt', outcome: 'deleted' },
      { path: 'untouched.txt', outcome: 'updated' },
    ]);
    expect(out.conflicts).toEqual(['both-overlap.txt', 'team-deleted-template-changed.txt', 'template-deleted-team-edited.txt']);
    expect(out.deletes).toEqual(['template-deleted.txt']);
    expect(text(out.writes, 'added.txt')).toBe('new file\n');
    expect(text(out.writes, 'both-clean.txt')).toBe('1 team\n2\n3\n4\n5 template\n');
    expect(text(out.writes, 'untouched.txt')).toBe('one\ntwo\n');
    expect(text(out.writes, 'both-overlap.txt')).toBe(
      '<<<<<<< repository\nport: 9090\n||||||| template v1\nport: 8080\n=======\nport: 8081\n>>>>>>> template v2\n',
    );
    // the team deleted it and the template changed it: the new version comes back so the change is visible
    expect(text(out.writes, 'team-deleted-template-changed.txt')).toBe('v2\n');
    // the team's edit stays while the template deletes it
    expect(out.writes.has('template-deleted-team-edited.txt')).toBe(false);
    // not touched: the team's own edit of a file the template left alone, files the team deleted and the template
    // kept as it was, and the team's own files
    for (const p of ['team-edit.txt', 'team-deleted-template-same.txt', 'team-own.txt']) {
      expect(out.writes.has(p) || out.deletes.includes(p)).toBe(false);
    }
  });

  it('treats a binary file changed on both sides as a conflict and keeps the repository version', () => {
    const png = (n: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, n]);
    const out = mergeFileSets({ base: files({ 'logo.png': png(1) }), ours: files({ 'logo.png': png(2) }), theirs: files({ 'logo.png': png(3) }) });
    expect(out.changes).toEqual([{ path: 'logo.png', outcome: 'conflict', reason: 'binary file changed on both sides' }]);
    expect(out.writes.size).toBe(0);
  });

  it('takes a new binary version when the team did not change it', () => {
    const png = (n: number) => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, n]);
    const out = mergeFileSets({ base: files({ 'logo.png': png(1) }), ours: files({ 'logo.png': png(1) }), theirs: files({ 'logo.png': png(3) }) });
    expect(out.changes).toEqual([{ path: 'logo.png', outcome: 'updated' }]);
    expect(out.writes.get('logo.png')).toEqual(png(3));
  });

  it('reports a file both added with different content as a conflict', () => {
    const out = mergeFileSets({ base: files({}), ours: files({ 'NOTES.md': 'team\n' }), theirs: files({ 'NOTES.md': 'template\n' }) });
    expect(out.conflicts).toEqual(['NOTES.md']);
    expect(out.changes[0]?.reason).toBe('added by both with different content');
  });
});

describe('isBinary', () => {
  it('looks for a NUL byte like git', () => {
    expect(isBinary(Buffer.from('plain text\n'))).toBe(false);
    expect(isBinary(Buffer.from([0x41, 0x00, 0x42]))).toBe(true);
  });
});
