import { describe, expect, it } from 'vitest';
import { isTarmacError } from '../../core/errors.js';
import { cleanInput, MAX_FIELD_CHARS, MAX_SUMMARY_BYTES, REDACTED } from './input.js';

const base = { actor: 'local', action: 'token.create', resource: 'token:ab12', outcome: 'success' as const };

describe('cleanInput', () => {
  it('redacts secret-looking keys at any depth, keeping the rest', () => {
    const clean = cleanInput({
      ...base,
      summary: {
        name: 'ci',
        clientSecret: 's3cr3t',
        headers: { Authorization: 'Bearer abc', 'Set-Cookie': 'sid=1', accept: 'json' },
        users: [{ password: 'pw', login: 'jane' }],
        apiToken: 'tok',
        count: 2,
      },
    });
    expect(clean.summary).toEqual({
      name: 'ci',
      clientSecret: REDACTED,
      headers: { Authorization: REDACTED, 'Set-Cookie': REDACTED, accept: 'json' },
      users: [{ password: REDACTED, login: 'jane' }],
      apiToken: REDACTED,
      count: 2,
    });
    expect(JSON.stringify(clean)).not.toMatch(/s3cr3t|Bearer abc|sid=1|"pw"|"tok"/);
  });

  it('keeps plain JSON only: no undefined, NaN becomes null, dates become ISO strings', () => {
    const clean = cleanInput({ ...base, summary: { a: undefined, n: Number.NaN, d: new Date(Date.UTC(2026, 0, 2)) } });
    expect(clean.summary).toEqual({ n: null, d: '2026-01-02T00:00:00.000Z' });
  });

  it('replaces NUL and lone surrogates, cuts long fields and replaces a huge summary', () => {
    const clean = cleanInput({ ...base, actor: 'a'.repeat(MAX_FIELD_CHARS + 10), summary: { s: 'x\u0000y\uD800z', big: 'b'.repeat(MAX_SUMMARY_BYTES) } });
    expect(clean.actor).toHaveLength(MAX_FIELD_CHARS);
    expect(clean.actor.endsWith('…')).toBe(true);
    expect(clean.summary).toEqual({ truncated: true, bytes: expect.any(Number) });
    expect(cleanInput({ ...base, summary: { s: 'x\u0000y\uD800z' } }).summary).toEqual({ s: 'x\uFFFDy\uFFFDz' });
  });

  it('keeps a __proto__ key from parsed JSON as a plain key', () => {
    const clean = cleanInput({ ...base, summary: JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as Record<string, unknown> });
    expect(JSON.stringify(clean.summary)).toBe('{"__proto__":{"x":1},"a":2}');
    expect(Object.getPrototypeOf(clean.summary)).toBe(Object.prototype);
  });

  it('absent request id, ip and summary become null, null and {}', () => {
    expect(cleanInput(base)).toEqual({ ...base, requestId: null, ip: null, summary: {} });
  });

  it('refuses an empty action or an unknown outcome, naming the field', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const e1 = err(() => cleanInput({ ...base, action: '' }));
    expect(isTarmacError(e1, 'BAD_REQUEST') && e1.message).toMatch(/action/);
    const e2 = err(() => cleanInput({ ...base, outcome: 'maybe' as 'success' }));
    expect(isTarmacError(e2, 'BAD_REQUEST') && e2.message).toMatch(/outcome/);
  });
});
