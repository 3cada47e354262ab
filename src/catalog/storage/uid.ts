import { randomBytes } from 'node:crypto';

let pool = Buffer.alloc(0);
let offset = 0;
let lastMs = 0;
let seq = 0;

/**
 * A new entity uid: a UUID version 7 (RFC 9562: 48-bit Unix time in ms, a 12-bit sequence, 62 random bits).
 * Time-ordered, so that inserting many entities appends to the uid index instead of writing all over it; still an
 * opaque UUID to clients (Backstage uses v4). Random bytes come from a pooled buffer.
 */
export function newUid(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    seq += 1;
    if (seq > 0xfff) {
      ms = lastMs + 1;
      seq = 0;
    }
  } else seq = 0;
  lastMs = ms;
  if (offset + 8 > pool.length) {
    pool = randomBytes(8 * 4096);
    offset = 0;
  }
  const b = Buffer.alloc(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  pool.copy(b, 8, offset, offset + 8);
  offset += 8;
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
