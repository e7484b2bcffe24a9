import type { BotPorts } from '../bot/core/handle.js';
import { audit } from '../db/audit.js';
import type { Db } from '../db/client.js';
import { type HostRecord, latestScans, listHosts } from '../db/hosts.js';
import { getScanRun, listScanRuns } from '../db/scans.js';
import type { EngineClient } from '../engine/client.js';
import { hostScanSummary, hostSummary, runSummary } from './view-data.js';

export function createBotPorts(db: Db, engine: EngineClient): BotPorts<HostRecord> {
  return {
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
    async recentRuns() {
      return (await listScanRuns(db)).map(runSummary);
    },
    audit: (entry) => audit(db, entry),
  };
}
