import type { AcceptanceState, AcceptanceSummary, Block, Tone, View } from '../views.js';
import { clip, plural, timeCell } from './format.js';

const TONE: Record<AcceptanceState, Tone> = {
  pending: 'warning',
  approved: 'success',
  denied: 'error',
  expired: 'warning',
};

const MAX_LISTED_HOSTS = 10;

function hostsText(acceptance: AcceptanceSummary): string {
  const { hosts, selector } = acceptance;
  const listed = hosts.slice(0, MAX_LISTED_HOSTS).join(', ');
  const more = hosts.length > MAX_LISTED_HOSTS ? ` +${hosts.length - MAX_LISTED_HOSTS}` : '';
  return `${selector} (${plural(hosts.length, 'host')}${hosts.length > 0 ? `: ${listed}${more}` : ''})`;
}

function stateText(acceptance: AcceptanceSummary): string {
  switch (acceptance.state) {
    case 'pending':
      return `Waiting for an approver. Until then ${acceptance.cve} keeps its priority and due date.`;
    case 'approved':
      return `Accepted until ${acceptance.until}: these findings leave the queue until then.`;
    case 'denied':
      return `Denied: ${acceptance.cve} keeps its priority and due date.`;
    case 'expired':
      return `Expired on ${acceptance.until}: the findings are back in the queue.`;
  }
}

/**
 * The risk-acceptance card. While pending it carries Approve and Deny; both are the typed commands
 * (`approve accept-12`, `deny accept-12 --reason "…"`), and Deny asks the clicker for the reason.
 */
export function acceptanceView(acceptance: AcceptanceSummary): View {
  const fields = [
    { label: 'CVE', value: acceptance.cve },
    { label: 'hosts', value: hostsText(acceptance) },
    { label: 'until', value: acceptance.until },
    { label: 'reason', value: clip(acceptance.reason, 300) },
    { label: 'requested', value: `${acceptance.requestedBy}, ${timeCell(acceptance.requestedAt)}` },
  ];
  if (acceptance.decidedBy !== null) {
    const verb = acceptance.state === 'denied' ? 'denied' : 'approved';
    fields.push({ label: verb, value: `${acceptance.decidedBy}, ${timeCell(acceptance.decidedAt)}` });
  }
  if (acceptance.denyReason !== null) {
    fields.push({ label: 'why denied', value: clip(acceptance.denyReason, 300) });
  }
  const blocks: Block[] = [
    { type: 'fields', fields },
    { type: 'text', text: stateText(acceptance), muted: acceptance.state !== 'pending' },
  ];
  if (acceptance.state === 'pending') {
    blocks.push({
      type: 'actions',
      buttons: [
        { label: 'Approve', command: `approve ${acceptance.id}`, style: 'primary' },
        {
          label: 'Deny',
          command: `deny ${acceptance.id}`,
          style: 'danger',
          prompt: { flag: '--reason', label: 'why deny' },
        },
      ],
    });
  }
  return {
    kind: 'acceptance',
    acceptance,
    title: `Risk acceptance ${acceptance.id} · ${acceptance.cve} · ${acceptance.state}`,
    tone: TONE[acceptance.state],
    blocks,
  };
}
