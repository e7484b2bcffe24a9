/**
 * The SSH client: RemoteShell over ssh2. One session = one authenticated connection (through a bastion when
 * the target has one), on which run() opens a channel per command.
 */
import type { Client, ClientChannel } from 'ssh2';
import type { ShellCommand } from '../shell/command.js';
import { connectHop } from './connect.js';
import { execCommand } from './exec.js';
import { defaultMaxOutputBytes, loginName, type SshSettings, type SshTarget } from './settings.js';
import { type CommandResult, type RemoteShell, type RunOptions, SshError } from './types.js';

export type { SshSettings, SshTarget } from './settings.js';

export interface SshSession extends RemoteShell {
  /** The login name on the target. */
  readonly user: string;
  /** Settles when the connection is gone, whoever closed it (a reboot does). */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

function endClient(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    client.end();
  });
}

function tunnel(bastion: Client, bastionTarget: SshTarget, target: SshTarget) {
  return new Promise<ClientChannel>((resolve, reject) => {
    bastion.forwardOut('127.0.0.1', 0, target.address, target.port, (error, stream) => {
      if (!error) return resolve(stream);
      // The bastion could not open the TCP connection: the target is what is unreachable from there.
      reject(
        new SshError(
          'unreachable',
          target.name,
          `${target.name}: bastion ${bastionTarget.name} cannot reach ${target.address}:${target.port} (${error.message})`,
          { cause: error },
        ),
      );
    });
  });
}

/** Connect every hop, outermost bastion first; returns the clients in that order (target last). */
async function connectChain(target: SshTarget, settings: SshSettings, via?: string): Promise<Client[]> {
  const label = via === undefined ? target.name : `${target.name} (bastion for ${via})`;
  if (target.bastion === undefined) return [await connectHop(target, settings, { label })];
  const outer = await connectChain(target.bastion, settings, target.name);
  const bastion = outer[outer.length - 1] as Client;
  try {
    const sock = await tunnel(bastion, target.bastion, target);
    return [...outer, await connectHop(target, settings, { label, sock })];
  } catch (error) {
    for (const client of outer.reverse()) await endClient(client);
    throw error;
  }
}

class Session implements SshSession {
  readonly hostName: string;
  readonly user: string;
  readonly ended: Promise<void>;
  #closed = false;
  readonly #clients: Client[];
  readonly #settings: SshSettings;

  constructor(target: SshTarget, settings: SshSettings, clients: Client[]) {
    this.hostName = target.name;
    this.user = loginName(target, settings);
    this.#clients = clients;
    this.#settings = settings;
    const client = clients[clients.length - 1] as Client;
    this.ended = new Promise((resolve) =>
      client.once('close', () => {
        this.#closed = true;
        resolve();
      }),
    );
  }

  async run(command: ShellCommand, options: RunOptions = {}): Promise<CommandResult> {
    if (this.#closed) {
      throw new SshError('disconnected', this.hostName, `${this.hostName}: the SSH session is closed`);
    }
    return execCommand(this.#clients[this.#clients.length - 1] as Client, {
      hostName: this.hostName,
      user: this.user,
      command,
      sudo: options.sudo === true,
      timeoutMs: options.timeoutMs ?? this.#settings.commandTimeoutMs,
      maxOutputBytes: this.#settings.maxOutputBytes ?? defaultMaxOutputBytes,
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const client of [...this.#clients].reverse()) await endClient(client);
  }
}

/** Log in to the target (through its bastions), checking every host key against the store. */
export async function openSession(target: SshTarget, settings: SshSettings): Promise<SshSession> {
  const clients = await connectChain(target, settings);
  return new Session(target, settings, clients);
}

/** Open a session, hand it to `fn`, and close it whatever happens. */
export async function withSession<T>(
  target: SshTarget,
  settings: SshSettings,
  fn: (session: SshSession) => Promise<T>,
): Promise<T> {
  const session = await openSession(target, settings);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
