import { commandUsages } from '../grammar/commands.js';
import type { View } from '../views.js';
import {
  acceptanceView,
  advisoriesView,
  alertView,
  cveView,
  errorView,
  findingsView,
  helpView,
  hostsView,
  planView,
  rolloutView,
  runsView,
  scanView,
} from './index.js';
import { hostScan, hostSummary, scanRun } from './sample-data.js';
import { AS_OF, acceptance, cveDetail, feed, finding, totalsOf } from './sample-risk-data.js';
import {
  planDecision,
  planSummary,
  rolloutHost,
  rolloutHosts,
  rolloutSummary,
  wavesOf,
} from './sample-rollout-data.js';

/*
 * Every kind of view, ordinary and at its largest, for the chat adapters' tests: each must render within
 * its platform's limits whatever the core builds.
 */

/** Long, and full of what chat platforms read as markup, mentions and links. */
export const LONG_TEXT = `A very long text. ${'Lorem ipsum *dolor* sit `amet` <@123> [x](http://e.x) & more '.repeat(400)}`;

export function failedRolloutHosts(count: number) {
  return Array.from({ length: count }, (_, i) =>
    rolloutHost(`web-${String(i + 1).padStart(3, '0')}`, 2, {
      status: 'failed',
      phase: 'install',
      error: { code: 'apt', message: `E: dpkg was interrupted ${'x'.repeat(300)}` },
      rollback: 'failed',
      rollbackError: 'dpkg lock held by pid 4242 & <something>',
    }),
  );
}

export function manyFindings(count: number) {
  return Array.from({ length: count }, (_, i) =>
    finding(`web-${String(i).padStart(3, '0')}`, {
      priority: i % 7 === 0 ? 'P1' : 'P3',
      dueDate: '2025-04-01',
      summary: `EPSS 0.${i} ${'long reason '.repeat(10)}`,
      cves: ['CVE-2024-3094', 'CVE-2024-1111', 'CVE-2024-2222'],
    }),
  );
}

function failedRollout(count: number, now: Date): View {
  const failed = failedRolloutHosts(count);
  return rolloutView(
    rolloutSummary({
      status: 'halted',
      statusReason: LONG_TEXT,
      waves: wavesOf(failed, [1, count - 1]),
      eta: null,
    }),
    failed,
    now,
  );
}

export function sampleViews(now: Date): [string, View][] {
  const findings = manyFindings(400);
  return [
    ['help', helpView(commandUsages)],
    ['hosts', hostsView('all', [hostSummary('web-01'), hostSummary('db-01', { rebootRequired: true })])],
    [
      'hosts (300)',
      hostsView(
        'web-*',
        Array.from({ length: 300 }, (_, i) => hostSummary(`web-${i}`)),
      ),
    ],
    [
      'scan',
      scanView(scanRun({ status: 'running', total: 20, succeeded: 11, failed: 1, finishedAt: null }), [
        hostScan('web-01'),
        hostScan('web-02', { status: 'failed', error: { code: 'auth', message: 'denied <@U123> & more' } }),
      ]),
    ],
    ['runs', runsView([scanRun()], [rolloutSummary()])],
    ['error', errorView({ code: 'missing_argument', message: 'scan needs a <selector>', hint: 'usage' })],
    ['error (long)', errorView({ code: 'invalid_selector', message: LONG_TEXT })],
    [
      'alert',
      alertView({
        severity: 'critical',
        subject: 'Wave 2 halted',
        message: LONG_TEXT,
        mention: 'sre-oncall',
        fields: Array.from({ length: 40 }, (_, i) => ({ label: `field ${i}`, value: 'v'.repeat(200) })),
        buttons: [
          { label: 'Resume', command: 'resume rollout-2', style: 'primary' },
          { label: 'Roll back', command: 'rollback rollout-2', style: 'danger' },
          {
            label: 'Deny',
            command: 'deny plan-3',
            style: 'danger',
            prompt: { flag: '--reason', label: 'Why?' },
          },
        ],
      }),
    ],
    ['findings', findingsView('all', findings.slice(0, 5), totalsOf(findings.slice(0, 5)))],
    ['findings (400)', findingsView('all', findings, totalsOf(findings))],
    ['cve', cveView('CVE-2024-3094', cveDetail())],
    ['cve (unknown)', cveView('CVE-2099-0001', null)],
    ['advisories', advisoriesView([feed('osv'), feed('kev'), feed('osv:Debian:12')], `${AS_OF}T12:00:00Z`)],
    ['acceptance', acceptanceView(acceptance())],
    ['plan', planView(planSummary({ decisions: [planDecision('alice')] }), now)],
    ['rollout', rolloutView(rolloutSummary(), rolloutHosts(), now)],
    ['rollout (120 failures)', failedRollout(120, now)],
    ['rollout (300 failures)', failedRollout(300, now)],
  ];
}
