import { COMMAND_PREFIX } from '../grammar/commands.js';
import type { CommandHelp, View } from '../views.js';

const SELECTORS =
  'Selectors: all, web-01, web-* (* and ?), group:NAME, tag:KEY=VALUE; join several with commas.';

/** The command list, or one command's usage when `usages` holds just that one. */
export function helpView(usages: readonly CommandHelp[]): View {
  const commands = usages.map(({ usage, summary }) => ({ usage, summary }));
  const single = commands.length === 1 ? commands[0] : undefined;
  if (single) {
    return {
      kind: 'help',
      commands,
      title: single.usage,
      tone: 'info',
      ephemeral: true,
      blocks: [
        { type: 'text', text: single.summary },
        ...(single.usage.includes('selector')
          ? [{ type: 'text' as const, text: SELECTORS, muted: true }]
          : []),
      ],
    };
  }
  return {
    kind: 'help',
    commands,
    title: 'patchops commands',
    tone: 'info',
    ephemeral: true,
    blocks: [
      {
        type: 'table',
        columns: ['command', 'what it does'],
        rows: commands.map((c) => [c.usage, c.summary]),
      },
      { type: 'text', text: SELECTORS, muted: true },
      { type: 'text', text: `More on one command: ${COMMAND_PREFIX} help <command>`, muted: true },
    ],
  };
}
