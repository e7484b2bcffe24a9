import type { HostKeyPolicy, HostKeyStore } from './host-keys.js';

/** Where and as whom to log in. */
export interface SshTarget {
  /** Inventory name: used in messages and as the key of pinned host keys. */
  name: string;
  address: string;
  port: number;
  /** Login name; absent → SshSettings.defaultUser. */
  user?: string;
  /** Private key file (OpenSSH format, unencrypted); absent → defaultKeyFile, then the agent. */
  keyFile?: string;
  /** Commands that need root go through `sudo -n` (the engine decides; run() does what it is told). */
  become?: boolean;
  /** Jump host: connect there first and tunnel to this target (host keys are checked on both). */
  bastion?: SshTarget;
}

export interface SshSettings {
  /** TCP connect + SSH handshake + authentication, per hop. */
  connectTimeoutMs: number;
  /** Default limit for one command; RunOptions.timeoutMs overrides it. */
  commandTimeoutMs: number;
  defaultUser: string;
  defaultKeyFile?: string;
  /** SSH_AUTH_SOCK, used when neither the host nor the settings name a key file. */
  agentSocket?: string;
  hostKeyPolicy: HostKeyPolicy;
  hostKeys: HostKeyStore;
  /** Cap on each of stdout and stderr of one command (default 64 MiB). */
  maxOutputBytes?: number;
}

export const defaultMaxOutputBytes = 64 * 1024 * 1024;

export function loginName(target: SshTarget, settings: SshSettings): string {
  return target.user ?? settings.defaultUser;
}
