import type { EngineEvent } from '../events/index.js';
import type { RefreshResult } from './refresh.js';

type Alert = Extract<EngineEvent, { type: 'alert' }>;

function hostList(hosts: string[]): string {
  return hosts.length > 5 ? `${hosts.slice(0, 5).join(', ')} and ${hosts.length - 5} more` : hosts.join(', ');
}

/**
 * What deserves a page after findings changed: every new P1, or finding that became P1 (grouped by
 * vulnerability), and every KEV entry that is new in this import and hits the fleet. Pure: the caller publishes.
 */
export function findingAlerts(results: RefreshResult[], newKev: readonly string[] = []): Alert[] {
  const alerts: Alert[] = [];
  const newP1 = new Map<string, { hosts: string[]; summary: string; fixed: string | null; pkg: string }>();
  for (const result of results) {
    for (const finding of [...result.opened, ...result.escalated].filter((f) => f.priority === 'P1')) {
      const entry = newP1.get(finding.vulnerability) ?? {
        hosts: [],
        summary: finding.summary,
        fixed: finding.fixedVersion,
        pkg: finding.package,
      };
      entry.hosts.push(result.host);
      newP1.set(finding.vulnerability, entry);
    }
  }
  for (const [vulnerability, entry] of newP1) {
    alerts.push({
      type: 'alert',
      severity: 'critical',
      subject: vulnerability,
      message: `New P1: ${vulnerability} in ${entry.pkg} on ${entry.hosts.length} host(s): ${hostList(entry.hosts)}. ${entry.summary}. ${entry.fixed ? `Fixed in ${entry.fixed}.` : 'No fix yet.'}`,
    });
  }
  const kev = new Set(newKev);
  const hit = new Map<string, string[]>();
  for (const result of results) {
    for (const finding of result.current) {
      for (const cve of finding.cves) if (kev.has(cve)) hit.set(cve, [...(hit.get(cve) ?? []), result.host]);
    }
  }
  for (const [cve, hosts] of hit) {
    if (newP1.has(cve)) continue; // already paged as a new P1
    alerts.push({
      type: 'alert',
      severity: 'critical',
      subject: cve,
      message: `${cve} was just added to CISA KEV and affects ${hosts.length} host(s): ${hostList(hosts)}.`,
    });
  }
  return alerts;
}
