import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import type { LocationReadResult, ProcessedEntity } from '../storage/types.js';
import { processLocation } from './process-location.js';
import { createReaders } from './readers/index.js';

/**
 * The Backstage example catalog from ../shared (read-only, never copied). Expected values were worked out by reading
 * the YAML files and /work/shared/README.md, not by running Tarmac.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const EXAMPLES = path.resolve(here, '../../../../shared/catalogs/backstage-examples');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tarmac-examples-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const readers = createReaders({ reading: defaultConfig().catalog.reading, dataDir }); // allow: [] — no host

function countByKind(result: LocationReadResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of result.entities) counts[e.entity.kind] = (counts[e.entity.kind] ?? 0) + 1;
  return counts;
}
function byRef(result: LocationReadResult, ref: string): ProcessedEntity {
  const found = result.entities.find((e) => e.ref === ref);
  if (!found) throw new Error(`no ${ref}`);
  return found;
}
/** The relations an entity's own spec produces, as `type target` strings (outgoing direction only). */
function outgoing(e: ProcessedEntity): string[] {
  return e.relations.filter((r) => r.sourceRef === e.ref).map((r) => `${r.type} ${r.targetRef}`).sort();
}

describe('backstage-examples all.yaml', async () => {
  const root = path.join(EXAMPLES, 'all.yaml');
  const { result, rootFailed, files } = await processLocation({ type: 'file', target: root }, { readers });

  it('emits every entity reached from all.yaml, by kind (README: 36)', () => {
    expect(countByKind(result)).toEqual({ Location: 6, API: 10, Component: 13, Domain: 3, Resource: 1, System: 3 });
    expect(result.entities).toHaveLength(36);
    expect(rootFailed).toBe(false);
    expect(files).toBe(36); // every entity here is alone in its file
    expect(result.failedFiles).toEqual([]);
    expect(result.invalidRefs).toEqual([]);
  });

  it('reports only the three remote $text placeholders, each on its entity, without fetching', () => {
    expect(result.errors).toEqual([]);
    const withErrors = result.entities.filter((e) => e.errors.length > 0);
    expect(withErrors.map((e) => e.ref).sort()).toEqual(['api:default/spotify', 'api:default/wayback-archive', 'api:default/wayback-search']);
    const spotify = byRef(result, 'api:default/spotify');
    expect(spotify.errors).toEqual([
      {
        code: 'placeholder',
        message:
          'spec.definition: $text: could not read "https://github.com/APIs-guru/openapi-directory/blob/dab6854d4d599aafb0eb36e6c7ae1fe0c37509b7/APIs/spotify.com/2021.4.2/openapi.yaml": host github.com is not in catalog.reading.allow',
        fieldPath: 'spec.definition',
        sourceFile: `file:${path.join(EXAMPLES, 'apis/spotify-api.yaml')}`,
        line: 16, // `definition:` (its value is the placeholder mapping)
        col: 3,
        entityRef: 'api:default/spotify',
      },
    ]);
    // shown with its error: the placeholder stays as written, owner and relations stay
    expect(spotify.entity.spec?.definition).toEqual({
      $text: 'https://github.com/APIs-guru/openapi-directory/blob/dab6854d4d599aafb0eb36e6c7ae1fe0c37509b7/APIs/spotify.com/2021.4.2/openapi.yaml',
    });
    expect(outgoing(spotify)).toEqual(['ownedBy group:default/team-a']);
  });

  it('resolves petstore-webhook $text ./petstore-webhook.oas.yaml relative to its file', () => {
    const api = byRef(result, 'api:default/petstore-webhook');
    const file = readFileSync(path.join(EXAMPLES, 'apis/petstore-webhook.oas.yaml'), 'utf8');
    expect(api.errors).toEqual([]);
    expect(typeof api.entity.spec?.definition).toBe('string');
    expect(String(api.entity.spec?.definition).startsWith('openapi: 3.1.0\ninfo:\n  title: Webhook Example')).toBe(true);
    expect(api.entity.spec?.definition).toBe(file);
  });

  it('sets managed-by-location to the file and managed-by-origin-location to the root', () => {
    const api = byRef(result, 'api:default/petstore-webhook');
    expect(api.entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `file:${path.join(EXAMPLES, 'apis/petstore-webhook-api.yaml')}`,
      'backstage.io/managed-by-origin-location': `file:${root}`,
    });
    expect(api.source.file).toBe(`file:${path.join(EXAMPLES, 'apis/petstore-webhook-api.yaml')}`);
    expect(api.source.line).toBe(1);
    const loc = byRef(result, 'location:default/example-apis');
    expect(loc.entity.metadata.annotations?.['backstage.io/managed-by-location']).toBe(`file:${path.join(EXAMPLES, 'all-apis.yaml')}`);
    expect(byRef(result, 'location:default/example-all').source.file).toBe(`file:${root}`);
  });

  it('computes the relations of named entities', () => {
    expect(outgoing(byRef(result, 'component:default/petstore'))).toEqual([
      'ownedBy group:default/team-c',
      'providesApi api:default/hello-world',
      'providesApi api:default/petstore',
      'providesApi api:default/streetlights',
    ]);
    expect(outgoing(byRef(result, 'component:default/artist-lookup'))).toEqual([
      'dependsOn resource:default/artists-db',
      'ownedBy group:default/team-a',
      'partOf system:default/artist-engagement-portal',
    ]);
    expect(outgoing(byRef(result, 'component:default/wayback-search'))).toEqual([
      'consumesApi api:default/wayback-archive',
      'ownedBy group:default/team-a',
      'providesApi api:default/wayback-search',
    ]);
    expect(outgoing(byRef(result, 'component:default/wayback-archive-ingestion'))).toEqual([
      'ownedBy group:default/team-d',
      'partOf component:default/wayback-archive',
    ]);
    expect(outgoing(byRef(result, 'component:default/playback-order'))).toEqual([
      'ownedBy user:default/guest',
      'partOf system:default/audio-playback',
    ]);
    expect(outgoing(byRef(result, 'domain:default/artists'))).toEqual(['ownedBy group:default/team-a', 'partOf domain:default/audio']);
    expect(outgoing(byRef(result, 'domain:default/playback'))).toEqual(['ownedBy user:default/frank.tiernan']);
    expect(outgoing(byRef(result, 'system:default/podcast'))).toEqual(['ownedBy group:default/team-b', 'partOf domain:default/playback']);
    expect(outgoing(byRef(result, 'resource:default/artists-db'))).toEqual([
      'ownedBy group:default/team-a',
      'partOf system:default/artist-engagement-portal',
    ]);
    // inverse rows come with the entity that produced them
    expect(byRef(result, 'component:default/petstore').relations).toContainEqual({
      sourceRef: 'api:default/streetlights',
      type: 'apiProvidedBy',
      targetRef: 'component:default/petstore',
    });
    expect(outgoing(byRef(result, 'location:default/example-all'))).toEqual([]);
  });
});

