import type { EpssScore } from '../../types.js';

export interface EpssModel {
  modelVersion?: string;
  scoreDate?: string;
}

/** `#model_version:v2023.03.01,score_date:2023-04-10T00:00:00+0000` → its two values. */
export function parseEpssComment(line: string): EpssModel {
  const model: EpssModel = {};
  for (const pair of line.replace(/^#/, '').split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) continue;
    const key = pair.slice(0, colon).trim();
    const value = pair.slice(colon + 1).trim();
    if (key === 'model_version' && value) model.modelVersion = value;
    if (key === 'score_date' && value) model.scoreDate = value;
  }
  return model;
}

export interface EpssColumns {
  cve: number;
  epss: number;
  percentile: number;
}

/** Where the three columns are; undefined unless the header names all of them. */
export function epssColumns(header: readonly string[]): EpssColumns | undefined {
  const at = (name: string) => header.findIndex((field) => field.trim().toLowerCase() === name);
  const columns = { cve: at('cve'), epss: at('epss'), percentile: at('percentile') };
  return columns.cve < 0 || columns.epss < 0 || columns.percentile < 0 ? undefined : columns;
}

const cvePattern = /^CVE-\d{4}-\d{4,}$/;

/**
 * One data row as an EpssScore, or the reason it is not one. Hand-checked rather than through zod: this
 * runs a quarter of a million times per import.
 */
export function epssScoreOf(fields: readonly string[], columns: EpssColumns): EpssScore | string {
  const cve = fields[columns.cve] ?? '';
  if (!cvePattern.test(cve)) return `cve: not a CVE id: ${JSON.stringify(cve.slice(0, 40))}`;
  const probability = probabilityOf(fields[columns.epss]);
  if (probability === undefined)
    return `epss: not a number from 0 to 1: ${JSON.stringify(fields[columns.epss])}`;
  const percentile = probabilityOf(fields[columns.percentile]);
  if (percentile === undefined)
    return `percentile: not a number from 0 to 1: ${JSON.stringify(fields[columns.percentile])}`;
  return { cve, probability, percentile };
}

function probabilityOf(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}
