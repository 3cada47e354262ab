/**
 * Replays recorded host API exchanges (fixtures/*.json) on a loopback HTTP server, in order, and checks each request
 * against its recording: method, raw path (with its %-encoding), the recorded headers (case-insensitive names) and the
 * recorded top-level body fields (deep-equal; other fields are not checked). A request that does not match gets a
 * 599 answer and is listed in `mismatches`, so the test fails with the reason.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

/** One recorded request and the answer the host gave. */
export interface Exchange {
  request: { method: string; path: string; headers?: Record<string, string>; body?: Record<string, unknown> };
  response: { status: number; headers?: Record<string, string>; body?: unknown };
}

/** A fixture file. */
export interface Fixture {
  description: string;
  exchanges: Exchange[];
}

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Reads `fixtures/<name>.json`, replacing `{{VAR}}` with `vars.VAR` (JSON-escaped). */
export function loadFixture(name: string, vars: Record<string, string>): Fixture {
  const text = readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8').replace(/\{\{([A-Z_]+)\}\}/g, (m, v: string) => {
    const value = vars[v];
    if (value === undefined) throw new Error(`fixture ${name}: no value for ${m}`);
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(text) as Fixture;
}

/** A running replay server. */
export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Requests that did not match their recording, with the reason. */
  mismatches: string[];
  /** Recorded exchanges not requested yet. */
  remaining(): number;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function mismatch(expected: Exchange['request'], req: IncomingMessage, raw: string): string | undefined {
  const got = `${req.method} ${req.url}`;
  if (req.method !== expected.method || req.url !== expected.path) return `expected ${expected.method} ${expected.path}, got ${got}`;
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const actual = req.headers[name.toLowerCase()];
    if (actual !== value) return `${got}: header ${name} differs from the recording`;
  }
  if (expected.body) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return `${got}: body is not JSON`;
    }
    for (const [k, v] of Object.entries(expected.body)) {
      if (!isDeepStrictEqual(body[k], v)) return `${got}: body.${k} is ${JSON.stringify(body[k])}, recorded ${JSON.stringify(v)}`;
    }
  }
  return undefined;
}

/** Starts a server replaying `fixture` on 127.0.0.1 (port 0). */
export async function startReplayServer(fixture: Fixture): Promise<ReplayServer> {
  const queue = [...fixture.exchanges];
  const mismatches: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const next = queue.shift();
      const why = next ? mismatch(next.request, req, raw) : `unexpected ${req.method} ${req.url} after the recording ended`;
      if (why || !next) {
        mismatches.push(why ?? 'no exchange');
        res.writeHead(599, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `fixture mismatch: ${why}` }));
        return;
      }
      const { status, headers, body } = next.response;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mismatches,
    remaining: () => queue.length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
