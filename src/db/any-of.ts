import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

/**
 * `column IN (values)` with the values sent as one JSON parameter: a fleet-wide refresh can ask for tens of
 * thousands of CVEs or package names, past Postgres's 65,535 parameters per statement.
 */
export function anyOf(column: AnyColumn, values: readonly string[] | readonly number[]): SQL {
  const elements = sql`jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)`;
  const numeric = values.length > 0 && typeof values[0] === 'number';
  return sql`${column} IN (SELECT ${numeric ? sql`${elements}::bigint` : elements})`;
}
