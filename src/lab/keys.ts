import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabConfig } from './config.js';
import { labPaths } from './config.js';
import { mustRun } from './run.js';
import { labUserName } from './users.js';

/** A new unencrypted ed25519 key pair at `file` and `file.pub`. */
export async function generateKeyPair(file: string, comment: string): Promise<void> {
  await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

/**
 * The lab's client key pair, made once. Its public half is authorized for root and the lab user through a
 * root-owned directory outside the chroots (sshd reads authorized keys before it chroots).
 */
export async function ensureClientKey(config: LabConfig): Promise<{ privateKey: string; publicKey: string }> {
  const paths = labPaths(config);
  await mkdir(paths.keys, { recursive: true, mode: 0o755 });
  await chmod(paths.keys, 0o755);
  let publicKey: string;
  try {
    publicKey = (await readFile(`${paths.clientKey}.pub`, 'utf8')).trim();
    await readFile(paths.clientKey);
  } catch {
    await generateKeyPair(paths.clientKey, 'patchops-lab');
    publicKey = (await readFile(`${paths.clientKey}.pub`, 'utf8')).trim();
  }
  await chmod(paths.clientKey, 0o600);
  await mkdir(paths.authorizedKeysDir, { recursive: true, mode: 0o755 });
  await chmod(paths.authorizedKeysDir, 0o755);
  for (const user of ['root', labUserName]) {
    // Root-owned and world-readable: sshd reads it as the user, and StrictModes accepts root ownership.
    const file = path.join(paths.authorizedKeysDir, user);
    await writeFile(file, `${publicKey}\n`, { mode: 0o644 });
    await chmod(file, 0o644);
  }
  return { privateKey: paths.clientKey, publicKey };
}
