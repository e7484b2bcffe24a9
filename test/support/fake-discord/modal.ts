/** Modal (callback type 9) bodies: Discord's documented limits, and what a submit of one looks like. */
import { type APIModalSubmissionComponent, ComponentType, TextInputStyle } from 'discord-api-types/v10';
import { z } from 'zod';
import { invalidForm } from './http.js';
import type { FakeState, ModalInput, ShownModal } from './state.js';

const anyComponent = z.looseObject({ type: z.number() });
const textInputSchema = z.looseObject({
  type: z.literal(ComponentType.TextInput),
  custom_id: z.string(),
  style: z.number(),
  label: z.string().optional(),
  placeholder: z.string().optional(),
  value: z.string().optional(),
  min_length: z.number().int().optional(),
  max_length: z.number().int().optional(),
  required: z.boolean().optional(),
});
const modalSchema = z.looseObject({
  custom_id: z.string(),
  title: z.string(),
  components: z.array(
    z.looseObject({
      type: z.number(),
      components: z.array(anyComponent).optional(),
      component: anyComponent.optional(),
      label: z.string().optional(),
      description: z.string().optional(),
    }),
  ),
});

function over(value: string | undefined, min: number, max: number, what: string, out: string[]): void {
  const length = value?.length ?? 0;
  if (value !== undefined && (length < min || length > max)) {
    out.push(`${what} is ${length} characters (must be ${min}-${max})`);
  }
}

function checkTextInput(raw: unknown, layout: ModalInput['layout'], at: string, out: string[]) {
  const parsed = textInputSchema.safeParse(raw);
  if (!parsed.success) {
    out.push(`${at}: the fake supports text inputs only (${parsed.error.issues[0]?.message})`);
    return undefined;
  }
  const input = parsed.data;
  over(input.custom_id, 1, 100, `${at}.custom_id`, out);
  if (input.style !== TextInputStyle.Short && input.style !== TextInputStyle.Paragraph) {
    out.push(`${at}: style ${input.style} is not a text input style`);
  }
  if (layout === 'row') {
    if (input.label === undefined) out.push(`${at}: a text input in an action row needs a label`);
    over(input.label, 1, 45, `${at}.label`, out);
  } else if (input.label !== undefined) {
    out.push(`${at}: a text input in a label component takes its label from there`);
  }
  over(input.placeholder, 0, 100, `${at}.placeholder`, out);
  over(input.value, 0, 4000, `${at}.value`, out);
  const minLength = input.min_length ?? 0;
  const maxLength = input.max_length ?? 4000;
  if (minLength < 0 || minLength > 4000) out.push(`${at}: min_length ${minLength} (must be 0-4000)`);
  if (maxLength < 1 || maxLength > 4000) out.push(`${at}: max_length ${maxLength} (must be 1-4000)`);
  return { customId: input.custom_id, layout, required: input.required ?? true, minLength, maxLength };
}

/** The modal's inputs, or Discord's 50035 (recorded in `invalid`) when it breaks a limit. */
export function checkModal(state: FakeState, path: string, data: unknown): Omit<ShownModal, 'from'> {
  const parsed = modalSchema.safeParse(data);
  if (!parsed.success) {
    throw invalidForm(
      state,
      path,
      parsed.error.issues.map((issue) => `data.${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const modal = parsed.data;
  const out: string[] = [];
  over(modal.custom_id, 1, 100, 'data.custom_id', out);
  over(modal.title, 1, 45, 'data.title', out);
  if (modal.components.length < 1 || modal.components.length > 5) {
    out.push(`data.components: ${modal.components.length} components (must be 1-5)`);
  }
  const inputs: ModalInput[] = [];
  modal.components.forEach((component, i) => {
    const at = `data.components[${i}]`;
    let input: ModalInput | undefined;
    if (component.type === ComponentType.ActionRow) {
      if (component.components?.length !== 1)
        out.push(`${at}: an action row in a modal holds one text input`);
      input = checkTextInput(component.components?.[0], 'row', `${at}.components[0]`, out);
    } else if (component.type === ComponentType.Label) {
      over(component.label ?? '', 1, 45, `${at}.label`, out);
      over(component.description, 0, 100, `${at}.description`, out);
      input = checkTextInput(component.component, 'label', `${at}.component`, out);
    } else if (component.type !== ComponentType.TextDisplay) {
      out.push(`${at}: type ${component.type} cannot be a top-level modal component`);
    }
    if (input && inputs.some((other) => other.customId === input.customId)) {
      out.push(`${at}: custom_id '${input.customId}' is not unique in the modal`);
    }
    if (input) inputs.push(input);
  });
  if (out.length > 0) throw invalidForm(state, path, out);
  return { customId: modal.custom_id, inputs };
}

/** What Discord sends back for a submit: every input of the modal, in its layout, with the user's text. */
export function submission(modal: ShownModal, fields: Record<string, string>): APIModalSubmissionComponent[] {
  const unknown = Object.keys(fields).filter((id) => !modal.inputs.some((input) => input.customId === id));
  if (unknown.length > 0) {
    throw new Error(`modal '${modal.customId}' has no inputs ${unknown.join(', ')}`);
  }
  return modal.inputs.map((input, i) => {
    const value = fields[input.customId] ?? '';
    // Discord's client enforces these before a submit can happen, so a test asking otherwise is wrong.
    if (value.length === 0 && input.required) {
      throw new Error(`modal '${modal.customId}': input '${input.customId}' is required`);
    }
    if (value.length > input.maxLength || (value.length > 0 && value.length < input.minLength)) {
      throw new Error(
        `modal '${modal.customId}': '${input.customId}' must be ${input.minLength}-${input.maxLength}`,
      );
    }
    // Discord numbers every component of the modal in order: the wrapper, then its text input.
    const text = { type: ComponentType.TextInput as const, id: 2 * i + 2, custom_id: input.customId, value };
    return input.layout === 'row'
      ? { type: ComponentType.ActionRow, id: 2 * i + 1, components: [text] }
      : { type: ComponentType.Label, id: 2 * i + 1, component: text };
  });
}
