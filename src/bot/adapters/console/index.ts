import { createInterface } from 'node:readline';
import type { Bot } from '../../../app/bot.js';
import type { View } from '../../core/views.js';
import { colorEnabled, renderView } from './render.js';

export interface ConsoleOptions {
  user: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Printed once before the first prompt. */
  banner?: string;
}

/** One line of progress for a running operation, printed when it changes. */
function progressLine(view: View): string | undefined {
  if (view.kind === 'scan')
    return `${view.run.id}: ${view.run.succeeded + view.run.failed}/${view.run.total} done, ${view.run.failed} failed`;
  if (view.kind !== 'rollout') return undefined;
  const { rollout } = view;
  const total = rollout.waves.reduce((sum, w) => sum + w.size, 0);
  const ok = rollout.waves.reduce((sum, w) => sum + w.ok, 0);
  const failed = rollout.waves.reduce((sum, w) => sum + w.failed, 0);
  return `${rollout.id}: ${rollout.status}, wave ${rollout.currentWave}/${rollout.waves.length}, ${ok + failed}/${total} done, ${failed} failed`;
}

/**
 * `as bob approve plan-3`: a terminal has one keyboard, and a plan needs someone other than its requester
 * to approve it. The named user's own roles apply, as they would in chat.
 */
export function speaker(text: string, user: string): { user: string; command: string } {
  const match = /^as\s+([A-Za-z0-9._@-]{1,64})\s+(\S.*)$/s.exec(text);
  return match ? { user: match[1]!, command: match[2]! } : { user, command: text };
}

/**
 * The console adapter: type commands (with or without the /patch prefix), see views as text. A running
 * operation prints one progress line per coalesced update, then its final view.
 */
export async function runConsole(bot: Bot, options: ConsoleOptions): Promise<void> {
  const { output } = options;
  const color = colorEnabled(output, process.env);
  const print = (view: View): void => {
    output.write(`${renderView(view, { color })}\n`);
  };
  const stopAlerts = bot.live.onAlert(async (view) => {
    print(view);
  });

  const lines = createInterface({
    input: options.input,
    output,
    terminal: output.isTTY === true,
    prompt: 'patchops> ',
  });
  if (options.banner) output.write(`${options.banner}\n`);
  // Runs still being watched; at the end of piped input the console waits for them (`echo 'scan all' | …`).
  const watching = new Set<Promise<void>>();
  lines.prompt();
  for await (const line of lines) {
    const text = line.trim();
    if (text === 'exit' || text === 'quit') {
      watching.clear();
      break;
    }
    if (text !== '') {
      const { user, command } = speaker(text, options.user);
      const reply = await bot.handle(
        command.startsWith('/') ? command : `/patch ${command}`,
        bot.localActor(user),
      );
      print(reply.view);
      if (reply.watch) {
        const watch = reply.watch;
        let lastProgress = '';
        const finished = new Promise<void>((resolve) => {
          const stop = bot.live.watch(watch, async (view, settled) => {
            if (settled) {
              print(view);
              stop();
              resolve();
              lines.prompt();
              return;
            }
            // Views are re-read on a timer too: print a line only when the progress moved.
            const progress = progressLine(view);
            if (progress && progress !== lastProgress) output.write(`${progress}\n`);
            lastProgress = progress ?? lastProgress;
          });
        });
        watching.add(finished);
        void finished.then(() => watching.delete(finished));
      }
    }
    lines.prompt();
  }
  await Promise.all(watching);
  stopAlerts();
  lines.close();
}
