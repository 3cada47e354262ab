import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ApiClient } from '../../core/api-client.js';
import { TarmacError } from '../../core/errors.js';

const API = '/api/scaffolder/v2';

/** One event of `/eventstream` (Backstage `SerializedTaskEvent`). */
interface StreamEvent {
  id: number;
  type: 'log' | 'completion';
  body: { message: string; stepId?: string; status?: string; level?: string; output?: { links?: Array<{ title?: string; url?: string; entityRef?: string }> }; error?: string };
}

/**
 * Follows a run's `/eventstream` until its completion event, writing one line per event: step status changes as
 * `▸ <step> <status>`, log lines as `  <step> | <message>`.
 * @returns the run's final status from `GET /tasks/:id`
 * @throws TarmacError when the stream cannot be opened or ends without a completion
 */
export async function followTask(client: ApiClient, taskId: string, write: (line: string) => void): Promise<{ status: string; error?: string; output?: StreamEvent['body']['output'] }> {
  // A run streams for as long as it runs: only the wait for the response head is bounded (the client's timeout).
  const res = await client.stream(`${API}/tasks/${encodeURIComponent(taskId)}/eventstream`, { accept: 'text/event-stream' });
  let completion: StreamEvent | undefined;
  const parser = createParser({
    onEvent(msg: EventSourceMessage) {
      const e = JSON.parse(msg.data) as StreamEvent;
      if (e.type === 'completion') completion = e;
      const step = e.body.stepId ?? 'run';
      if (e.body.status && e.type === 'log') write(`▸ ${step} ${e.body.status}`);
      else if (e.type === 'log') write(`  ${step} | ${e.body.message}`);
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (completion) break;
  }
  const task = (await client.request<{ status: string; error?: { message: string }; output?: StreamEvent['body']['output'] }>('GET', `${API}/tasks/${encodeURIComponent(taskId)}`)).body;
  if (!completion && (task.status === 'open' || task.status === 'processing')) {
    throw new TarmacError('UPSTREAM_FAILED', `the event stream of run ${taskId} ended before the run did`);
  }
  return { status: task.status, error: task.error?.message, output: task.output };
}

/**
 * `tarmac template run`: starts a run (`POST /tasks`), follows it, prints the output links.
 * @returns exit code 0 when the run completed, 1 otherwise (the error printed to `err`)
 */
export async function runTemplate(
  client: ApiClient,
  o: { templateRef: string; values: Record<string, unknown>; secrets: Record<string, string> },
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { body } = await client.request<{ id: string }>('POST', `${API}/tasks`, { body: { templateRef: o.templateRef, values: o.values, secrets: o.secrets } });
  err(`run ${body.id} started`);
  const result = await followTask(client, body.id, err);
  if (result.status !== 'completed') {
    err(`tarmac: run ${body.id} ${result.status}${result.error ? `: ${result.error}` : ''}`);
    return 1;
  }
  out(`run ${body.id} completed`);
  for (const link of result.output?.links ?? []) out(`${link.title ?? 'link'}: ${link.url ?? link.entityRef ?? ''}`);
  return 0;
}
