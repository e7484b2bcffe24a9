import type { z } from 'zod';
import type { InventoryIssue } from './issues.js';

export type Locate = (
  path: readonly PropertyKey[],
) => Pick<InventoryIssue, 'host' | 'group' | 'field' | 'line'>;

function describe(issue: z.core.$ZodIssue): { message: string; path: PropertyKey[] } {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `'${key}'`).join(', ');
    return { message: `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${keys}`, path: issue.path };
  }
  if (issue.code === 'invalid_key')
    return { message: `invalid name: ${issue.issues[0]?.message ?? issue.message}`, path: issue.path };
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return { message: 'is required', path: issue.path };
  return { message: issue.message, path: issue.path };
}

/** Zod issues as inventory issues, each placed on its host, group or field by the format's `locate`. */
export function toInventoryIssues(error: z.ZodError, file: string, locate: Locate): InventoryIssue[] {
  return error.issues.map((issue) => {
    const { message, path } = describe(issue);
    return { file, ...locate(path), message };
  });
}
