import { describe, expect, it } from 'vitest';
import { compareVersions, isValidVersion, versioning, versionSchemes } from './index.js';

describe('versioning registry', () => {
  it('has one module per scheme', () => {
    expect(Object.keys(versioning).sort()).toEqual([...versionSchemes].sort());
  });

  it('dispatches compareVersions and isValidVersion to the scheme module', () => {
    expect(compareVersions('dpkg', '1.0~rc1', '1.0')).toBe(-1);
    expect(compareVersions('rpm', '1.0^git1', '1.0')).toBe(1);
    expect(compareVersions('apk', '1.0_rc1', '1.0')).toBe(-1);
    // "1.0-r1" is a dpkg version with revision "r1", an rpm release, and an apk revision: all newer.
    for (const scheme of versionSchemes) expect(compareVersions(scheme, '1.0-r1', '1.0')).toBe(1);
    expect(isValidVersion('dpkg', '1.0-1')).toBe(true);
    expect(isValidVersion('rpm', '1.0-1.el9')).toBe(true);
    expect(isValidVersion('apk', '1.0-r1')).toBe(true);
    expect(isValidVersion('apk', '1.0-1')).toBe(false);
  });
});
