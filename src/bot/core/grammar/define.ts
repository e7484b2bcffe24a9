import { z } from 'zod';

/** The one place a typed name ("the selector") is turned back into what the user typed, shortened. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export interface CommandDefinition<Name extends string, Shape extends z.ZodRawShape> {
  name: Name;
  /** Usage after the `/patch` prefix, e.g. `scan <selector> [--refresh auto|always|never]`. */
  usage: string;
  summary: string;
  /** Arguments and flags. Flags are typed in kebab-case (`--dry-run`) and arrive here in camelCase. */
  args: Shape;
  /** Keys of `args` filled from bare words, in order; every other key is a flag. */
  positionals?: readonly (keyof Shape & string)[];
  /** Flags that take no value (`--yes`): their schema receives `true` when present. */
  switches?: readonly (keyof Shape & string)[];
}

/**
 * A command is declared as one zod object. The parser only splits words into positionals and flags by
 * the names declared here; every value, default and message lives in the schema.
 */
export function defineCommand<const Name extends string, Shape extends z.ZodRawShape>(
  definition: CommandDefinition<Name, Shape>,
) {
  const positionals: readonly string[] = definition.positionals ?? [];
  const switches: readonly string[] = definition.switches ?? [];
  const flags = Object.keys(definition.args).filter((key) => !positionals.includes(key));
  return {
    name: definition.name,
    usage: definition.usage,
    summary: definition.summary,
    positionals,
    switches,
    flags,
    schema: z.object({ name: z.literal(definition.name), ...definition.args }),
  };
}

export type CommandSpec = ReturnType<typeof defineCommand<string, z.ZodRawShape>>;
