import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildDeb, type PackageSpecInput } from './deb.js';
import { mustRun } from './run.js';

export const repoNames = ['main', 'security', 'updates'] as const;
/** Bump when the layout of the repositories changes: cached ones are rebuilt, and the base with them. */
export const repoFormat = 4;
export type RepoName = (typeof repoNames)[number];

/**
 * Release fields copied from Debian's own archives, so apt reports the same origins it does on a real
 * bookworm host: security updates come from Label "Debian-Security", the rest from Label "Debian".
 */
const releaseFields: Record<RepoName, Record<string, string>> = {
  main: { Origin: 'Debian', Label: 'Debian', Suite: 'bookworm', Codename: 'bookworm', Version: '12' },
  security: {
    Origin: 'Debian',
    Label: 'Debian-Security',
    Suite: 'bookworm-security',
    Codename: 'bookworm-security',
    Version: '12',
  },
  updates: {
    Origin: 'Debian',
    Label: 'Debian',
    Suite: 'bookworm-updates',
    Codename: 'bookworm-updates',
    Version: '12',
  },
};

export function repoDir(reposDir: string, repo: RepoName): string {
  return path.join(reposDir, repo);
}

/** The apt sources a lab host uses: only the local repositories, so every scan sees the same updates. */
export function labSourcesList(reposDir: string): string {
  const lines = repoNames.map((repo) => `deb [trusted=yes] file:${repoDir(reposDir, repo)} ./`);
  return `# patchops lab: local repositories only (see src/lab/repos.ts)\n${lines.join('\n')}\n`;
}

/**
 * Regenerate the index and Release. The repository ships Packages.gz only: apt symlinks an uncompressed
 * file: index into its lists, so hosts would see every publish at once; a .gz is copied by `apt-get update`,
 * as from a real mirror. Release lists the uncompressed Packages too, as Debian's do: apt looks that name up.
 */
export async function indexRepo(reposDir: string, repo: RepoName): Promise<void> {
  const dir = repoDir(reposDir, repo);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const staging = await mkdtemp(path.join(reposDir, `.index-${repo}-`));
  try {
    const packages = await mustRun('apt-ftparchive', ['packages', '.'], { cwd: dir });
    await writeFile(path.join(staging, 'Packages'), packages.stdout);
    await writeFile(path.join(staging, 'Packages.gz'), gzipSync(packages.stdout, { level: 9 }));
    const fieldOptions = Object.entries(releaseFields[repo]).flatMap(([field, value]) => [
      '-o',
      `APT::FTPArchive::Release::${field}=${value}`,
    ]);
    const release = await mustRun(
      'apt-ftparchive',
      [...fieldOptions, '-o', 'APT::FTPArchive::Release::Architectures=all amd64', 'release', '.'],
      { cwd: staging },
    );
    await writeFile(path.join(staging, 'Release'), release.stdout);
    await rm(path.join(dir, 'Packages'), { force: true });
    // Each rename is atomic; the index first, so a Release never names an index that is not there yet.
    await rename(path.join(staging, 'Packages.gz'), path.join(dir, 'Packages.gz'));
    await rename(path.join(staging, 'Release'), path.join(dir, 'Release'));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Build a package into a repository and re-index it. Hosts see it after their next `apt-get update`. */
export async function publishToRepo(
  reposDir: string,
  repo: RepoName,
  spec: PackageSpecInput,
): Promise<string> {
  const dir = repoDir(reposDir, repo);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const deb = await buildDeb(spec, dir);
  await indexRepo(reposDir, repo);
  return deb;
}

/** Build many packages and index each touched repository once (dpkg-deb is the slow part, not apt-ftparchive). */
export async function publishManyToRepos(
  reposDir: string,
  entries: readonly { repo: RepoName; spec: PackageSpecInput }[],
): Promise<void> {
  for (const entry of entries) {
    const dir = repoDir(reposDir, entry.repo);
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await buildDeb(entry.spec, dir);
  }
  for (const repo of repoNames) await indexRepo(reposDir, repo);
}

export async function debsIn(reposDir: string, repo: RepoName): Promise<string[]> {
  const dir = repoDir(reposDir, repo);
  const entries = await readdir(dir).catch(() => []);
  return entries.filter((entry) => entry.endsWith('.deb')).map((entry) => path.join(dir, entry));
}

export async function removeRepos(reposDir: string): Promise<void> {
  for (const repo of repoNames) await rm(repoDir(reposDir, repo), { recursive: true, force: true });
}
