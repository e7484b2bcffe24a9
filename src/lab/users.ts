import { mustRun, runProcess } from './run.js';

/** The non-root login every lab host accepts; real fleets forbid root logins, so tests use this one. */
export const labUserName = 'patchops';

export interface LabUser {
  name: string;
  uid: number;
  gid: number;
}

async function idOf(flag: '-u' | '-g', name: string): Promise<number> {
  const result = await mustRun('id', [flag, name]);
  return Number.parseInt(result.stdout.trim(), 10);
}

/**
 * sshd authenticates against the machine's own passwd before it chroots, so the lab user must exist on the
 * machine. With `UsePAM no` a password field of "!" means locked: "*" means "no password, not locked".
 */
export async function ensureMachineUser(name = labUserName): Promise<LabUser> {
  const existing = await runProcess('getent', ['passwd', name]);
  if (existing.code !== 0) {
    await mustRun('useradd', [
      '--no-create-home',
      '--home-dir',
      `/home/${name}`,
      '--shell',
      '/bin/bash',
      '-U',
      name,
    ]);
  }
  await mustRun('usermod', ['-p', '*', name]);
  return { name, uid: await idOf('-u', name), gid: await idOf('-g', name) };
}
