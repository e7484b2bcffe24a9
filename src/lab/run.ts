import { spawn } from 'node:child_process';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunProcessOptions {
  /** Text written to the child's standard input. */
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the child (by its own pid) after this long; the lab never waits forever. */
  timeoutMs?: number;
}

/** An environment that makes Debian tools quiet and predictable inside and outside chroots. */
export const toolEnv: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  DEBIAN_FRONTEND: 'noninteractive',
  HOME: '/root',
};

/** Run a program without a shell and collect its output; never throws on a non-zero exit. */
export function runProcess(file: string, args: readonly string[], options: RunProcessOptions = {}) {
  return new Promise<ProcessResult>((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? toolEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = {
        code: code ?? 128,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (timedOut) {
        reject(
          new Error(`${file} ${args.join(' ')} took longer than ${options.timeoutMs} ms and was killed`),
        );
      } else if (signal !== null) {
        reject(new Error(`${file} ${args.join(' ')} was killed by ${signal}`));
      } else {
        resolve(result);
      }
    });
    child.stdin.on('error', () => {
      // A child that exits without reading its input closes the pipe; its exit status tells what happened.
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Like runProcess, but a non-zero exit is an error that carries the tool's own words. */
export async function mustRun(file: string, args: readonly string[], options: RunProcessOptions = {}) {
  const result = await runProcess(file, args, options);
  if (result.code !== 0) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-15).join('\n');
    throw new Error(`${file} ${args.join(' ')} exited with ${result.code}:\n${detail}`);
  }
  return result;
}
