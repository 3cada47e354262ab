import { describe, expect, it } from 'vitest';
import { ChainChecker } from './chain.js';
import { canonicalForm, GENESIS_HASH, hashEvent, type AuditEvent } from './event.js';

// Canonical text written by hand from RFC 8785 (keys sorted by UTF-16 code units, no whitespace, non-ASCII kept
// as UTF-8); the hashes were computed from that text with `printf '%s' '<text>' | sha256sum`.
const FIRST = {
  seq: 1,
  id: '3f0b6c1e-9d2a-4c57-8e1f-0a1b2c3d4e5f',
  time: '2026-11-21T08:00:00.000Z',
  actor: 'user:default/jane',
  action: 'catalog.location.create',
  resource: 'location:abc',
  outcome: 'success' as const,
  requestId: 'req-1',
  ip: '127.0.0.1',
  summary: { type: 'url', target: 'https://x/é', count: 2, nested: { b: 1, a: [true, null] } },
  prevHash: GENESIS_HASH,
};
const FIRST_TEXT =
  '{"action":"catalog.location.create","actor":"user:default/jane","id":"3f0b6c1e-9d2a-4c57-8e1f-0a1b2c3d4e5f",' +
  '"ip":"127.0.0.1","outcome":"success","prevHash":"0000000000000000000000000000000000000000000000000000000000000000",' +
  '"requestId":"req-1","resource":"location:abc","seq":1,' +
  '"summary":{"count":2,"nested":{"a":[true,null],"b":1},"target":"https://x/é","type":"url"},"time":"2026-11-21T08:00:00.000Z"}';
const FIRST_HASH = 'd725f02f2db7121a139e278f7bbc04ed07be288b32258bf706959110f809c626';
const SECOND = {
  seq: 2,
  id: '00000000-0000-4000-8000-000000000002',
  time: '2026-11-21T08:00:01.500Z',
  actor: 'anonymous',
  action: 'auth.signin',
  resource: 'session',
  outcome: 'failure' as const,
  requestId: null,
  ip: null,
  summary: {},
  prevHash: FIRST_HASH,
};
const SECOND_HASH = 'fc74fe1d21e69723e286147900068d65ac9cc111ed92f0297a62b7f1588786cd';

describe('canonical form and hash', () => {
  it('is RFC 8785 JSON of the event without its hash', () => {
    expect(canonicalForm(FIRST)).toBe(FIRST_TEXT);
  });

  it('hashes the canonical text with SHA-256 (hex), nulls kept for absent request id and ip', () => {
    expect(hashEvent(FIRST)).toBe(FIRST_HASH);
    expect(hashEvent(SECOND)).toBe(SECOND_HASH);
  });

  it('does not depend on key order', () => {
    const reordered = Object.fromEntries(Object.entries(FIRST).reverse()) as typeof FIRST;
    expect(hashEvent(reordered)).toBe(FIRST_HASH);
  });
});

describe('ChainChecker', () => {
  const chain: AuditEvent[] = [
    { ...FIRST, hash: FIRST_HASH },
    { ...SECOND, hash: SECOND_HASH },
  ];

  it('accepts the hand-built chain', () => {
    const c = new ChainChecker();
    expect(chain.map((e) => c.check(e))).toEqual([undefined, undefined]);
    expect(c.last).toEqual({ seq: 2, hash: SECOND_HASH });
  });

  it('names an edited event (hash mismatch)', () => {
    const c = new ChainChecker();
    const edited = { ...chain[0], summary: { count: 3 } } as AuditEvent;
    expect(c.check(edited)).toMatchObject({ seq: 1, reason: 'hash-mismatch' });
  });

  it('names a missing first event (seq gap) and a wrong link (prevHash mismatch)', () => {
    expect(new ChainChecker().check(chain[1] as AuditEvent)).toMatchObject({ seq: 2, reason: 'seq-gap' });
    const c = new ChainChecker();
    c.check(chain[0] as AuditEvent);
    expect(c.check({ ...(chain[1] as AuditEvent), prevHash: GENESIS_HASH })).toMatchObject({ seq: 2, reason: 'prev-hash-mismatch' });
  });
});
