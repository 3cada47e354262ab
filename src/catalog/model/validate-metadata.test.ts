// metadata rules (tags, labels, annotations, links, title, description), from Backstage catalog-model
// FieldFormatEntityPolicy and EntityMeta.schema.json, and shared/notes/backstage-reference.md §4(c).
import { describe, expect, it } from 'vitest';
import { validateEntity, type ValidationIssue } from './validate.js';

/** A valid Component with `metadata` fields added. */
function component(metadata: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'artist-lookup', ...metadata },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

function issuesOf(raw: unknown): ValidationIssue[] {
  const result = validateEntity(raw);
  return result.ok ? [] : result.issues;
}
const pathsOf = (raw: unknown): string[] => issuesOf(raw).map((i) => i.path);

describe('validateEntity: tags, labels, annotations, links, title', () => {
  it('accepts Backstage-valid tags, including ":", "+", "#"', () => {
    expect(issuesOf(component({ tags: ['java', 'c++', 'c#', 'k8s:prod', 'a-b-c', 'a'.repeat(63)] }))).toEqual([]);
  });

  it('rejects each bad tag with its index', () => {
    const tags = ['java', 'Java', 'go 1.15', 'a--b', '-a', 'a'.repeat(64), 7];
    expect(pathsOf(component({ tags }))).toEqual([
      'metadata.tags[1]',
      'metadata.tags[2]',
      'metadata.tags[3]',
      'metadata.tags[4]',
      'metadata.tags[5]',
      'metadata.tags[6]',
    ]);
    expect(issuesOf(component({ tags: ['go 1.15'] }))[0]?.message).toBe(
      'metadata.tags[0] "go 1.15" must match ^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$ (1–63 characters)',
    );
  });

  it('checks label keys ([dns-subdomain/]name) and values (empty or a name)', () => {
    const ok = { 'backstage.io/custom': 'ValueStuff', plain: '', 'a.b/c_d': 'x.y' };
    expect(issuesOf(component({ labels: ok }))).toEqual([]);
    const bad = { 'bad key': 'v', 'a/b/c': 'v', 'Example.com/x': 'v', good: 'bad value', n: 3 };
    expect(pathsOf(component({ labels: bad }))).toEqual([
      'metadata.labels.bad key',
      'metadata.labels.a/b/c',
      'metadata.labels.Example.com/x',
      'metadata.labels.good',
      'metadata.labels.n',
    ]);
  });

  it('accepts any string as an annotation value, but not other types', () => {
    const long = 'x'.repeat(6000);
    expect(issuesOf(component({ annotations: { 'backstage.io/techdocs-ref': 'dir:.', note: long, e: '' } }))).toEqual([]);
    expect(pathsOf(component({ annotations: { 'bad key': 'v', n: 1 } }))).toEqual([
      'metadata.annotations.bad key',
      'metadata.annotations.n',
    ]);
  });

  it('checks links: url parses with new URL(), title/icon/type non-empty', () => {
    const links = [
      { url: 'https://example.com/user', title: 'Users', icon: 'user', type: 'docs' },
      { url: 'not a url', title: '' },
      { title: 'no url', icon: '' },
      'https://example.com',
    ];
    expect(issuesOf(component({ links }))).toEqual([
      { path: 'metadata.links[1].url', message: 'metadata.links[1].url "not a url" must be a valid absolute URL (as accepted by new URL())' },
      { path: 'metadata.links[1].title', message: 'metadata.links[1].title must not be empty' },
      { path: 'metadata.links[2].url', message: 'metadata.links[2].url is required' },
      { path: 'metadata.links[2].icon', message: 'metadata.links[2].icon must not be empty' },
      { path: 'metadata.links[3]', message: 'metadata.links[3] must be an object with a url, got string' },
    ]);
  });

  it('wants title non-empty and description a string', () => {
    expect(pathsOf(component({ title: '', description: 5 }))).toEqual(['metadata.title', 'metadata.description']);
    expect(issuesOf(component({ title: 'Artist Lookup', description: '' }))).toEqual([]);
  });

  it('wants labels/annotations objects and tags/links arrays', () => {
    expect(pathsOf(component({ labels: [], annotations: 'x', tags: 'java', links: {} }))).toEqual([
      'metadata.labels',
      'metadata.annotations',
      'metadata.tags',
      'metadata.links',
    ]);
  });
});
