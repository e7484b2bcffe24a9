import { createHash } from 'node:crypto';
import type { PackageSpecInput } from './deb.js';
import type { RepoName } from './repos.js';

export interface CatalogEntry {
  repo: RepoName;
  spec: PackageSpecInput;
  /** Installed in the base, so every fresh host starts with it. */
  installed: boolean;
}

/** Names tests can refer to without repeating strings. */
export const demoPackages = {
  /** 1.0-1 installed; 1.0-2 in security. Tests publish 1.0-3 (broken health check) later. */
  web: 'patchops-demo-web',
  /** 2.0-1 installed; 2.1-1 in updates: a non-security update. */
  tools: 'patchops-demo-tools',
  /** 5.10.0-1 installed; 5.10.0-2 in security, whose postinst asks for a reboot. */
  kernel: 'patchops-demo-kernel',
  /** Epoch and tilde: 1:1.0~rc1-1 installed, 1:1.0-1 in security. */
  epoch: 'patchops-demo-epoch',
  /** Binary packages of source `patchops-demo-openssl`: 3.0.11-1 installed, 3.0.13-1 in security. */
  libssl: 'patchops-demo-libssl3',
  openssl: 'patchops-demo-openssl',
  /** Installed and already current: no update anywhere. */
  stable: 'patchops-demo-stable',
} as const;

export const demoSourceOfOpenssl = 'patchops-demo-openssl';

/** The repositories' starting content. Changing it rebuilds the base (its stamp includes catalogHash). */
export const baselineCatalog: readonly CatalogEntry[] = [
  { repo: 'main', installed: true, spec: { name: demoPackages.web, version: '1.0-1' } },
  { repo: 'security', installed: false, spec: { name: demoPackages.web, version: '1.0-2' } },
  { repo: 'main', installed: true, spec: { name: demoPackages.tools, version: '2.0-1' } },
  { repo: 'updates', installed: false, spec: { name: demoPackages.tools, version: '2.1-1' } },
  { repo: 'main', installed: true, spec: { name: demoPackages.kernel, version: '5.10.0-1' } },
  {
    repo: 'security',
    installed: false,
    spec: { name: demoPackages.kernel, version: '5.10.0-2', requiresReboot: true },
  },
  { repo: 'main', installed: true, spec: { name: demoPackages.epoch, version: '1:1.0~rc1-1' } },
  { repo: 'security', installed: false, spec: { name: demoPackages.epoch, version: '1:1.0-1' } },
  {
    repo: 'main',
    installed: true,
    spec: { name: demoPackages.libssl, version: '3.0.11-1', source: demoSourceOfOpenssl },
  },
  {
    repo: 'main',
    installed: true,
    spec: {
      name: demoPackages.openssl,
      version: '3.0.11-1',
      depends: [`${demoPackages.libssl} (>= 3.0.11-1)`],
    },
  },
  {
    repo: 'security',
    installed: false,
    spec: { name: demoPackages.libssl, version: '3.0.13-1', source: demoSourceOfOpenssl },
  },
  {
    repo: 'security',
    installed: false,
    spec: {
      name: demoPackages.openssl,
      version: '3.0.13-1',
      depends: [`${demoPackages.libssl} (>= 3.0.13-1)`],
    },
  },
  { repo: 'main', installed: true, spec: { name: demoPackages.stable, version: '1.0-1' } },
];

export function catalogHash(catalog: readonly CatalogEntry[] = baselineCatalog): string {
  return createHash('sha256').update(JSON.stringify(catalog)).digest('hex').slice(0, 16);
}
