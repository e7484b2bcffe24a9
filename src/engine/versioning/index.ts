/**
 * Exact version ordering for the package schemes patchops scans, one module per scheme behind
 * `Versioning` (see readme.md). Hot loops should fetch `versioning[scheme].compare` once and call it
 * directly; `compareVersions` is the convenient form.
 */
import type { VersionScheme } from '../package-managers/types.js';
import { apk } from './apk/index.js';
import { dpkg } from './dpkg/index.js';
import { rpm } from './rpm/index.js';
import type { Ordering, Versioning } from './types.js';

export type { Ordering, Versioning, VersionScheme };

export const versioning: Readonly<Record<VersionScheme, Versioning>> = Object.freeze({ dpkg, rpm, apk });

export const versionSchemes: readonly VersionScheme[] = Object.freeze(['dpkg', 'rpm', 'apk']);

/** -1 when `a` is older than `b`, 0 when the scheme considers them equal, 1 when `a` is newer. */
export function compareVersions(scheme: VersionScheme, a: string, b: string): Ordering {
  return versioning[scheme].compare(a, b);
}

export function isValidVersion(scheme: VersionScheme, version: string): boolean {
  return versioning[scheme].isValid(version);
}
