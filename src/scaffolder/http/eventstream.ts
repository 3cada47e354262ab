import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ScaffolderService } from '../service.js';
import type { EventLog } from '../tasks/events.js';
import { serializeEvent } from '../tasks/events.js';

/** How long (ms) the stream waits for news before looking at the database again (runs in other processes). */
const POLL_MS = 1000;
/** A comment line every this many ms keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /v2/tasks/:taskId/eventstream` (Backstage): server-sent events, one per run event, `event: <type>` (`log`
 * or `completion`), `id: <event id>`, `data: <SerializedTaskEvent JSON>`. Replays stored events after `after`
 * (query) or `Last-Event-ID` (header), then live ones; ends after the completion event, when the client goes, or
 * when Tarmac stops (`shutdown`).
 * @throws TarmacError NOT_FOUND / FORBIDDEN before the stream starts
 */
export async function streamTaskEvents(
  req: FastifyRequest<{ Params: { taskId: string }; Querystring: { after?: number } }>,
  reply: FastifyReply,
  o: { service: ScaffolderService; events: EventLog; shutdown: AbortSignal },
): Promise<void> {
  const lastEventId = Number.parseInt(String(req.headers['last-event-id'] ?? ''), 10);
  let after = Number.isFinite(lastEventId) ? lastEventId : (req.query.after ?? 0);
  // Authorization and existence are checked before any byte is sent, so errors keep their JSON shape.
  // The reader is authorized once here; the loop below then reads events and status only, not the whole run.
  const reader = await o.service.eventReader(req.principal, req.params.taskId);
  const closed = new AbortController();
  req.raw.on('close', () => closed.abort());
  // Tarmac stopping ends every stream, so the server can close (clients reconnect with Last-Event-ID)
  const onShutdown = () => closed.abort();
  o.shutdown.addEventListener('abort', onShutdown, { once: true });
  void reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(req.id),
  });
  res.write(': stream open\n\n');
  let lastWrite = Date.now();
  let quietPollsAfterEnd = 0;
  try {
    while (!closed.signal.aborted) {
      const batch = await reader.events(after);
      let done = false;
      for (const e of batch) {
        res.write(`event: ${e.type}\nid: ${e.id}\ndata: ${JSON.stringify(serializeEvent(e))}\n\n`);
        after = e.id;
        lastWrite = Date.now();
        if (e.type === 'completion') done = true;
      }
      if (done) break;
      if (batch.length > 0) continue; // there may be more than one page
      // A finished run always has its completion event (stored with the final status); this only guards against
      // runs ended some other way: after two quiet polls of a finished run, stop.
      const status = await reader.status();
      if (status === undefined) break; // the run was deleted
      if (status !== 'open' && status !== 'processing' && ++quietPollsAfterEnd > 2) break;
      if (Date.now() - lastWrite > KEEPALIVE_MS) {
        res.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await o.events.waitForNews(req.params.taskId, POLL_MS, closed.signal);
    }
  } catch (err) {
    req.log.warn({ err: String(err) }, 'event stream ended by an error');
  } finally {
    o.shutdown.removeEventListener('abort', onShutdown);
    res.end();
  }
}
