import { readFile } from 'node:fs/promises';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from 'ssh2';
import { connectError, type HopDescription } from './connect-errors.js';
import {
  algorithmsForKeyType,
  decideHostKey,
  hostKeyChangedMessage,
  hostKeyUnknownMessage,
  type PinnedKey,
  publicKeyFromBlob,
} from './host-keys.js';
import { loginName, type SshSettings, type SshTarget } from './settings.js';
import { SshError } from './types.js';

/** ssh2's preference order; pinned key types move to the front so the host presents the key we know. */
const defaultHostKeyAlgorithms: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

function isKnownAlgorithm(name: string): name is ServerHostKeyAlgorithm {
  return (defaultHostKeyAlgorithms as string[]).includes(name);
}

function hostKeyAlgorithms(pinned: readonly PinnedKey[]): ServerHostKeyAlgorithm[] {
  const preferred = pinned.flatMap((key) => algorithmsForKeyType(key.type));
  const known = preferred.filter(isKnownAlgorithm);
  return [...new Set([...known, ...defaultHostKeyAlgorithms])];
}

type Credentials = { privateKey: Buffer; description: string } | { agent: string; description: string };

async function credentials(target: SshTarget, settings: SshSettings, label: string): Promise<Credentials> {
  const keyFile = target.keyFile ?? settings.defaultKeyFile;
  if (keyFile !== undefined) {
    try {
      return { privateKey: await readFile(keyFile), description: `key ${keyFile}` };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SshError('auth', target.name, `${label}: cannot read the private key ${keyFile}: ${reason}`, {
        cause: error,
      });
    }
  }
  if (settings.agentSocket !== undefined) {
    return { agent: settings.agentSocket, description: `keys of the SSH agent at ${settings.agentSocket}` };
  }
  throw new SshError(
    'auth',
    target.name,
    `${label}: no key to log in with: set key_file for the host, a default key file, or SSH_AUTH_SOCK`,
  );
}

export interface HopOptions {
  /** A tunnel through the bastion instead of a TCP connection. */
  sock?: Duplex;
  /** How this hop is named in messages. */
  label: string;
}

/** Connect and authenticate one hop, checking its host key against the store. */
export async function connectHop(
  target: SshTarget,
  settings: SshSettings,
  options: HopOptions,
): Promise<Client> {
  const user = loginName(target, settings);
  const auth = await credentials(target, settings, options.label);
  const pinned = await settings.hostKeys.pinned(target.name);
  const hop: HopDescription = {
    label: options.label,
    host: target.name,
    user,
    address: target.address,
    port: target.port,
    credentials: auth.description,
    connectTimeoutMs: settings.connectTimeoutMs,
  };
  const client = new Client();
  // Set by the host key check so the generic "Host denied" error becomes the precise one.
  let rejection: SshError | undefined;

  const hostVerifier = (blob: Buffer, verify: (valid: boolean) => void): void => {
    const presented = publicKeyFromBlob(blob);
    const decision = decideHostKey(settings.hostKeyPolicy, pinned, presented);
    if (decision === 'accept') {
      verify(true);
    } else if (decision === 'reject-changed') {
      rejection = new SshError(
        'host-key-changed',
        target.name,
        hostKeyChangedMessage(options.label, pinned, presented),
      );
      verify(false);
    } else if (decision === 'reject-unknown') {
      rejection = new SshError(
        'host-key-unknown',
        target.name,
        hostKeyUnknownMessage(options.label, presented),
      );
      verify(false);
    } else {
      const pin: PinnedKey = { ...presented, source: 'first-seen', firstSeenAt: new Date() };
      settings.hostKeys.record(target.name, pin).then(
        () => verify(true),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          rejection = new SshError(
            'protocol',
            target.name,
            `${options.label}: cannot pin its host key: ${reason}`,
            {
              cause: error,
            },
          );
          verify(false);
        },
      );
    }
  };

  const config: ConnectConfig = {
    host: target.address,
    port: target.port,
    username: user,
    readyTimeout: settings.connectTimeoutMs,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
    hostVerifier,
    algorithms: { serverHostKey: hostKeyAlgorithms(pinned) },
    ...('privateKey' in auth ? { privateKey: auth.privateKey } : { agent: auth.agent }),
    ...(options.sock ? { sock: options.sock } : {}),
  };

  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    const fail = (error: SshError) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (error: Error) => fail(rejection ?? connectError(hop, error)));
    client.once('close', () =>
      fail(
        rejection ??
          new SshError(
            'disconnected',
            target.name,
            `${options.label}: ${target.address}:${target.port} closed the connection before login completed`,
          ),
      ),
    );
    try {
      client.connect(config);
    } catch (error) {
      // ssh2 throws synchronously on a key it cannot parse (encrypted, unsupported format).
      const reason = error instanceof Error ? error.message : String(error);
      fail(
        new SshError('auth', target.name, `${options.label}: cannot use ${auth.description}: ${reason}`, {
          cause: error,
        }),
      );
    }
  });
}
