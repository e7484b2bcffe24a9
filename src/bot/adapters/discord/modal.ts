import type { ModalSubmitInteraction } from 'discord.js';
import type { APIModalInteractionResponseCallbackData } from 'discord-api-types/v10';
import { ComponentType, TextInputStyle } from 'discord-api-types/v10';
import type { Button } from '../../core/views.js';
import { type DecodedCustomId, decodeCustomId } from './custom-id.js';

const INPUT_ID = 'value';

/**
 * The modal a prompting button opens (Deny asks for a reason). Its custom_id is the button's own, so the
 * submission carries the command back with no state kept in between.
 */
export function promptModal(
  customId: string,
  clicked: DecodedCustomId & { prompt: NonNullable<DecodedCustomId['prompt']> },
): APIModalInteractionResponseCallbackData {
  const verb = clicked.command.split(' ')[0] ?? 'patchops';
  return {
    custom_id: customId,
    title: `${verb.charAt(0).toUpperCase()}${verb.slice(1)} ${clicked.command.split(' ')[1] ?? ''}`
      .trim()
      .slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: INPUT_ID,
            label: clicked.prompt.label.slice(0, 45),
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: 500,
          },
        ],
      },
    ],
  };
}

/** The button a submitted prompt came from and the text typed; undefined for anything not ours. */
export function promptedValue(
  interaction: ModalSubmitInteraction,
): { button: Button; value: string } | undefined {
  const clicked = decodeCustomId(interaction.customId);
  if (!clicked?.prompt) return undefined;
  const value = interaction.fields.getTextInputValue(INPUT_ID).trim();
  if (value === '') return undefined;
  return { button: { label: clicked.prompt.label, command: clicked.command, prompt: clicked.prompt }, value };
}
