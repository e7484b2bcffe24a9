import type { InventoryHost } from './types.js';

/** One problem in an inventory file, located as precisely as the format allows. */
export interface InventoryIssue {
  file: string;
  line?: number;
  host?: string;
  group?: string;
  /** The key as the user wrote it: `key_file`, `ansible_port`. */
  field?: string;
  message: string;
}

export type InventoryResult =
  | { ok: true; hosts: InventoryHost[]; warnings: string[] }
  | { ok: false; issues: InventoryIssue[] };

/** `hosts.yaml:12: host 'web-01': port: must be a number from 1 to 65535` */
export function formatIssue(issue: InventoryIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  const parts = [where];
  if (issue.host !== undefined) parts.push(`host '${issue.host}'`);
  if (issue.group !== undefined) parts.push(`group '${issue.group}'`);
  if (issue.field !== undefined) parts.push(issue.field);
  return `${parts.join(': ')}: ${issue.message}`;
}

export class InventoryError extends Error {
  readonly issues: InventoryIssue[];
  constructor(issues: InventoryIssue[]) {
    const shown = issues.slice(0, 20).map(formatIssue);
    const more = issues.length > 20 ? [`… and ${issues.length - 20} more`] : [];
    super(['invalid inventory:', ...shown, ...more].join('\n  '));
    this.name = 'InventoryError';
    this.issues = issues;
  }
}
