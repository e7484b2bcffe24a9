import { z } from 'zod';
import type { KevEntry } from '../../types.js';
import { FeedError, type FeedLocation, fieldPath } from '../errors.js';

/** CISA's own schema (known_exploited_vulnerabilities_schema.json), for the fields patchops keeps. */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');

export const kevVulnerabilitySchema = z.object({
  cveID: z.string().regex(/^CVE-\d{4}-\d{4,19}$/, 'expected a CVE id'),
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: date,
  dueDate: date,
  requiredAction: z.string(),
  // Optional in CISA's schema; "Known" or "Unknown" in practice.
  knownRansomwareCampaignUse: z.string().optional(),
});

export const kevCatalogSchema = z.object({
  catalogVersion: z.string(),
  dateReleased: z.string(),
  count: z.number().int().nonnegative(),
  vulnerabilities: z.array(kevVulnerabilitySchema),
});

export interface KevCatalog {
  catalogVersion: string;
  dateReleased: string;
  /** The count the catalog declares, to compare with the entries actually present. */
  declaredCount: number;
  entries: KevEntry[];
}

export function parseKevCatalog(json: unknown, location: FeedLocation): KevCatalog {
  const catalog = check(kevCatalogSchema, json, location, (path) => {
    const index = path[1];
    return path[0] === 'vulnerabilities' && typeof index === 'number' ? cveAt(json, index) : undefined;
  });
  return {
    catalogVersion: catalog.catalogVersion,
    dateReleased: catalog.dateReleased,
    declaredCount: catalog.count,
    entries: catalog.vulnerabilities.map(kevEntryOf),
  };
}

/** One row of the KEV CSV, keyed by its header (the CSV has the JSON's field names). */
export function parseKevRow(row: Record<string, string>, location: FeedLocation): KevEntry {
  return kevEntryOf(check(kevVulnerabilitySchema, row, location, () => row.cveID));
}

function kevEntryOf(vulnerability: z.output<typeof kevVulnerabilitySchema>): KevEntry {
  return {
    cve: vulnerability.cveID,
    vendor: vulnerability.vendorProject,
    product: vulnerability.product,
    name: vulnerability.vulnerabilityName,
    dateAdded: vulnerability.dateAdded,
    dueDate: vulnerability.dueDate,
    knownRansomware: vulnerability.knownRansomwareCampaignUse?.trim().toLowerCase() === 'known',
    requiredAction: vulnerability.requiredAction,
  };
}

function check<T>(
  schema: z.ZodType<T>,
  value: unknown,
  location: FeedLocation,
  recordAt: (path: readonly PropertyKey[]) => string | undefined,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const record = recordAt(path);
  throw new FeedError(
    `not a KEV catalog: ${issue?.message ?? 'invalid'}`,
    { ...location, ...(record ? { record } : {}), field: fieldPath(path) },
    { cause: parsed.error },
  );
}

function cveAt(json: unknown, index: number): string | undefined {
  if (typeof json !== 'object' || json === null || !('vulnerabilities' in json)) return undefined;
  const list = json.vulnerabilities;
  if (!Array.isArray(list)) return undefined;
  const item: unknown = list[index];
  if (typeof item !== 'object' || item === null || !('cveID' in item)) return undefined;
  return typeof item.cveID === 'string' ? item.cveID : undefined;
}
