/**
 * Every command that reaches a host is a ShellCommand. The only ways to make one are the `sh` template
 * (which single-quotes every interpolated value) and `joinCommands`, so a value typed in chat can never
 * become shell syntax by accident.
 */
declare const shellCommandBrand: unique symbol;
export type ShellCommand = string & { readonly [shellCommandBrand]: true };

/** POSIX single-quote a value: the result is always exactly one shell word. */
export function quote(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL byte cannot be passed to a shell');
  if (/^[A-Za-z0-9_.,:/=+@%^-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

type Interpolation = string | number | readonly string[] | ShellCommand | { raw: ShellCommand };

function render(value: Interpolation): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('only finite numbers can be interpolated into a command');
    return String(value);
  }
  if (typeof value === 'object' && !Array.isArray(value) && 'raw' in value) return value.raw;
  if (Array.isArray(value)) return value.map((v) => quote(v)).join(' ');
  return quote(value as string);
}

/** Tagged template: literal parts are trusted code, interpolations are quoted (arrays become several words). */
export function sh(strings: TemplateStringsArray, ...values: Interpolation[]): ShellCommand {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return out as ShellCommand;
}

/** Embed an already-built command unquoted (e.g. to wrap it). */
export function raw(command: ShellCommand): { raw: ShellCommand } {
  return { raw: command };
}

export function joinCommands(
  commands: readonly ShellCommand[],
  separator: '; ' | ' && ' = '; ',
): ShellCommand {
  return commands.join(separator) as ShellCommand;
}

/**
 * A command written by whoever owns the inventory file (hooks, health checks, reboot commands), passed to
 * the host as it is. Never for anything typed in chat: that only reaches a host through `sh`.
 */
export function inventoryCommand(text: string): ShellCommand {
  if (text.includes('\0')) throw new Error('a NUL byte cannot be passed to a shell');
  return text as ShellCommand;
}
