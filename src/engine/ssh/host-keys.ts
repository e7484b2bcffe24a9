/**
 * Host key pinning, without I/O: which key a host is expected to present, and what to do with the one it
 * does present. A changed key stops all work on the host (possible man-in-the-middle); it is never retried.
 */
import { createHash } from 'node:crypto';

export type HostKeyPolicy = 'strict' | 'accept-new';

/** A public host key as SSH carries it: its type name and the base64 of its wire-format blob. */
export interface PublicHostKey {
  type: string;
  base64: string;
}

export interface PinnedKey extends PublicHostKey {
  source: 'known_hosts' | 'first-seen';
  firstSeenAt: Date;
}

/** Where pins live (the lead's Postgres table in production; MemoryHostKeyStore in tests). */
export interface HostKeyStore {
  pinned(hostName: string): Promise<PinnedKey[]>;
  record(hostName: string, key: PinnedKey): Promise<void>;
}

export type HostKeyDecision = 'accept' | 'record' | 'reject-changed' | 'reject-unknown';

export function sameKey(a: PublicHostKey, b: PublicHostKey): boolean {
  return a.type === b.type && a.base64 === b.base64;
}

/**
 * - a pinned key matches → accept;
 * - keys are pinned but none matches → reject-changed, whatever the key types (a host that suddenly offers
 *   only another algorithm is just as suspicious);
 * - nothing pinned → record under accept-new (trust on first use), reject-unknown under strict.
 */
export function decideHostKey(
  policy: HostKeyPolicy,
  pinned: readonly PublicHostKey[],
  presented: PublicHostKey,
): HostKeyDecision {
  if (pinned.some((key) => sameKey(key, presented))) return 'accept';
  if (pinned.length > 0) return 'reject-changed';
  return policy === 'accept-new' ? 'record' : 'reject-unknown';
}

/** OpenSSH's fingerprint: `SHA256:` and the unpadded base64 of the SHA-256 of the key blob. */
export function fingerprint(key: Pick<PublicHostKey, 'base64'>): string {
  const digest = createHash('sha256').update(Buffer.from(key.base64, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The type name inside an SSH public key blob (uint32 length + name), as the server presents it. */
export function keyTypeOfBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  const type = blob.subarray(4, 4 + length).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : undefined;
}

export function publicKeyFromBlob(blob: Buffer): PublicHostKey {
  return { type: keyTypeOfBlob(blob) ?? 'unknown', base64: blob.toString('base64') };
}

/** Host key algorithms that produce a key of this type (RSA keys sign with SHA-2 algorithms too). */
export function algorithmsForKeyType(type: string): string[] {
  return type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The command an operator runs to accept an expected key change (see `patchops hosts forget-key`). */
export function forgetKeyHint(hostName: string): string {
  return `\`patchops hosts forget-key ${hostName}\``;
}

export function hostKeyChangedMessage(
  hostName: string,
  pinned: readonly PinnedKey[],
  presented: PublicHostKey,
): string {
  const sameType = pinned.filter((key) => key.type === presented.type);
  const shown = sameType.length > 0 ? sameType : pinned;
  const oldest = shown.reduce((a, b) => (a.firstSeenAt <= b.firstSeenAt ? a : b));
  const since =
    oldest.source === 'known_hosts'
      ? `imported from known_hosts on ${day(oldest.firstSeenAt)}`
      : day(oldest.firstSeenAt);
  const pins = shown.map((key) => `${key.type} ${fingerprint(key)}`).join(', ');
  return (
    `${hostName}: host key changed since ${since} (pinned ${pins}, got ${presented.type} ${fingerprint(presented)}) — ` +
    `refusing to connect; if the change is expected, remove the pinned key with ${forgetKeyHint(hostName)}`
  );
}

export function hostKeyUnknownMessage(hostName: string, presented: PublicHostKey): string {
  return (
    `${hostName}: no pinned host key and the host key policy is strict (the host presents ${presented.type} ` +
    `${fingerprint(presented)}) — refusing to connect; import a known_hosts file, or allow accept-new for the first connection`
  );
}

/** Pins in memory: for tests and for the console adapter's throwaway sessions. */
export class MemoryHostKeyStore implements HostKeyStore {
  readonly #pins = new Map<string, PinnedKey[]>();

  constructor(initial: Record<string, PinnedKey[]> = {}) {
    for (const [host, keys] of Object.entries(initial)) this.#pins.set(host, [...keys]);
  }

  async pinned(hostName: string): Promise<PinnedKey[]> {
    return [...(this.#pins.get(hostName) ?? [])];
  }

  async record(hostName: string, key: PinnedKey): Promise<void> {
    const keys = this.#pins.get(hostName) ?? [];
    if (!keys.some((existing) => sameKey(existing, key))) keys.push(key);
    this.#pins.set(hostName, keys);
  }

  forget(hostName: string): void {
    this.#pins.delete(hostName);
  }
}
