import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

export interface SimHostKey {
  /** OpenSSH private key file text, as ssh2's Server takes it. */
  privateKey: string;
  /** `ssh-ed25519 AAAA...`, for pinning. */
  publicKey: string;
}

/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it. */
const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

/**
 * An Ed25519 host key derived from the fleet seed, so that a restarted demo fleet keeps its keys and
 * pinned keys stay valid (a fresh random key would make every host look like a man in the middle).
 * Written in the unencrypted "openssh-key-v1" format (OpenSSH's PROTOCOL.key), which ssh2 reads.
 */
export function simHostKey(seed: number | string): SimHostKey {
  const secret = createHash('sha256').update(`patchops-sim-host-key\0${seed}`).digest();
  const key = createPrivateKey({
    key: Buffer.concat([pkcs8Ed25519Prefix, secret]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicRaw = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(-32);
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicRaw)]);
  const check = uint32(secret.readUInt32BE(0));
  const privateSection = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(publicRaw),
    sshString(Buffer.concat([secret, publicRaw])),
    sshString('patchops-sim'),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (privateSection.length % 8)) % 8 }, (_, i) => i + 1));
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(Buffer.concat([privateSection, padding])),
  ]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${publicBlob.toString('base64')}`,
  };
}
