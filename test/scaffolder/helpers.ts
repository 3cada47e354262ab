import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import type { TemplateAction } from '../../src/scaffolder/index.js';

/** Folder of this suite's fixtures. */
export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Runs git with the given args in `cwd`; resolves stdout. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_TERMINAL_PROMPT: '0' } });
  return stdout;
}

/** One server-sent event as the test reads it. */
export interface SseEvent {
  event?: string;
  id?: string;
  data: { id: number; type: string; body: { message: string; stepId?: string; status?: string; error?: string } };
}

/** Reads `/eventstream` until the server ends it. */
export async function readEventStream(url: string, headers: Record<string, string> = {}): Promise<SseEvent[]> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  if (!res.ok || !res.body) throw new Error(`eventstream answered ${res.status}: ${await res.text()}`);
  const events: SseEvent[] = [];
  const parser = createParser({ onEvent: (m) => events.push({ event: m.event, id: m.id, data: JSON.parse(m.data) as SseEvent['data'] }) });
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  return events;
}

export { taskEnded, waitForTask } from '../helpers/tarmac.js';

/**
 * A `test:wait` action: each run blocks in its step until the test calls `release(label)`, or the run is aborted.
 * `started` lists the labels whose step is waiting now.
 */
export function createWaitAction(): { action: TemplateAction; release(label: string): void; started: Set<string> } {
  const gates = new Map<string, () => void>();
  const started = new Set<string>();
  const action: TemplateAction = {
    id: 'test:wait',
    description: 'Waits until the test releases it (tests only).',
    supportsDryRun: true,
    schema: { input: { type: 'object', properties: { label: { type: 'string' } } } },
    handler: (ctx) =>
      new Promise<void>((resolve, reject) => {
        const label = String(ctx.input.label);
        const stop = () => {
          started.delete(label);
          reject(new Error(`wait ${label} aborted`));
        };
        if (ctx.signal.aborted) return stop();
        ctx.signal.addEventListener('abort', stop, { once: true });
        started.add(label);
        gates.set(label, () => {
          started.delete(label);
          ctx.signal.removeEventListener('abort', stop);
          resolve();
        });
      }),
  };
  return {
    action,
    started,
    release(label) {
      gates.get(label)?.();
    },
  };
}

export { runCli } from '../../src/cli/testing/run-cli.js';
