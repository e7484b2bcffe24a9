import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';

/** Discord's documented message limits (https://discord.com/developers/docs/resources/message). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Title, description, field names and values, footer and author of all embeds together. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  flags?: number;
}

/** Characters an embed counts against the 6,000 total. Lengths are UTF-16 units, never fewer than Discord's. */
export function embedLength(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    fields +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0)
  );
}

function checkEmbed(embed: APIEmbed, at: string): string[] {
  const out: string[] = [];
  const over = (what: string, length: number, max: number) => {
    if (length > max) out.push(`${at}: ${what} is ${length} characters (max ${max})`);
  };
  over('title', embed.title?.length ?? 0, LIMITS.embedTitle);
  over('description', embed.description?.length ?? 0, LIMITS.embedDescription);
  over('footer text', embed.footer?.text.length ?? 0, LIMITS.footerText);
  over('author name', embed.author?.name.length ?? 0, LIMITS.authorName);
  const fields = embed.fields ?? [];
  if (fields.length > LIMITS.embedFields) {
    out.push(`${at}: ${fields.length} fields (max ${LIMITS.embedFields})`);
  }
  fields.forEach((field, i) => {
    if (field.name.length === 0) out.push(`${at}.fields[${i}]: name is empty`);
    if (field.value.length === 0) out.push(`${at}.fields[${i}]: value is empty`);
    over(`fields[${i}].name`, field.name.length, LIMITS.fieldName);
    over(`fields[${i}].value`, field.value.length, LIMITS.fieldValue);
  });
  if (
    embed.color !== undefined &&
    !(Number.isInteger(embed.color) && embed.color >= 0 && embed.color <= 0xffffff)
  ) {
    out.push(`${at}: color ${embed.color} is not a 24-bit RGB value`);
  }
  return out;
}

function checkButton(button: APIButtonComponent, at: string, seen: Set<string>): string[] {
  const out: string[] = [];
  if (button.type !== ComponentType.Button) out.push(`${at}: not a button (type ${button.type})`);
  const label = 'label' in button ? (button.label ?? '') : '';
  if (label.length > LIMITS.buttonLabel) {
    out.push(`${at}: label is ${label.length} characters (max ${LIMITS.buttonLabel})`);
  }
  if (button.style === ButtonStyle.Link || button.style === ButtonStyle.Premium) return out;
  const id = 'custom_id' in button ? button.custom_id : undefined;
  if (typeof id !== 'string' || id.length === 0) {
    out.push(`${at}: custom_id is missing`);
    return out;
  }
  if (id.length > LIMITS.customId) {
    out.push(`${at}: custom_id is ${id.length} characters (max ${LIMITS.customId})`);
  }
  if (seen.has(id)) out.push(`${at}: custom_id '${id}' is not unique in the message`);
  seen.add(id);
  return out;
}

/** Every documented limit the message breaks; empty when Discord would accept it. */
export function validateDiscordMessage(message: DiscordMessage): string[] {
  const out: string[] = [];
  const content = message.content ?? '';
  if (content.length > LIMITS.content) {
    out.push(`content is ${content.length} characters (max ${LIMITS.content})`);
  }
  if (message.embeds.length > LIMITS.embeds) {
    out.push(`${message.embeds.length} embeds (max ${LIMITS.embeds})`);
  }
  message.embeds.forEach((embed, i) => {
    out.push(...checkEmbed(embed, `embeds[${i}]`));
  });
  const total = message.embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
  if (total > LIMITS.embedTotal) out.push(`embeds total ${total} characters (max ${LIMITS.embedTotal})`);
  if (content.length === 0 && message.embeds.length === 0 && message.components.length === 0) {
    out.push('message is empty');
  }
  if (message.components.length > LIMITS.actionRows) {
    out.push(`${message.components.length} action rows (max ${LIMITS.actionRows})`);
  }
  const seen = new Set<string>();
  message.components.forEach((row, r) => {
    const at = `components[${r}]`;
    if (row.type !== ComponentType.ActionRow) out.push(`${at}: not an action row (type ${row.type})`);
    if (row.components.length === 0) out.push(`${at}: action row is empty`);
    if (row.components.length > LIMITS.buttonsPerRow) {
      out.push(`${at}: ${row.components.length} buttons (max ${LIMITS.buttonsPerRow})`);
    }
    row.components.forEach((button, b) => {
      out.push(...checkButton(button, `${at}.components[${b}]`, seen));
    });
  });
  return out;
}
