import { z } from 'zod';
import { defineCommand } from './define.js';
import { cveIdArgument, limitFlag, priorityListFlag, reasonFlag, untilFlag } from './risk-values.js';
import { decisionIdArgument } from './rollout-values.js';
import { selectorArgument } from './values.js';

/*
 * What to patch first, and risk acceptance. An acceptance is requested by an operator (`accept`) and
 * decided by an approver with the same verbs every approval card uses: `approve <id>`, `deny <id>`.
 */

export const findingsCommand = defineCommand({
  name: 'findings',
  usage: 'findings [selector] [--priority P1[,P2]] [--kev] [--cve CVE-ID] [--limit N]',
  summary: 'What to patch first: vulnerable packages by priority and due date (default: all hosts).',
  args: {
    selector: selectorArgument.prefault('all'),
    priority: priorityListFlag.optional(),
    kev: z.boolean().default(false),
    cve: cveIdArgument.optional(),
    limit: limitFlag.optional(),
  },
  positionals: ['selector'],
  switches: ['kev'],
});

export const cveCommand = defineCommand({
  name: 'cve',
  usage: 'cve <CVE-ID>',
  summary: 'One CVE: affected hosts, fixed versions, scores (CVSS, EPSS, KEV) and why it got its priority.',
  args: { cveId: cveIdArgument },
  positionals: ['cveId'],
});

export const advisoriesCommand = defineCommand({
  name: 'advisories',
  usage: 'advisories',
  summary: 'Advisory feeds (OSV, KEV, EPSS): records, last import and how fresh they are.',
  args: {},
});

export const acceptCommand = defineCommand({
  name: 'accept',
  usage: 'accept <CVE-ID> <selector> --until YYYY-MM-DD --reason "text"',
  summary: 'Ask to accept the risk of a CVE on some hosts until a date; an approver decides.',
  args: { cveId: cveIdArgument, selector: selectorArgument, until: untilFlag, reason: reasonFlag },
  positionals: ['cveId', 'selector'],
});

export const approveCommand = defineCommand({
  name: 'approve',
  usage: 'approve <plan-id|acceptance-id>',
  summary: 'Approve a pending plan (plan-3) or risk acceptance (accept-12).',
  args: { id: decisionIdArgument },
  positionals: ['id'],
});

export const denyCommand = defineCommand({
  name: 'deny',
  usage: 'deny <plan-id|acceptance-id> --reason "text"',
  summary: 'Deny a pending plan or risk acceptance, saying why.',
  args: { id: decisionIdArgument, reason: reasonFlag },
  positionals: ['id'],
});
