import type { BotPorts } from '../bot/core/handle.js';
import type { CveDetail } from '../bot/core/views-risk.js';
import type { Config } from '../config/index.js';
import { acceptanceById, acceptancesFor, createAcceptance, decideAcceptance } from '../db/acceptances.js';
import { feedStatus } from '../db/advisories.js';
import { audit } from '../db/audit.js';
import type { Db } from '../db/client.js';
import { threatData } from '../db/findings.js';
import { advisoriesForCve, openFindings } from '../db/findings-read.js';
import { type HostRecord, latestScans, listHosts } from '../db/hosts.js';
import { recentRolloutCounts } from '../db/rollouts.js';
import { getScanRun, listScanRuns } from '../db/scans.js';
import type { EngineClient } from '../engine/client.js';
import { readCvss } from '../engine/prioritize/index.js';
import {
  acceptanceSummary,
  coveringAcceptance,
  cveHosts,
  feedStatuses,
  findingSummary,
} from './risk-data.js';
import { rolloutSummary } from './rollout-data.js';
import { createRolloutPorts } from './rollout-ports.js';
import { hostScanSummary, hostSummary, runSummary } from './view-data.js';

const today = () => new Date().toISOString().slice(0, 10);

export function createBotPorts(db: Db, engine: EngineClient, config: Config): BotPorts<HostRecord> {
  async function hostNames(ids: number[]): Promise<string[]> {
    const byId = new Map((await listHosts(db)).map((h) => [h.id, h.name]));
    return ids.map((id) => byId.get(id) ?? `#${id}`);
  }

  async function cveDetail(cve: string): Promise<CveDetail | null> {
    const [{ advisories, affected }, rows, threat, acceptances] = await Promise.all([
      advisoriesForCve(db, cve),
      openFindings(db, { vulnerability: cve }),
      threatData(db, [cve], []),
      acceptancesFor(db, [cve]),
    ]);
    const kev = threat.kev.get(cve);
    const epss = threat.epss.get(cve);
    if (advisories.length === 0 && !kev && !epss) return null;
    const vector = (family: 'cvssV3' | 'cvssV4') =>
      advisories.map((a) => a.severity[family]).find((v) => v !== undefined);
    const score = (family: 'cvssV3' | 'cvssV4') => {
      const value = vector(family);
      const reading = value ? readCvss(value, family === 'cvssV3' ? 'v3' : 'v4') : undefined;
      return reading?.ok
        ? { score: reading.cvss.score, vector: reading.cvss.vector, severity: reading.cvss.severity }
        : undefined;
    };
    const cvssV3 = score('cvssV3');
    const cvssV4 = score('cvssV4');
    return {
      id: cve,
      description: advisories[0]?.summary ?? null,
      advisories: advisories.map((a) => ({ id: a.id, source: a.source })),
      fixedVersions: affected.map((p) => ({
        ecosystem: p.ecosystem,
        package: p.package,
        fixed: p.ranges.map((r) => r.fixed).find((f) => f !== undefined) ?? null,
      })),
      scores: {
        ...(cvssV3 ? { cvssV3 } : {}),
        ...(cvssV4 ? { cvssV4 } : {}),
        ...(epss ? { epss: { probability: epss.probability, percentile: epss.percentile } } : {}),
        ...(kev
          ? { kev: { dateAdded: kev.dateAdded, dueDate: kev.dueDate, knownRansomware: kev.knownRansomware } }
          : {}),
      },
      hosts: cveHosts(rows, acceptances, today()),
      asOf: today(),
    };
  }

  return {
    ...createRolloutPorts(db, engine, config),
    hosts: () => listHosts(db),
    async hostSummaries(hosts) {
      const { latest, ok } = await latestScans(
        db,
        hosts.map((h) => h.id),
      );
      return hosts.map((h) => hostSummary(h, latest.get(h.id), ok.get(h.id)));
    },
    async startScan(request) {
      return runSummary(await engine.startScan(request));
    },
    async scanRun(runId) {
      const state = await getScanRun(db, runId);
      return state && { run: runSummary(state.run), hosts: state.hosts.map(hostScanSummary) };
    },
    async recentRollouts() {
      return (await recentRolloutCounts(db)).map((totals) => rolloutSummary(totals));
    },
    async recentRuns() {
      return (await listScanRuns(db)).map(runSummary);
    },
    audit: (entry) => audit(db, entry),
    today,
    async findings(hosts) {
      const rows = await openFindings(db, { hostIds: hosts.map((h) => h.id) });
      const acceptances = await acceptancesFor(db, [...new Set(rows.map((r) => r.vulnerability))]);
      return rows.map((row) => findingSummary(row, coveringAcceptance(row, acceptances, today())));
    },
    cveDetail,
    async feeds() {
      return feedStatuses(await feedStatus(db));
    },
    async requestAcceptance(request) {
      const row = await createAcceptance(db, { ...request, hostIds: request.hosts.map((h) => h.id) });
      return acceptanceSummary(
        row,
        request.hosts.map((h) => h.name),
        today(),
      );
    },
    async acceptance(id) {
      const row = await acceptanceById(db, id);
      return row && acceptanceSummary(row, await hostNames(row.hostIds), today());
    },
    async decideAcceptance(id, decision) {
      const row = await decideAcceptance(db, id, decision);
      return row && acceptanceSummary(row, await hostNames(row.hostIds), today());
    },
  };
}
