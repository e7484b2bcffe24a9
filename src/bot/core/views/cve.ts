import { epssValue } from '../../../engine/prioritize/reasons.js';
import { PRIORITIES, type SsvcPath } from '../../../engine/prioritize/types.js';
import type { Block, CveDetail, CveHostFinding, Tone, View } from '../views.js';
import { clip, NONE, plural, table } from './format.js';
import { cvssCell, dueCell } from './risk-format.js';

const DECISION_LABEL = { track: 'Track', 'track*': 'Track*', attend: 'Attend', act: 'Act' } as const;
const MAX_ADVISORY_IDS = 8;

function byUrgency(a: CveHostFinding, b: CveHostFinding): number {
  return (
    PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) ||
    (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) ||
    (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)
  );
}

/** "exploitation active → automatable yes → technical impact total → mission high (internet, high) ⇒ Act" */
export function ssvcPathText(path: SsvcPath): string {
  return [
    `exploitation ${path.exploitation}`,
    `automatable ${path.automatable}`,
    `technical impact ${path.technicalImpact}`,
    `mission ${path.missionWellBeing} (${path.exposure}, ${path.criticality} criticality)`,
  ]
    .join(' → ')
    .concat(` ⇒ ${DECISION_LABEL[path.decision]}`);
}

function kevText(detail: CveDetail): string {
  const kev = detail.scores.kev;
  if (!kev) return 'not listed';
  const ransomware = kev.knownRansomware ? ', known ransomware use' : '';
  return `added ${kev.dateAdded}, due ${kev.dueDate}${ransomware}`;
}

function advisoriesText(detail: CveDetail): string {
  if (detail.advisories.length === 0) return NONE;
  const ids = detail.advisories.slice(0, MAX_ADVISORY_IDS).map((a) => a.id);
  const more = detail.advisories.length - ids.length;
  return more > 0 ? `${ids.join(', ')} +${more}` : ids.join(', ');
}

function scoreFields(detail: CveDetail, worst: CveHostFinding | undefined): Block {
  const { cvssV3, cvssV4, epss } = detail.scores;
  return {
    type: 'fields',
    fields: [
      { label: 'CVSS v3', value: cvssCell(cvssV3) },
      { label: 'CVSS v4', value: cvssCell(cvssV4) },
      { label: 'EPSS', value: epss ? epssValue(epss) : NONE },
      { label: 'KEV', value: kevText(detail) },
      ...(worst ? [{ label: 'SSVC', value: `${ssvcPathText(worst.ssvc)} on ${worst.host}` }] : []),
      { label: 'advisories', value: advisoriesText(detail) },
    ],
  };
}

function hostRows(hosts: readonly CveHostFinding[], asOf: string): string[][] {
  return hosts.map((h) => [
    h.priority,
    h.accepted?.state === 'approved' && h.accepted.until >= asOf
      ? `accepted until ${h.accepted.until}`
      : dueCell(h.dueDate, asOf),
    h.host,
    h.package,
    h.installedVersion,
    h.fixedVersion ?? 'no fix yet',
    DECISION_LABEL[h.ssvc.decision],
  ]);
}

function tone(hosts: readonly CveHostFinding[]): Tone {
  const top = hosts[0];
  if (!top) return 'success';
  return top.priority === 'P1' ? 'error' : top.priority === 'P2' ? 'warning' : 'info';
}

/** One CVE: how bad it is, why, where it is and what fixes it. `detail` null: patchops knows nothing of it. */
export function cveView(cve: string, detail: CveDetail | null): View {
  if (detail === null) {
    return {
      kind: 'cve',
      cve,
      detail: null,
      title: cve,
      tone: 'info',
      blocks: [{ type: 'text', text: `No advisory or finding mentions ${cve}.` }],
    };
  }
  const hosts = [...detail.hosts].sort(byUrgency);
  const worst = hosts[0];
  const blocks: Block[] = [];
  if (detail.description) blocks.push({ type: 'text', text: clip(detail.description, 300) });
  blocks.push(scoreFields(detail, worst));
  blocks.push(
    hosts.length === 0
      ? { type: 'text', text: 'No scanned host has an affected version.' }
      : {
          type: 'text',
          text: `${plural(hosts.length, 'host')} affected; most urgent: ${worst?.priority}, due ${worst?.dueDate}`,
        },
  );
  if (hosts.length > 0) {
    blocks.push(
      table(['P', 'due', 'host', 'package', 'installed', 'fixed', 'SSVC'], hostRows(hosts, detail.asOf)),
    );
  }
  if (detail.fixedVersions.length > 0) {
    const rows = detail.fixedVersions.map((f) => [f.ecosystem, f.package, f.fixed ?? 'no fix yet']);
    blocks.push(table(['release', 'package', 'fixed in'], rows));
  }
  if (hosts.length > 0) {
    blocks.push({
      type: 'actions',
      buttons: [{ label: 'Show findings', command: `findings all --cve ${cve}` }],
    });
  }
  return {
    kind: 'cve',
    cve,
    detail: { ...detail, hosts },
    title: worst ? `${cve} · ${worst.priority}` : cve,
    tone: tone(hosts),
    blocks,
  };
}
