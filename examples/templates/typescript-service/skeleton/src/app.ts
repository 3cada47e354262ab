import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What GET /healthz answers: the service is up and can take requests. */
export interface Health {
  status: 'ok';
  service: string;
}

export const SERVICE_NAME = '${{ values.name }}';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Routes one request. Add your endpoints here. */
export function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/healthz') {
    const health: Health = { status: 'ok', service: SERVICE_NAME };
    sendJson(res, 200, health);
    return;
  }
  if (req.method === 'GET' && path === '/') {
    sendJson(res, 200, { service: SERVICE_NAME, description: ${{ values.description | dump }} });
    return;
  }
  sendJson(res, 404, { error: 'not found', path });
}

/** The HTTP server (not listening yet). */
export function createApp(): Server {
  return createServer(handle);
}
