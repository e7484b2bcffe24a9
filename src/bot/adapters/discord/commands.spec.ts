import {
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { commandNames } from '../../core/grammar/commands.js';
import { parseCommand } from '../../core/grammar/parse.js';
import { commandText, patchCommand } from './commands.js';

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

function sub(
  name: string,
  options: Record<string, string | boolean>,
): APIApplicationCommandInteractionDataOption[] {
  return [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name,
      options: Object.entries(options).map(([key, value]) =>
        typeof value === 'boolean'
          ? { type: ApplicationCommandOptionType.Boolean, name: key, value }
          : { type: ApplicationCommandOptionType.String, name: key, value },
      ),
    },
  ];
}

describe('patchCommand', () => {
  const command = patchCommand();
  const subcommands = command.options ?? [];

  it('has one subcommand per command of the grammar', () => {
    expect(subcommands.map((s) => s.name)).toEqual(commandNames());
  });

  it("keeps within Discord's limits: names, descriptions, 25 options, required ones first", () => {
    expect(command.name).toMatch(NAME);
    expect(subcommands.length).toBeLessThanOrEqual(25);
    for (const s of subcommands) {
      expect(s.name).toMatch(NAME);
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.description.length).toBeLessThanOrEqual(100);
      const options = 'options' in s ? (s.options ?? []) : [];
      expect(options.length).toBeLessThanOrEqual(25);
      const required = options.map((o) => ('required' in o && o.required) === true);
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      for (const o of options) {
        expect(o.name).toMatch(NAME);
        expect(o.description.length).toBeGreaterThan(0);
        expect(o.description.length).toBeLessThanOrEqual(100);
      }
    }
  });

  it('offers plan with a required selector, switches as booleans and flags as strings', () => {
    const plan = subcommands.find((s) => s.name === 'plan');
    const options = plan && 'options' in plan ? (plan.options ?? []) : [];
    expect(options[0]).toMatchObject({
      name: 'selector',
      required: true,
      type: ApplicationCommandOptionType.String,
    });
    expect(options.find((o) => o.name === 'auto-rollback')?.type).toBe(ApplicationCommandOptionType.Boolean);
    expect(options.find((o) => o.name === 'waves')).toMatchObject({
      type: ApplicationCommandOptionType.String,
      description: '--waves 1,10%,50%,100%',
    });
  });
});

describe('commandText', () => {
  it('turns options back into the typed command the grammar parses the same way', () => {
    const text = commandText(
      sub('plan', { selector: 'web-*', waves: '1,50%', 'auto-rollback': true, security: false, bake: '10m' }),
    );
    expect(text).toBe("plan 'web-*' --waves '1,50%' --bake '10m' --auto-rollback");
    expect(parseCommand(text ?? '')).toMatchObject({
      ok: true,
      command: { name: 'plan', autoRollback: true, security: false, bake: { text: '10m' } },
    });
  });

  it('keeps hostile values one argument: quotes and flags in a value stay text', () => {
    const text = commandText(sub('deny', { id: 'plan-3', reason: "it's --broken; rm -rf /" })) ?? '';
    const parsed = parseCommand(text);
    expect(parsed).toMatchObject({ ok: true, command: { name: 'deny', reason: "it's --broken; rm -rf /" } });
  });

  it('passes a flag-looking positional as an argument, never a flag', () => {
    const parsed = parseCommand(commandText(sub('scan', { selector: '--refresh' })) ?? '');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok || parsed.error.code).toBe('invalid_selector');
  });

  it('refuses what is not one of our subcommands', () => {
    expect(commandText(undefined)).toBeUndefined();
    expect(commandText(sub('rm', {}))).toBeUndefined();
    expect(
      commandText([{ type: ApplicationCommandOptionType.String, name: 'x', value: 'y' }]),
    ).toBeUndefined();
  });
});
