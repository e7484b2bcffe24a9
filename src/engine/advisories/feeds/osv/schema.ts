import { z } from 'zod';

/**
 * The part of the OSV schema (https://ossf.github.io/osv-schema/) patchops reads. Unknown fields are
 * dropped, not refused: OSV grows fields often. What is read is checked strictly, so a record that would be
 * misread fails with the field named. `null` is accepted wherever the OSV JSON schema allows it.
 */

const timestamp = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), { message: 'not an RFC 3339 timestamp' });

const stringList = z
  .array(z.string())
  .nullish()
  .transform((list) => list ?? []);

const freeObject = z.record(z.string(), z.unknown()).nullish();

const severityList = z
  .array(z.object({ type: z.string(), score: z.string() }))
  .nullish()
  .transform((list) => list ?? []);

/** Exactly one of the four event kinds per event, as the OSV schema's oneOf says. */
const event = z.union([
  z.strictObject({ introduced: z.string() }),
  z.strictObject({ fixed: z.string() }),
  z.strictObject({ last_affected: z.string() }),
  z.strictObject({ limit: z.string() }),
]);

const range = z.object({
  // Any string: only ECOSYSTEM ranges are read, and a range type added to OSV later must not fail imports.
  type: z.string(),
  events: z
    .array(event)
    .min(1)
    .refine((events) => events.some((e) => 'introduced' in e), {
      message: 'events must contain an introduced event',
    }),
});

const affected = z.object({
  package: z.object({
    ecosystem: z.string().min(1),
    name: z.string().min(1),
    purl: z.string().optional(),
  }),
  severity: severityList,
  ranges: z
    .array(range)
    .nullish()
    .transform((list) => list ?? []),
  versions: stringList,
  ecosystem_specific: freeObject,
  database_specific: freeObject,
});

export const osvRecordSchema = z.object({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: timestamp,
  published: timestamp.nullish(),
  withdrawn: timestamp.nullish(),
  aliases: stringList,
  upstream: stringList,
  related: stringList,
  summary: z.string().nullish(),
  details: z.string().nullish(),
  severity: severityList,
  affected: z
    .array(affected)
    .nullish()
    .transform((list) => list ?? []),
  database_specific: freeObject,
});

export type OsvRecord = z.output<typeof osvRecordSchema>;
export type OsvAffected = OsvRecord['affected'][number];
export type OsvEvent = z.output<typeof event>;
export type OsvSeverity = OsvRecord['severity'][number];
/** What an OSV file holds, as written (the generator produces this). */
export type OsvRecordInput = z.input<typeof osvRecordSchema>;