describe('backstage-examples acme-corp.yaml', async () => {
  const { result } = await processLocation({ type: 'file', target: path.join(EXAMPLES, 'acme-corp.yaml') }, { readers });

  it('emits every entity reached from acme-corp.yaml, by kind (README: 27)', () => {
    expect(countByKind(result)).toEqual({ Location: 2, Group: 8, User: 17 });
    expect(result.errors).toEqual([]);
    expect(result.entities.every((e) => e.errors.length === 0)).toBe(true);
  });

  it('keeps the two guests apart by namespace, and computes group and membership relations', () => {
    expect(outgoing(byRef(result, 'user:default/guest'))).toEqual(['memberOf group:default/team-a']);
    expect(outgoing(byRef(result, 'user:development/guest'))).toEqual(['memberOf group:default/team-a']);
    expect(outgoing(byRef(result, 'group:default/backstage'))).toEqual([
      'childOf group:default/infrastructure',
      'parentOf group:default/team-a',
      'parentOf group:default/team-b',
    ]);
    expect(outgoing(byRef(result, 'group:default/acme-corp'))).toEqual(['parentOf group:default/infrastructure']);
    expect(outgoing(byRef(result, 'group:default/team-d'))).toEqual(['childOf group:default/boxoffice']);
    expect(outgoing(byRef(result, 'user:default/frank.tiernan'))).toEqual(['memberOf group:default/team-c']);
  });

  it('reads the second document of the multi-document org.yaml with its line', () => {
    const loc = byRef(result, 'location:default/example-groups');
    expect(loc.source.line).toBe(19); // line 18 is the `---`
    expect(loc.source.text?.startsWith('apiVersion: backstage.io/v1alpha1\nkind: Location\n')).toBe(true);
    // team-a-group.yaml: the Group, then users; development/guest is the 6th document
    const devGuest = byRef(result, 'user:development/guest');
    expect(devGuest.source.file).toBe(`file:${path.join(EXAMPLES, 'acme/team-a-group.yaml')}`);
  });
});
