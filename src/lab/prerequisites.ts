import { access, constants, readFile } from 'node:fs/promises';

const requiredTools: Record<string, string> = {
  '/usr/sbin/debootstrap': 'debootstrap',
  '/usr/sbin/sshd': 'openssh-server',
  '/usr/bin/ssh-keygen': 'openssh-client',
  '/usr/bin/dpkg-deb': 'dpkg',
  '/usr/bin/apt-ftparchive': 'apt-utils',
  '/usr/sbin/chroot': 'coreutils',
  '/usr/bin/mount': 'mount',
};

export interface LabReadiness {
  ready: boolean;
  problems: string[];
}

/** Can this machine run the lab? Root, the tools, and overlayfs. Says what is missing and how to get it. */
export async function labReadiness(): Promise<LabReadiness> {
  const problems: string[] = [];
  if (process.platform !== 'linux') problems.push(`the lab needs Linux (this is ${process.platform})`);
  if (process.getuid?.() !== 0) problems.push('the lab needs root (mounts, chroots, one sshd per host)');
  const missing: string[] = [];
  for (const [file, pkg] of Object.entries(requiredTools)) {
    try {
      await access(file, constants.X_OK);
    } catch {
      missing.push(`${file} (apt-get install ${pkg})`);
    }
  }
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}; run .ci/install-deps.sh`);
  const filesystems = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  if (!/\boverlay\b/.test(filesystems))
    problems.push('the kernel has no overlay filesystem (modprobe overlay)');
  return { ready: problems.length === 0, problems };
}
