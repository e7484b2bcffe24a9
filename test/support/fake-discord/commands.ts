/** Bulk overwrite of application commands, checked against Discord's documented rules. */
import { ApplicationCommandOptionType as OptionType } from 'discord-api-types/v10';
import { z } from 'zod';
import { invalidForm, type RouteReply, type RouteRequest } from './http.js';
import type { FakeState } from './state.js';

export interface CommandOption {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  choices?: { name: string; value: string | number }[];
  options?: CommandOption[];
  min_length?: number;
  max_length?: number;
}

export interface RegisteredCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  type: number;
  name: string;
  description: string;
  options?: CommandOption[];
  default_member_permissions: string | null;
  version: string;
  [key: string]: unknown;
}

const optionSchema: z.ZodType<CommandOption> = z.lazy(() =>
  z.looseObject({
    type: z.number().int(),
    name: z.string(),
    description: z.string(),
    required: z.boolean().optional(),
    choices: z
      .array(z.looseObject({ name: z.string(), value: z.union([z.string(), z.number()]) }))
      .optional(),
    options: z.array(optionSchema).optional(),
    min_length: z.number().int().optional(),
    max_length: z.number().int().optional(),
  }),
);
const commandSchema = z.looseObject({
  type: z.number().int().optional(),
  name: z.string(),
  description: z.string().optional(),
  options: z.array(optionSchema).optional(),
  default_member_permissions: z.string().nullish(),
});

const chatInputName = /^[-_\p{L}\p{N}]{1,32}$/u;
const nested = new Set<number>([OptionType.Subcommand, OptionType.SubcommandGroup]);
const withChoices = new Set<number>([OptionType.String, OptionType.Integer, OptionType.Number]);

function checkName(name: string, at: string, out: string[]): void {
  if (!chatInputName.test(name)) out.push(`${at}: name '${name}' must match ${chatInputName.source}`);
  if (name !== name.toLowerCase()) out.push(`${at}: name '${name}' must be lower case`);
}

function checkLength(value: string, min: number, max: number, what: string, out: string[]): void {
  if (value.length < min || value.length > max) {
    out.push(`${what} is ${value.length} characters (must be ${min}-${max})`);
  }
}

function checkChoices(option: CommandOption, at: string, out: string[]): void {
  const choices = option.choices ?? [];
  if (choices.length > 0 && !withChoices.has(option.type))
    out.push(`${at}: type ${option.type} has no choices`);
  if (choices.length > 25) out.push(`${at}: ${choices.length} choices (max 25)`);
  choices.forEach((choice, i) => {
    checkLength(choice.name, 1, 100, `${at}.choices[${i}].name`, out);
    const wantsString = option.type === OptionType.String;
    if (wantsString !== (typeof choice.value === 'string')) {
      out.push(`${at}.choices[${i}]: value does not match option type ${option.type}`);
    } else if (typeof choice.value === 'string') {
      checkLength(choice.value, 1, 100, `${at}.choices[${i}].value`, out);
    } else if (option.type === OptionType.Integer && !Number.isInteger(choice.value)) {
      out.push(`${at}.choices[${i}]: ${choice.value} is not an integer`);
    }
  });
}

/** One level of options; `parent` is the option type they sit in (0 for the command itself). */
function checkOptions(options: CommandOption[], parent: number, at: string, out: string[]): void {
  if (options.length > 25) out.push(`${at}: ${options.length} options (max 25)`);
  const names = new Set<string>();
  let optionalSeen = false;
  options.forEach((option, i) => {
    const here = `${at}[${i}]`;
    checkName(option.name, here, out);
    checkLength(option.description, 1, 100, `${here}.description`, out);
    if (names.has(option.name)) out.push(`${here}: duplicate name '${option.name}'`);
    names.add(option.name);
    if (!Number.isInteger(option.type) || option.type < 1 || option.type > 11) {
      out.push(`${here}: unknown option type ${option.type}`);
    }
    if (option.type === OptionType.SubcommandGroup && parent !== 0) {
      out.push(`${here}: a subcommand group can only be top-level`);
    }
    if (option.type === OptionType.Subcommand && parent === OptionType.Subcommand) {
      out.push(`${here}: a subcommand cannot contain subcommands`);
    }
    if (parent === OptionType.SubcommandGroup && option.type !== OptionType.Subcommand) {
      out.push(`${here}: a subcommand group can only contain subcommands`);
    }
    if (nested.has(option.type) !== nested.has(options[0]?.type ?? 0)) {
      out.push(`${here}: subcommands cannot be mixed with other options`);
    }
    if (option.required) {
      if (optionalSeen) out.push(`${here}: required option '${option.name}' after an optional one`);
    } else if (!nested.has(option.type)) {
      optionalSeen = true;
    }
    if ((option.min_length ?? 0) < 0 || (option.min_length ?? 0) > 6000)
      out.push(`${here}: min_length 0-6000`);
    if (option.max_length !== undefined && (option.max_length < 1 || option.max_length > 6000)) {
      out.push(`${here}: max_length 1-6000`);
    }
    checkChoices(option, here, out);
    if (option.options?.length && !nested.has(option.type))
      out.push(`${here}: only subcommands nest options`);
    checkOptions(option.options ?? [], option.type, `${here}.options`, out);
  });
}

function textLength(options: CommandOption[] = []): number {
  return options.reduce(
    (sum, o) =>
      sum +
      o.name.length +
      o.description.length +
      (o.choices ?? []).reduce((n, c) => n + c.name.length + String(c.value).length, 0) +
      textLength(o.options),
    0,
  );
}

export function putCommands(request: RouteRequest, state: FakeState): RouteReply {
  const guildId = request.params[1];
  const parsed = z.array(commandSchema).safeParse(request.body);
  if (!parsed.success) {
    throw invalidForm(
      state,
      request.path,
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const chatInput = parsed.data.filter((command) => (command.type ?? 1) === 1);
  if (chatInput.length > 100) problems.push(`${chatInput.length} chat input commands (max 100)`);
  parsed.data.forEach((command, i) => {
    const at = `[${i}]`;
    const type = command.type ?? 1;
    const key = `${type}:${command.name}`;
    if (seen.has(key)) problems.push(`${at}: duplicate command '${command.name}'`);
    seen.add(key);
    if (type !== 1) {
      checkLength(command.name, 1, 32, `${at}.name`, problems);
      return;
    }
    checkName(command.name, at, problems);
    checkLength(command.description ?? '', 1, 100, `${at}.description`, problems);
    checkOptions(command.options ?? [], 0, `${at}.options`, problems);
    const total = command.name.length + (command.description ?? '').length + textLength(command.options);
    if (total > 8000) problems.push(`${at}: ${total} characters of names and descriptions (max 8000)`);
  });
  if (problems.length > 0) throw invalidForm(state, request.path, problems);
  const previous = new Map(state.commands.map((command) => [`${command.type}:${command.name}`, command.id]));
  state.commands = parsed.data.map((command) => ({
    ...command,
    // Discord keeps a command's id across overwrites when its name and type stay the same.
    id: previous.get(`${command.type ?? 1}:${command.name}`) ?? state.snowflake(),
    application_id: state.applicationId,
    ...(guildId ? { guild_id: guildId } : {}),
    type: command.type ?? 1,
    description: command.description ?? '',
    default_member_permissions: command.default_member_permissions ?? null,
    version: state.snowflake(),
  }));
  return { status: 200, body: state.commands };
}
