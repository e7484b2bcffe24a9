/**
 * OSV feed: Debian, Ubuntu, AlmaLinux, Rocky Linux, Alpine, SUSE and openSUSE records from a .json file, a
 * directory, an ecosystem zip (all.zip), or a URL to one of those (through ../index.ts). See readme.md.
 */
export { type Distribution, type DistributionEcosystem, parseOsvEcosystem } from './ecosystems.js';
export { collectCves, cveOf } from './identifiers.js';
export { normalizeOsvRecord, type OsvRecordResult } from './normalize.js';
export { convertEvents, type RangeConversion } from './ranges.js';
export { readOsv } from './read.js';
export type { OsvRecord, OsvRecordInput } from './schema.js';
