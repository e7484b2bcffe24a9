import type { ShellCommand } from '../shell/command.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Run through `sudo -n` (no-op when logged in as root). */
  sudo?: boolean;
  /** Overrides the session's default command timeout. */
  timeoutMs?: number;
}

/** A shell on one host. The SSH client implements it; so can a test double for pure module tests. */
export interface RemoteShell {
  readonly hostName: string;
  run(command: ShellCommand, options?: RunOptions): Promise<CommandResult>;
}

export type SshErrorCode =
  | 'unreachable' // connection refused, no route, DNS
  | 'connect-timeout'
  | 'auth' // authentication rejected
  | 'host-key-changed' // pinned key differs: possible MITM, never retried
  | 'host-key-unknown' // strict policy and no pinned key
  | 'command-timeout'
  | 'sudo' // sudo -n needs a password or the user may not sudo
  | 'disconnected'
  | 'protocol';

const transientCodes: ReadonlySet<SshErrorCode> = new Set([
  'unreachable',
  'connect-timeout',
  'command-timeout',
  'disconnected',
]);

export class SshError extends Error {
  readonly code: SshErrorCode;
  readonly host: string;
  constructor(code: SshErrorCode, host: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SshError';
    this.code = code;
    this.host = host;
  }
  /** Worth retrying with back-off; auth and host-key failures never are. */
  get transient(): boolean {
    return transientCodes.has(this.code);
  }
}
