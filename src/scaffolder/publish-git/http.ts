import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TarmacError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { bareRepoPath, gitRoot } from './repos.js';

interface RepoParams {
  owner: string;
  repo: string;
}

const UPLOAD_REQUEST = 'application/x-git-upload-pack-request';

/** `<repo>.git` → `<repo>` after checking the suffix. @throws TarmacError NOT_FOUND */
function repoName(param: string): string {
  if (!param.endsWith('.git')) throw new TarmacError('NOT_FOUND', `no repository ${param} (clone URLs end in .git)`);
  return param.slice(0, -'.git'.length);
}

/**
 * Runs `git http-backend` (git's own CGI program) for one request and streams its answer: CGI headers (`Status:`,
 * `Content-Type`, …) become the HTTP status and headers, the rest the body. Read-only: receive-pack is turned off
 * through `http.receivepack=false` as well as refused by the routes.
 */
function runHttpBackend(
  req: FastifyRequest,
  reply: FastifyReply,
  o: { dataDir: string; logger: Logger; pathInfo: string; query: string; body?: Readable },
): void {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: gitRoot(o.dataDir),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: o.pathInfo,
    QUERY_STRING: o.query,
    REQUEST_METHOD: req.method,
    CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
    REMOTE_ADDR: req.ip,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'false',
  };
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
  if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  void reply.hijack();
  const res = reply.raw;
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const text = head.toString('latin1');
    const crlf = text.indexOf('\r\n\r\n');
    const lf = text.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of text.slice(0, end).split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else res.setHeader(name, value);
    }
    res.setHeader('x-request-id', String(req.id));
    res.writeHead(status);
    res.write(head.subarray(end));
  });
  child.stderr.on('data', (chunk: Buffer) => o.logger.debug('git http-backend', { stderr: chunk.toString().trim().slice(0, 500) }));
  child.on('close', (code) => {
    if (!headersDone) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.write(`git http-backend failed (exit ${code})\n`);
    }
    res.end();
  });
  child.on('error', (err) => {
    o.logger.error('could not start git http-backend', { err: err.message });
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end();
  });
  if (o.body) {
    o.body.pipe(child.stdin);
    o.body.on('error', () => child.kill());
  } else child.stdin.end();
}

/**
 * Registers Git smart HTTP, read-only, for the local publisher's bare repositories:
 * `GET /git/:owner/:repo.git/info/refs?service=git-upload-pack` and `POST /git/:owner/:repo.git/git-upload-pack`
 * (what `git clone http://…/git/o/r.git` asks for). `git-receive-pack` (push) is refused with FORBIDDEN.
 * Route auth: `catalog.entity.read`. Spec: issue 3 (publish:git), git's gitprotocol-http(5).
 */
export async function registerGitRoutes(app: FastifyInstance, o: { dataDir: string; logger: Logger }): Promise<void> {
  // The pack request body goes to git as it is (possibly gzip-encoded: git http-backend decodes it).
  app.addContentTypeParser(UPLOAD_REQUEST, (_req, payload, done) => done(null, payload));
  app.addContentTypeParser('application/x-git-receive-pack-request', (_req, payload, done) => done(null, payload));
  const params = { type: 'object', required: ['owner', 'repo'], properties: { owner: { type: 'string' }, repo: { type: 'string' } } } as const;
  const locate = (p: RepoParams): string => {
    const name = repoName(p.repo);
    const bare = bareRepoPath(o.dataDir, p.owner, name);
    if (!existsSync(bare)) throw new TarmacError('NOT_FOUND', `no repository ${p.owner}/${name}`);
    return `/${p.owner}/${name}.git`;
  };

  app.get<{ Params: RepoParams; Querystring: { service?: string } }>(
    '/git/:owner/:repo/info/refs',
    {
      config: { auth: { action: 'catalog.entity.read' }, authChallenge: 'basic' },
      schema: { hide: true, params, querystring: { type: 'object', properties: { service: { type: 'string' } } } },
    },
    async (req, reply) => {
      if (req.query.service !== 'git-upload-pack') {
        throw new TarmacError('FORBIDDEN', 'this git server is read-only: only git-upload-pack (clone, fetch) is served');
      }
      const repoPath = locate(req.params);
      runHttpBackend(req, reply, { ...o, pathInfo: `${repoPath}/info/refs`, query: 'service=git-upload-pack' });
      return reply;
    },
  );

  app.post<{ Params: RepoParams }>(
    '/git/:owner/:repo/git-upload-pack',
    { config: { auth: { action: 'catalog.entity.read' }, authChallenge: 'basic' }, schema: { hide: true, params } },
    async (req, reply) => {
      const repoPath = locate(req.params);
      runHttpBackend(req, reply, { ...o, pathInfo: `${repoPath}/git-upload-pack`, query: '', body: req.body as Readable });
      return reply;
    },
  );

  app.post<{ Params: RepoParams }>(
    '/git/:owner/:repo/git-receive-pack',
    { config: { auth: { action: 'catalog.entity.read' }, authChallenge: 'basic' }, schema: { hide: true, params } },
    async () => {
      throw new TarmacError('FORBIDDEN', 'this git server is read-only: pushing is not allowed');
    },
  );
}
