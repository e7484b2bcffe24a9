import { LIMITS } from './limits.js';

/*
 * A checker of Block Kit's documented limits, for tests and the fake Slack API: each violation as one line
 * (`block 3 (section): text is 3012 chars, over 3000`); none means Slack would accept the blocks.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `text` of a text object, or undefined when it is not one. */
function textOf(value: unknown): { type: unknown; text: string } | undefined {
  return isRecord(value) && typeof value.text === 'string'
    ? { type: value.type, text: value.text }
    : undefined;
}

function checkText(out: string[], where: string, value: unknown, max: number, types: readonly string[]) {
  const text = textOf(value);
  if (text === undefined) {
    out.push(`${where}: not a text object`);
    return;
  }
  if (typeof text.type !== 'string' || !types.includes(text.type)) {
    out.push(`${where}: type ${String(text.type)}, expected ${types.join(' or ')}`);
  }
  if (text.text.length === 0) out.push(`${where}: empty text`);
  if (text.text.length > max) out.push(`${where}: text is ${text.text.length} chars, over ${max}`);
}

function checkButton(out: string[], where: string, element: Json, actionIds: Set<string>) {
  checkText(out, `${where} text`, element.text, LIMITS.buttonText, ['plain_text']);
  if (element.value !== undefined) {
    if (typeof element.value !== 'string') out.push(`${where}: value is not a string`);
    else if (element.value.length > LIMITS.buttonValue) {
      out.push(`${where}: value is ${element.value.length} chars, over ${LIMITS.buttonValue}`);
    }
  }
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    out.push(`${where}: style ${String(element.style)}, expected primary or danger`);
  }
  checkActionId(out, where, element, actionIds);
}

function checkActionId(out: string[], where: string, element: Json, actionIds: Set<string>) {
  const id = element.action_id;
  if (id === undefined) return;
  if (typeof id !== 'string') {
    out.push(`${where}: action_id is not a string`);
    return;
  }
  if (id.length > LIMITS.actionId)
    out.push(`${where}: action_id is ${id.length} chars, over ${LIMITS.actionId}`);
  if (actionIds.has(id)) out.push(`${where}: duplicate action_id ${id}`);
  actionIds.add(id);
}

function checkBlock(out: string[], block: unknown, index: number) {
  if (!isRecord(block)) {
    out.push(`block ${index}: not an object`);
    return;
  }
  const where = `block ${index} (${String(block.type)})`;
  switch (block.type) {
    case 'header':
      checkText(out, where, block.text, LIMITS.headerText, ['plain_text']);
      return;
    case 'section': {
      if (block.text === undefined && block.fields === undefined) out.push(`${where}: needs text or fields`);
      if (block.text !== undefined) {
        checkText(out, where, block.text, LIMITS.sectionText, ['mrkdwn', 'plain_text']);
      }
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) {
          out.push(`${where}: fields is not an array`);
          return;
        }
        if (block.fields.length === 0) out.push(`${where}: empty fields`);
        if (block.fields.length > LIMITS.sectionFields) {
          out.push(`${where}: ${block.fields.length} fields, over ${LIMITS.sectionFields}`);
        }
        block.fields.forEach((field, i) => {
          checkText(out, `${where} field ${i}`, field, LIMITS.fieldText, ['mrkdwn', 'plain_text']);
        });
      }
      return;
    }
    case 'context': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        out.push(`${where}: needs elements`);
        return;
      }
      if (block.elements.length > LIMITS.contextElements) {
        out.push(`${where}: ${block.elements.length} elements, over ${LIMITS.contextElements}`);
      }
      block.elements.forEach((element, i) => {
        if (isRecord(element) && element.type === 'image') return;
        checkText(out, `${where} element ${i}`, element, LIMITS.contextText, ['mrkdwn', 'plain_text']);
      });
      return;
    }
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        out.push(`${where}: needs elements`);
        return;
      }
      if (block.elements.length > LIMITS.actionsElements) {
        out.push(`${where}: ${block.elements.length} elements, over ${LIMITS.actionsElements}`);
      }
      // Slack wants action_ids unique within their block.
      const actionIds = new Set<string>();
      block.elements.forEach((element, i) => {
        const at = `${where} element ${i}`;
        if (!isRecord(element)) out.push(`${at}: not an object`);
        else if (element.type === 'button') checkButton(out, at, element, actionIds);
        else checkActionId(out, at, element, actionIds);
      });
      return;
    }
    case 'divider':
      return;
    default:
      if (typeof block.type !== 'string') out.push(`${where}: no type`);
  }
}

