import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseAnsibleIni } from './ansible-ini.js';
import { parseAnsibleYaml } from './ansible-yaml.js';
import { InventoryError, type InventoryResult } from './issues.js';
import { parsePatchopsYaml } from './patchops-yaml.js';
import type { InventoryHost } from './types.js';

export type InventoryFormat = 'patchops-yaml' | 'ansible-ini' | 'ansible-yaml';

/** Inventories are text a person maintains; anything this big is a wrong path. */
export const MAX_INVENTORY_BYTES = 16 * 1024 * 1024;

const YAML_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The first line that is not blank or a comment. */
function firstMeaningfulLine(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#') && !trimmed.startsWith(';')) return trimmed;
  }
  return '';
}

/** Top-level keys of a YAML mapping, or null when the text is not one. */
function topLevelKeys(text: string): Set<string> | null {
  try {
    const value: unknown = parseYaml(text, { uniqueKeys: false, maxAliasCount: 100 });
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? new Set(Object.keys(value))
      : null;
  } catch {
    // Broken YAML: a key at the start of a line still tells which parser should report the error.
    const keys = [...text.matchAll(/^([A-Za-z0-9_.-]+)\s*:(?:\s|$)/gm)].map((match) => match[1] ?? '');
    return keys.length > 0 ? new Set(keys) : null;
  }
}

/**
 * Pick the format by extension, then by content: `[section]` lines mean INI; a YAML mapping with `hosts`
 * at the top is ours; any other YAML mapping is Ansible's (`all:` or top-level groups). Text that is no
 * mapping at all is read as INI, where a bare list of host names is valid.
 */
export function detectFormat(text: string, path: string): InventoryFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.ini' || extension === '.cfg') return 'ansible-ini';
  if (/^\[[^\]]+\]/.test(firstMeaningfulLine(text))) return 'ansible-ini';
  const keys = topLevelKeys(text);
  if (keys === null) return YAML_EXTENSIONS.has(extension) ? 'patchops-yaml' : 'ansible-ini';
  return keys.has('hosts') && !keys.has('all') ? 'patchops-yaml' : 'ansible-yaml';
}

export function parseInventory(
  text: string,
  file: string,
  format = detectFormat(text, file),
): InventoryResult {
  switch (format) {
    case 'patchops-yaml':
      return parsePatchopsYaml(text, file);
    case 'ansible-ini':
      return parseAnsibleIni(text, file);
    case 'ansible-yaml':
      return parseAnsibleYaml(text, file);
  }
}

export interface Inventory {
  hosts: InventoryHost[];
  /** Things skipped or ignored (a Windows host, a password variable), one line per cause. */
  warnings: string[];
  format: InventoryFormat;
}

function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
    throw new InventoryError([{ file: path, message: `cannot be read: ${reason}` }]);
  }
  if (bytes.length > MAX_INVENTORY_BYTES) {
    throw new InventoryError([
      { file: path, message: `is ${bytes.length} bytes; the limit is ${MAX_INVENTORY_BYTES}` },
    ]);
  }
  return bytes.toString('utf8');
}

/**
 * Read and validate an inventory file, with its warnings. Synchronous: it runs once at start-up (and on
 * reload), before anything else can happen. Throws InventoryError listing every problem found.
 */
export function readInventory(path: string, format?: InventoryFormat): Inventory {
  const text = readText(path);
  const chosen = format ?? detectFormat(text, path);
  const result = parseInventory(text, basename(path), chosen);
  if (!result.ok) throw new InventoryError(result.issues);
  return { hosts: result.hosts, warnings: result.warnings, format: chosen };
}

/** The hosts of an inventory file; use readInventory to show its warnings too. */
export function loadInventory(path: string): InventoryHost[] {
  return readInventory(path).hosts;
}
