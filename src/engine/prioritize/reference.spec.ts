import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCvss } from './cvss.js';
import { DEFAULT_POLICY } from './policy.js';
import { prioritize } from './prioritize.js';
import { coordinatorDecision } from './ssvc.js';
import type { Automatable, Exploitation, MissionWellBeing, TechnicalImpact } from './types.js';

/**
 * Optional conformance suite: CERT/CC's SSVC decision tables and NVD, KEV and EPSS samples kept beside
 * the project in ../shared/reference (never copied into it). Skipped, with a notice, where absent.
 */
const reference = new URL('../../../../shared/reference/', import.meta.url);
const file = (path: string) => new URL(path, reference);
const present = existsSync(file('ssvc/cisa_coordinator_2_0_3.csv'));
if (!present) console.log(`notice: ${reference.pathname} is absent; SSVC/KEV/EPSS reference suite skipped`);

function csvRows(path: string): string[][] {
  return readFileSync(file(path), 'utf8')
    .trim()
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .slice(1)
    .map((line) => line.split(','));
}

describe.skipIf(!present)('SSVC and feed reference data', () => {
  it('matches every row of the CISA coordinator table (SSVC 2.0.3)', () => {
    const rows = csvRows('ssvc/cisa_coordinator_2_0_3.csv');
    expect(rows).toHaveLength(36);
    for (const [row, exploitation, automatable, technicalImpact, mission, outcome] of rows) {
      const decision = coordinatorDecision({
        exploitation: exploitation as Exploitation,
        automatable: automatable as Automatable,
        technicalImpact: technicalImpact as TechnicalImpact,
        missionWellBeing: mission as MissionWellBeing,
      });
      expect({ row, decision }).toEqual({ row, decision: outcome });
    }
  });

  it("derives the same SSVC values from NVD's CVSS vector as CISA's ADP did (CVE-2024-3094)", () => {
    const nvd = JSON.parse(readFileSync(file('nvd/CVE-2024-3094.nvd-api-2.0.json'), 'utf8'));
    const metrics = nvd.vulnerabilities[0].cve.metrics;
    const vector: string = metrics.cvssMetricV31[0].cvssData.vectorString;
    const published: Record<string, string> = Object.assign({}, ...metrics.ssvcV203[0].ssvcData.options);
    const reading = readCvss(vector, 'v3');
    expect(reading.ok && reading.cvss.score).toBe(metrics.cvssMetricV31[0].cvssData.baseScore);
    const result = prioritize(
      { cvssV3: vector, hostTags: {}, fixAvailable: true },
      DEFAULT_POLICY,
      '2024-03-29',
    );
    expect({
      exploitation: result.ssvc.exploitation,
      automatable: result.ssvc.automatable,
      technicalImpact: result.ssvc.technicalImpact,
    }).toEqual(published);
  });

  it('puts every KEV entry at P1 (ransomware) or P2, due no later than its KEV date', () => {
    const kev = JSON.parse(readFileSync(file('kev/kev_sample.json'), 'utf8'));
    expect(kev.vulnerabilities.length).toBeGreaterThan(20);
    for (const entry of kev.vulnerabilities) {
      const knownRansomware = entry.knownRansomwareCampaignUse === 'Known';
      const result = prioritize(
        {
          kev: { dateAdded: entry.dateAdded, dueDate: entry.dueDate, knownRansomware },
          hostTags: {},
          fixAvailable: true,
        },
        DEFAULT_POLICY,
        entry.dateAdded,
      );
      expect(result.priority).toBe(knownRansomware ? 'P1' : 'P2');
      expect(result.dueDate <= entry.dueDate).toBe(true);
      expect(result.summary.startsWith(`KEV since ${entry.dateAdded}`)).toBe(true);
    }
  });

  it('words real EPSS scores without exponents and sorts them by the PoC threshold', () => {
    for (const path of ['epss/epss_scores-current_head.csv', 'epss/epss_scores-current_2020-slice.csv']) {
      for (const [, epss, percentile] of csvRows(path)) {
        const probability = Number(epss);
        const result = prioritize(
          { epss: { probability, percentile: Number(percentile) }, hostTags: {}, fixAvailable: true },
          DEFAULT_POLICY,
          '2025-01-01',
        );
        const text = result.reasons.find((r) => r.code.startsWith('epss'))?.text ?? '';
        expect(text).toMatch(/^EPSS [0-9.]+ \(\d{1,3}(st|nd|rd|th) pct\)$/);
        expect(result.ssvc.exploitation).toBe(probability >= 0.1 ? 'public poc' : 'none');
      }
    }
  });
});
