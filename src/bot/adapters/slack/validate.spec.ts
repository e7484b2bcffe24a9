import { describe, expect, it } from 'vitest';
import { MODAL_LIMITS, validateModal } from './validate.js';

const plain = (text: string) => ({ type: 'plain_text', text });

function input(overrides: Record<string, unknown> = {}, element: Record<string, unknown> = {}) {
  return {
    type: 'input',
    block_id: 'reason',
    label: plain('Reason'),
    element: { type: 'plain_text_input', action_id: 'value', max_length: 500, ...element },
    ...overrides,
  };
}

function modal(overrides: Record<string, unknown> = {}) {
  return {
    type: 'modal',
    callback_id: 'patchops:reason',
    private_metadata: '{"c":"approve plan 12"}',
    title: plain('Approve plan 12'),
    submit: plain('Approve'),
    close: plain('Cancel'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Plan 12*' } }, input()],
    ...overrides,
  };
}

describe('validateModal', () => {
  it('accepts a modal within every limit, including each limit exactly', () => {
    expect(validateModal(modal())).toEqual([]);
    const atLimits = modal({
      title: plain('t'.repeat(MODAL_LIMITS.title)),
      submit: plain('s'.repeat(MODAL_LIMITS.button)),
      close: plain('c'.repeat(MODAL_LIMITS.button)),
      callback_id: 'i'.repeat(MODAL_LIMITS.callbackId),
      private_metadata: 'm'.repeat(MODAL_LIMITS.privateMetadata),
      blocks: [
        input(
          { label: plain('l'.repeat(MODAL_LIMITS.inputLabel)) },
          { action_id: 'a'.repeat(255), max_length: MODAL_LIMITS.inputMaxLength },
        ),
        ...Array.from({ length: MODAL_LIMITS.blocks - 1 }, () => ({ type: 'divider' })),
      ],
    });
    expect(validateModal(atLimits)).toEqual([]);
  });

  it('names each limit a modal breaks', () => {
    const problems = validateModal(
      modal({
        title: plain('t'.repeat(25)),
        submit: plain('s'.repeat(25)),
        close: { type: 'mrkdwn', text: 'Cancel' },
        callback_id: 'i'.repeat(256),
        private_metadata: 'm'.repeat(3001),
      }),
    );
    expect(problems).toEqual([
      'title: text is 25 chars, over 24',
      'submit: text is 25 chars, over 24',
      'close: type mrkdwn, expected plain_text',
      'callback_id is 256 chars, over 255',
      'private_metadata is 3001 chars, over 3000',
    ]);
  });

  it('rejects what is not a modal', () => {
    expect(validateModal(null)).toEqual(['view is not an object']);
    expect(validateModal(modal({ type: 'home' }))).toEqual(['view type home, expected modal']);
    expect(validateModal(modal({ title: undefined }))).toEqual(['title: not a text object']);
    expect(validateModal(modal({ blocks: 'none' }))).toEqual(['blocks is not an array']);
  });

  it('limits a modal to 100 blocks, not a message’s 50', () => {
    const blocks = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));
    expect(validateModal(modal({ blocks: blocks(51), submit: undefined }))).toEqual([]);
    expect(validateModal(modal({ blocks: blocks(101), submit: undefined }))).toEqual([
      '101 blocks, over 100',
    ]);
  });

  it('checks input blocks: label, element, action_id, lengths', () => {
    const problems = validateModal(
      modal({
        blocks: [
          input({ label: plain('l'.repeat(2001)) }),
          input({ element: undefined }),
          input({}, { action_id: 'a'.repeat(256), max_length: 3001, placeholder: plain('p'.repeat(151)) }),
          input({ label: { type: 'mrkdwn', text: '*Reason*' } }, { min_length: -1 }),
        ],
      }),
    );
    expect(problems).toEqual([
      'block 0 (input) label: text is 2001 chars, over 2000',
      'block 1 (input): needs an element',
      'block 2 (input) element: action_id is 256 chars, over 255',
      'block 2 (input) element placeholder: text is 151 chars, over 150',
      'block 2 (input) element: max_length 3001, expected 0 to 3000',
      'block 3 (input) label: type mrkdwn, expected plain_text',
      'block 3 (input) element: min_length -1, expected 0 to 3000',
    ]);
  });

  it('wants a submit button when there are inputs to submit', () => {
    expect(validateModal(modal({ submit: undefined }))).toEqual(['submit is required with input blocks']);
  });

  it('checks the other blocks as in messages', () => {
    const problems = validateModal(
      modal({
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } },
          {
            type: 'actions',
            elements: [{ type: 'button', text: plain('Go'), action_id: 'go', value: 'v'.repeat(2001) }],
          },
        ],
        submit: undefined,
      }),
    );
    expect(problems).toEqual([
      'block 0 (section): text is 3001 chars, over 3000',
      'block 1 (actions) element 0: value is 2001 chars, over 2000',
    ]);
  });
});