/** The Block Kit limits a message breaks; empty when Slack would accept it. */
export function validateBlockKit(message: { blocks: unknown[] }): string[] {
  const out: string[] = [];
  if (!Array.isArray(message.blocks)) return ['blocks is not an array'];
  if (message.blocks.length > LIMITS.blocks) {
    out.push(`${message.blocks.length} blocks, over ${LIMITS.blocks}`);
  }
  message.blocks.forEach((block, i) => {
    checkBlock(out, block, i);
  });
  return out;
}

/** Modal limits (https://docs.slack.dev/reference/views/modal-views): modals only, so not in `LIMITS`. */
export const MODAL_LIMITS = {
  blocks: 100,
  title: 24,
  button: 24,
  callbackId: 255,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  inputMaxLength: 3000,
  placeholder: 150,
} as const;

function checkLength(out: string[], where: string, value: unknown, max: number) {
  if (value === undefined) return;
  if (typeof value !== 'string') out.push(`${where} is not a string`);
  else if (value.length > max) out.push(`${where} is ${value.length} chars, over ${max}`);
}

function checkPlainTextInput(out: string[], where: string, element: Json) {
  checkActionId(out, where, element, new Set());
  if (element.placeholder !== undefined) {
    checkText(out, `${where} placeholder`, element.placeholder, MODAL_LIMITS.placeholder, ['plain_text']);
  }
  for (const key of ['min_length', 'max_length'] as const) {
    const n = element[key];
    if (n === undefined) continue;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MODAL_LIMITS.inputMaxLength) {
      out.push(`${where}: ${key} ${String(n)}, expected 0 to ${MODAL_LIMITS.inputMaxLength}`);
    }
  }
  checkLength(out, `${where} initial_value`, element.initial_value, MODAL_LIMITS.inputMaxLength);
}

function checkInput(out: string[], block: Json, index: number) {
  const where = `block ${index} (input)`;
  checkText(out, `${where} label`, block.label, MODAL_LIMITS.inputLabel, ['plain_text']);
  if (block.hint !== undefined) {
    checkText(out, `${where} hint`, block.hint, MODAL_LIMITS.inputHint, ['plain_text']);
  }
  const element = block.element;
  if (!isRecord(element)) out.push(`${where}: needs an element`);
  else if (element.type === 'plain_text_input') checkPlainTextInput(out, `${where} element`, element);
  // Other input elements (selects, pickers) are not ours yet: only what every element shares is checked.
  else checkActionId(out, `${where} element`, element, new Set());
}

/** The limits a modal view (views.open, views.update) breaks; empty when Slack would accept it. */
export function validateModal(view: unknown): string[] {
  if (!isRecord(view)) return ['view is not an object'];
  const out: string[] = [];
  if (view.type !== 'modal') out.push(`view type ${String(view.type)}, expected modal`);
  checkText(out, 'title', view.title, MODAL_LIMITS.title, ['plain_text']);
  for (const key of ['submit', 'close'] as const) {
    if (view[key] !== undefined) checkText(out, key, view[key], MODAL_LIMITS.button, ['plain_text']);
  }
  checkLength(out, 'callback_id', view.callback_id, MODAL_LIMITS.callbackId);
  checkLength(out, 'private_metadata', view.private_metadata, MODAL_LIMITS.privateMetadata);
  if (!Array.isArray(view.blocks)) return [...out, 'blocks is not an array'];
  if (view.blocks.length > MODAL_LIMITS.blocks) {
    out.push(`${view.blocks.length} blocks, over ${MODAL_LIMITS.blocks}`);
  }
  const hasInput = view.blocks.some((block) => isRecord(block) && block.type === 'input');
  // Slack has nothing to send the inputs with otherwise.
  if (hasInput && view.submit === undefined) out.push('submit is required with input blocks');
  view.blocks.forEach((block, i) => {
    if (isRecord(block) && block.type === 'input') checkInput(out, block, i);
    else checkBlock(out, block, i);
  });
  return out;
}
