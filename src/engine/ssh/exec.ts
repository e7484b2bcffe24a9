import { constants } from 'node:os';
import type { Client, ClientChannel } from 'ssh2';
import type { ShellCommand } from '../shell/command.js';
import { remoteCommand, sudoRefusal, withoutSudoNoise } from './remote-command.js';
import { type CommandResult, SshError } from './types.js';

export interface ExecRequest {
  hostName: string;
  user: string;
  command: ShellCommand;
  sudo: boolean;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** The first words of a command, for messages: enough to recognise it, never a whole script. */
export function commandHead(command: string): string {
  const words = command.trim().split(/\s+/).slice(0, 4).join(' ');
  return words.length > 60 ? `${words.slice(0, 57)}...` : words;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A process killed by a signal reports 128 + its number, as a shell would. */
function exitCodeForSignal(signal: string): number {
  const number = (constants.signals as Record<string, number>)[`SIG${signal}`];
  return 128 + (number ?? 0);
}

function startFailure(request: ExecRequest, error: Error): SshError {
  const closed = /No response from server|Not connected/.test(error.message);
  return new SshError(
    closed ? 'disconnected' : 'protocol',
    request.hostName,
    `${request.hostName}: cannot start \`${commandHead(request.command)}\`: ${error.message}`,
    { cause: error },
  );
}

/** Run one command on an authenticated connection: collect output, enforce the timeout and the caps. */
export function execCommand(client: Client, request: ExecRequest): Promise<CommandResult> {
  const { command, wrapped } = remoteCommand(request.command, request);
  const head = commandHead(request.command);
  return new Promise<CommandResult>((resolve, reject) => {
    let channel: ClientChannel | undefined;
    let settled = false;
    const fail = (error: SshError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (channel) stop(channel);
      reject(error);
    };
    // The clock runs from the request, so a host that never even starts the command times out too.
    const timer = setTimeout(() => {
      fail(
        new SshError(
          'command-timeout',
          request.hostName,
          `${request.hostName}: \`${head}\` did not finish within ${seconds(request.timeoutMs)} and was stopped`,
        ),
      );
    }, request.timeoutMs);

    client.exec(command, (error, opened) => {
      if (error) return fail(startFailure(request, error));
      channel = opened;
      if (settled) return stop(opened);
      // Listeners go on synchronously, inside this callback: output and the exit status can arrive in the
      // same packet batch as the channel confirmation (typical through a bastion) and would be lost later.
      collectOutput(opened, request, head, wrapped, {
        fail,
        succeed: (result) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(result);
        },
      });
    });
  });
}

function stop(channel: ClientChannel) {
  // OpenSSH honours the signal only for non-root logins; the host-side deadline (remote-command.ts) ends
  // the command in every case. Closing ends our side at once.
  try {
    channel.signal('KILL');
  } catch {
    // Channel already gone.
  }
  channel.close();
}

function collectOutput(
  channel: ClientChannel,
  request: ExecRequest,
  head: string,
  wrapped: boolean,
  outcome: { fail: (error: SshError) => void; succeed: (result: CommandResult) => void },
) {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const size = { stdout: 0, stderr: 0 };
  let exitCode: number | undefined;

  const collect = (stream: 'stdout' | 'stderr', sink: Buffer[]) => (chunk: Buffer) => {
    size[stream] += chunk.length;
    if (size[stream] > request.maxOutputBytes) {
      outcome.fail(
        new SshError(
          'protocol',
          request.hostName,
          `${request.hostName}: \`${head}\` wrote more than ${request.maxOutputBytes} bytes on ${stream} and was stopped`,
        ),
      );
      return;
    }
    sink.push(chunk);
  };
  channel.on('data', collect('stdout', stdout));
  channel.stderr.on('data', collect('stderr', stderr));
  channel.on('exit', (code: number | null, signal?: string) => {
    exitCode = code ?? (signal ? exitCodeForSignal(signal) : undefined);
  });
  channel.on('close', () => {
    if (exitCode === undefined) {
      outcome.fail(
        new SshError(
          'disconnected',
          request.hostName,
          `${request.hostName}: the connection closed while \`${head}\` was running; its outcome is unknown`,
        ),
      );
      return;
    }
    const errText = Buffer.concat(stderr).toString('utf8');
    const refusal = wrapped ? sudoRefusal(exitCode, errText) : undefined;
    if (refusal !== undefined) {
      outcome.fail(
        new SshError(
          'sudo',
          request.hostName,
          `${request.hostName}: sudo -n refused ${request.user} (${refusal}); give ${request.user} passwordless sudo for patchops' commands, or log in as root`,
        ),
      );
      return;
    }
    outcome.succeed({
      code: exitCode,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: wrapped ? withoutSudoNoise(errText) : errText,
    });
  });
  // Commands get no input: a command that waits for some sees end-of-file instead of hanging.
  channel.end();
}
