import type { types as slack } from '@slack/bolt';
import { z } from 'zod';
import { quoteArgument } from '../../core/grammar/quote.js';
import { type ButtonAction, parseJson } from './buttons.js';
import { fitPlain } from './mrkdwn.js';

export const PROMPT_CALLBACK_ID = 'patchops:prompt';
const BLOCK_ID = 'value';
const ACTION_ID = 'value';

/** What a prompt modal carries from the click to its submission: the command, and the card clicked. */
const metadataSchema = z
  .object({
    c: z.string().min(1),
    f: z.string().regex(/^--[a-z][a-z0-9-]{0,29}$/),
    ch: z.string().min(1).max(40),
    ts: z.string().min(1).max(40),
  })
  .strict();

export interface PromptOrigin {
  channel: string;
  ts: string;
}

/** The modal a prompting button opens (Deny asks for a reason); its title is the command's verb. */
export function promptModal(
  action: ButtonAction & { prompt: NonNullable<ButtonAction['prompt']> },
  origin: PromptOrigin,
): slack.ModalView {
  const verb = action.command.replace(/^\/patch\s+/, '').split(' ')[0] ?? 'patchops';
  const title = fitPlain(verb.charAt(0).toUpperCase() + verb.slice(1), 24);
  return {
    type: 'modal',
    callback_id: PROMPT_CALLBACK_ID,
    private_metadata: JSON.stringify({
      c: action.command,
      f: action.prompt.flag,
      ch: origin.channel,
      ts: origin.ts,
    }),
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: title },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `\`${fitPlain(action.command, 2900).replaceAll('`', "'")}\`` },
      },
      {
        type: 'input',
        block_id: BLOCK_ID,
        label: { type: 'plain_text', text: fitPlain(action.prompt.label, 2000) },
        element: { type: 'plain_text_input', action_id: ACTION_ID, multiline: true, max_length: 500 },
      },
    ],
  };
}

/** The typed command a submitted prompt stands for, and the card it came from; undefined if malformed. */
export function promptedSubmission(
  privateMetadata: string,
  values: Record<string, Record<string, { value?: string | null }>>,
): { command: string; origin: PromptOrigin } | undefined {
  const meta = parseJson(privateMetadata, metadataSchema);
  const value = values[BLOCK_ID]?.[ACTION_ID]?.value;
  if (!meta || typeof value !== 'string' || value.trim() === '') return undefined;
  return {
    command: `${meta.c} ${meta.f} ${quoteArgument(value.trim())}`,
    origin: { channel: meta.ch, ts: meta.ts },
  };
}
