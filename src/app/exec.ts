import { renderView } from '../bot/adapters/console/render.js';
import { renderWatched } from '../bot/core/handle.js';
import type { View } from '../bot/core/views.js';
import { startBot } from './bot.js';
import type { Runtime } from './runtime.js';
import { startWorker } from './worker.js';

export interface ExecRequest {
  text: string;
  user: string;
  json: boolean;
  timeoutMs: number;
  output: NodeJS.WritableStream;
}

/** Exit codes for scripts: 0 done, 1 the command was refused (the view says why), 3 done but some hosts failed, 4 timed out. */
export const exitCodes = { ok: 0, refused: 1, partial: 3, timeout: 4 } as const;

function exitCodeFor(view: View): number {
  if (view.kind === 'error') return exitCodes.refused;
  if (view.kind === 'scan' && view.run.failed > 0) return exitCodes.partial;
  if (
    view.kind === 'rollout' &&
    (view.rollout.status !== 'done' || view.rollout.waves.some((w) => w.failed > 0))
  )
    return exitCodes.partial;
  return exitCodes.ok;
}

/**
 * One command through the same core as chat, with a worker in this process; when the command starts an
 * operation, wait for its final state in Postgres (not for events: another bot may consume those).
 */
export async function exec(runtime: Runtime, request: ExecRequest): Promise<number> {
  const worker = await startWorker(runtime);
  const bot = await startBot(runtime);
  try {
    const text = request.text.trim().startsWith('/') ? request.text : `/patch ${request.text}`;
    const reply = await bot.handle(text, bot.localActor(request.user));
    let view = reply.view;
    let code: number | undefined;
    if (reply.watch) {
      const deadline = Date.now() + request.timeoutMs;
      for (;;) {
        const state = await renderWatched(reply.watch, bot.ports);
        if (state) view = state.view;
        if (state?.settled) break;
        if (Date.now() > deadline) {
          code = exitCodes.timeout;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    request.output.write(
      request.json ? `${JSON.stringify(view, null, 2)}\n` : `${renderView(view, { color: false })}\n`,
    );
    return code ?? exitCodeFor(view);
  } finally {
    await bot.close();
    await worker.close();
  }
}
