import { describe, expect, it } from 'vitest';
import { renderView } from '../../adapters/console/render.js';
import { acceptanceView } from './acceptance.js';
import { advisoriesView, feedFreshness } from './advisories.js';
import { cveView } from './cve.js';
import { acceptance, cveDetail, cveHost, feed } from './sample-risk-data.js';

describe('cveView', () => {
  it('shows the scores, the SSVC path of the most urgent host, the hosts and the fixes', () => {
    const view = cveView('CVE-2024-3094', cveDetail());
    expect(renderView(view)).toBe(
      [
        '! CVE-2024-3094 · P2',
        'Malicious code was discovered in the upstream tarballs of xz, starting with version 5.6.0.',
        'CVSS v3:    10.0 critical · CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
        'CVSS v4:    —',
        'EPSS:       0.84 (98th pct)',
        'KEV:        not listed',
        'SSVC:       exploitation none → automatable yes → technical impact total → mission high (internet, medium criticality) ⇒ Attend on web-01',
        'advisories: DEBIAN-CVE-2024-3094, DSA-5649-1',
        '2 hosts affected; most urgent: P2, due 2025-03-06',
        'P   due     host    package   installed  fixed                SSVC',
        '──  ──────  ──────  ────────  ─────────  ───────────────────  ──────',
        'P2  in 2d   web-01  xz-utils  5.6.0-0.2  5.6.1+really5.4.5-1  Attend',
        'P4  in 87d  db-01   xz-utils  5.6.0-0.2  5.6.1+really5.4.5-1  Track',
        'release           package   fixed in',
        '────────────────  ────────  ───────────────────',
        'Debian:12         xz-utils  5.6.1+really5.4.5-1',
        'Ubuntu:24.04:LTS  xz-utils  no fix yet',
        '[Show findings] → /patch findings all --cve CVE-2024-3094',
      ].join('\n'),
    );
    expect(view.kind === 'cve' && view.detail?.hosts.map((h) => h.host)).toEqual(['web-01', 'db-01']);
  });

  it('words KEV dates and ransomware, and a host under an accepted risk', () => {
    const view = cveView(
      'CVE-2024-3094',
      cveDetail({
        scores: { kev: { dateAdded: '2024-03-29', dueDate: '2024-04-19', knownRansomware: true } },
        hosts: [
          cveHost('web-01', {
            priority: 'P1',
            accepted: {
              id: 'accept-2',
              state: 'approved',
              until: '2025-04-01',
              requestedBy: 'bob',
              reason: 'x',
            },
          }),
        ],
      }),
    );
    const text = renderView(view);
    expect(text).toContain('KEV:        added 2024-03-29, due 2024-04-19, known ransomware use');
    expect(text).toContain('P1  accepted until 2025-04-01  web-01');
    expect(view.tone).toBe('error');
  });

  it('says so when nothing is known, or no host is affected', () => {
    expect(renderView(cveView('CVE-2099-0001', null))).toBe(
      ['• CVE-2099-0001', 'No advisory or finding mentions CVE-2099-0001.'].join('\n'),
    );
    const clean = cveView('CVE-2024-3094', cveDetail({ hosts: [] }));
    expect(clean.tone).toBe('success');
    expect(renderView(clean)).toContain('No scanned host has an affected version.');
    expect(clean.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});

describe('advisoriesView', () => {
  const now = '2025-03-04T10:30:00Z';

  it('lists each feed with its age, last change and a warning when stale, failed or never imported', () => {
    const view = advisoriesView(
      [
        feed('osv:Debian:12'),
        feed('kev', {
          kind: 'kev',
          records: 1404,
          lastImportAt: '2025-03-01T06:00:00Z',
          lastChange: { added: 0, updated: 0, removed: 0 },
        }),
        feed('epss', { kind: 'epss', records: 0, lastImportAt: null, lastChange: null }),
        feed('osv:Ubuntu:24.04:LTS', { lastError: 'HTTP 503 from the OSV bucket' }),
      ],
      now,
    );
    expect(view.tone).toBe('warning');
    expect(renderView(view)).toBe(
      [
        '! Advisory feeds',
        '4 feeds: 2 stale, 1 failed',
        'source                records  last import       age    last change          status',
        `────────────────────  ───────  ────────────────  ─────  ───────────────────  ${'─'.repeat(36)}`,
        'epss                        0  —                 never  —                    never imported',
        'kev                     1,404  2025-03-01 06:00  3d 4h  no change            stale (over 2d)',
        'osv:Debian:12          41,230  2025-03-04 06:00  4h     12 added, 3 updated  ok',
        'osv:Ubuntu:24.04:LTS   41,230  2025-03-04 06:00  4h     12 added, 3 updated  failed: HTTP 503 from the OSV bucket',
      ].join('\n'),
    );
    expect(view.kind === 'advisories' && view.feeds.map((f) => [f.source, f.stale])).toEqual([
      ['epss', true],
      ['kev', true],
      ['osv:Debian:12', false],
      ['osv:Ubuntu:24.04:LTS', false],
    ]);
  });

  it('takes the staleness thresholds per feed kind', () => {
    const epss = feed('epss', { kind: 'epss', lastImportAt: '2025-03-03T10:00:00Z' });
    expect(feedFreshness(epss, now, { osv: 48, kev: 48, epss: 48 })).toMatchObject({
      ageHours: 24.5,
      stale: false,
    });
    expect(feedFreshness(epss, now, { osv: 48, kev: 48, epss: 24 }).stale).toBe(true);
    const fresh = advisoriesView([feed('osv:Debian:12')], now);
    expect(fresh.tone).toBe('success');
    expect(fresh.blocks[0]).toEqual({ type: 'text', text: '1 feed, all fresh' });
  });

  it('warns when no feed was ever imported', () => {
    expect(renderView(advisoriesView([], now))).toBe(
      ['! Advisory feeds', 'No advisory feed has been imported yet: no finding can be matched.'].join('\n'),
    );
  });
});

describe('acceptanceView', () => {
  it('offers Approve and Deny while pending; Deny asks for the reason', () => {
    const view = acceptanceView(acceptance());
    expect(renderView(view)).toBe(
      [
        '! Risk acceptance accept-12 · CVE-2024-3094 · pending',
        'CVE:       CVE-2024-3094',
        'hosts:     web-* (2 hosts: web-01, web-02)',
        'until:     2025-06-30',
        'reason:    vendor appliance; fix ships in Q2, WAF rule in place',
        'requested: bob, 2025-03-04 09:15',
        'Waiting for an approver. Until then CVE-2024-3094 keeps its priority and due date.',
        '[Approve] → /patch approve accept-12',
        '[Deny] → /patch deny accept-12 --reason "<why deny>"',
      ].join('\n'),
    );
    expect(view.blocks.at(-1)).toEqual({
      type: 'actions',
      buttons: [
        { label: 'Approve', command: 'approve accept-12', style: 'primary' },
        {
          label: 'Deny',
          command: 'deny accept-12',
          style: 'danger',
          prompt: { flag: '--reason', label: 'why deny' },
        },
      ],
    });
  });

  it.each([
    ['approved', 'success', 'approved:  carol, 2025-03-04 10:00', 'Accepted until 2025-06-30'],
    ['denied', 'error', 'why denied: no compensating control', 'Denied: CVE-2024-3094 keeps its priority'],
    ['expired', 'warning', 'approved:  carol, 2025-03-04 10:00', 'Expired on 2025-06-30'],
  ] as const)('shows the %s state without buttons', (state, tone, field, text) => {
    const view = acceptanceView(
      acceptance({
        state,
        decidedBy: 'carol',
        decidedAt: '2025-03-04T10:00:00Z',
        denyReason: state === 'denied' ? 'no compensating control' : null,
      }),
    );
    const rendered = renderView(view);
    expect(view.tone).toBe(tone);
    expect(rendered).toContain(field);
    expect(rendered).toContain(text);
    expect(view.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('lists at most ten hosts by name', () => {
    const hosts = Array.from({ length: 14 }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);
    expect(renderView(acceptanceView(acceptance({ hosts })))).toContain(
      'hosts:     web-* (14 hosts: web-01, web-02, web-03, web-04, web-05, web-06, web-07, web-08, web-09, web-10 +4)',
    );
  });
});
