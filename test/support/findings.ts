import type { FindingRow } from '../../src/db/findings.js';
import { addDays } from '../../src/engine/prioritize/index.js';

/** A P2 finding, due in a week, for CVE-2099-0001 in openssl (binary libssl3): what bot tests need open. */
export function opensslFinding(today: string, versions: { installed: string; fixed: string }): FindingRow {
  return {
    package: 'openssl',
    binaryPackages: ['libssl3'],
    vulnerability: 'CVE-2099-0001',
    installedVersion: versions.installed,
    fixedVersion: versions.fixed,
    cves: ['CVE-2099-0001'],
    advisories: ['DSA-9001-1'],
    priority: 'P2',
    decision: 'attend',
    dueDate: addDays(today, 7),
    reasons: [{ code: 'cvss', text: 'CVSS 9.8 network' }],
    summary: 'CVSS 9.8 network',
    scores: {},
    ssvc: {
      exploitation: 'none',
      automatable: 'yes',
      technicalImpact: 'total',
      missionWellBeing: 'medium',
      exposure: 'internal',
      criticality: 'medium',
      decision: 'attend',
    },
    firstSeenAt: new Date(),
  };
}
