import { inventoryCommand } from '../shell/command.js';
import type { SshSession } from '../ssh/client.js';
import { SshError } from '../ssh/types.js';

export interface RebootTimeouts {
  /** How long the host may take to drop our connection after the reboot command. */
  downMs: number;
  /** How long it may take to answer SSH again. */
  upMs: number;
  pollMs: number;
}

export class RebootError extends Error {
  override readonly name = 'RebootError';
  readonly code = 'reboot';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reboot with the host's own command and wait until it answers again. "Down" is our connection being
 * closed by the host, not a guess from time: a reconnect that came too early would reach the old system.
 */
export async function rebootAndReconnect(
  session: SshSession,
  rebootCommand: string,
  reconnect: () => Promise<SshSession>,
  timeouts: RebootTimeouts,
): Promise<SshSession> {
  const name = session.hostName;
  try {
    const result = await session.run(inventoryCommand(rebootCommand), {
      sudo: true,
      timeoutMs: timeouts.downMs,
    });
    if (result.code !== 0 && result.code !== 255)
      throw new RebootError(
        `${name}: reboot command exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(-200)}`,
      );
  } catch (error) {
    // The host going down under the command is what we asked for.
    if (!(error instanceof SshError && (error.code === 'disconnected' || error.code === 'command-timeout')))
      throw error;
  }
  const down = await Promise.race([session.ended.then(() => true), sleep(timeouts.downMs).then(() => false)]);
  if (!down) {
    await session.close();
    throw new RebootError(
      `${name}: still up ${Math.round(timeouts.downMs / 1000)} s after the reboot command`,
    );
  }
  const deadline = Date.now() + timeouts.upMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await reconnect();
    } catch (error) {
      if (error instanceof SshError && !error.transient) throw error;
      last = error;
      await sleep(timeouts.pollMs);
    }
  }
  throw new RebootError(
    `${name}: not back ${Math.round(timeouts.upMs / 1000)} s after the reboot (${last instanceof Error ? last.message : 'no answer'})`,
  );
}
