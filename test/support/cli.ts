import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The built bin, as users run it (npm test builds first). */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A queue prefix of its own, so parallel runs never take each other's jobs. */
export function uniquePrefix(): string {
  return `patchops-test-${randomBytes(4).toString('hex')}`;
}

/** A TCP port free right now on 127.0.0.1, for a process that must be told its port (PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Run patchops to the end with this input on stdin. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const running = startCli(args, env);
  running.end(options.input ?? '');
  const timer = setTimeout(() => running.kill(), options.timeoutMs ?? 120_000);
  const code = await running.exited;
  clearTimeout(timer);
  return { code, stdout: running.output(), stderr: running.errors() };
}

export interface RunningCli {
  output(): string;
  errors(): string;
  exited: Promise<number | null>;
  /** Resolve when stdout matches, or fail after timeoutMs with what was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  write(text: string): void;
  end(text: string): void;
  kill(): void;
  /** SIGTERM by pid, SIGKILL if it lingers; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** A long-running patchops process (bot, worker, console) that the test drives and stops by its own pid. */
export function startCli(args: string[], env: Record<string, string>): RunningCli {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      PATCHOPS_DEMO: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    output: () => stdout,
    errors: () => stderr,
    exited,
    end: (text) => child.stdin.end(text),
    kill: () => child.kill('SIGKILL'),
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(
            `no ${pattern} in output (exit ${child.exitCode}):\n${stdout}\n--- stderr:\n${stderr}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    write(text) {
      child.stdin.write(text);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
