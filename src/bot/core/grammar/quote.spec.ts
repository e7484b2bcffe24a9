import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './parse.js';
import { promptedCommand, quoteArgument } from './quote.js';
import { tokenize } from './tokenize.js';

describe('quoteArgument', () => {
  it('round-trips through the tokenizer as one quoted word', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        const result = tokenize(quoteArgument(text));
        if (!result.ok) return; // control and invisible characters are refused, quoted or not
        expect(result.tokens).toEqual([{ text, quoted: true }]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('promptedCommand', () => {
  it("appends the clicker's value to a prompting button, quoted", () => {
    const deny = {
      label: 'Deny',
      command: 'deny accept-12',
      prompt: { flag: '--reason', label: 'why deny' },
    };
    const command = promptedCommand(deny, 'it\'s not patched "yet"');
    expect(command).toBe(`deny accept-12 --reason 'it'\\''s not patched "yet"'`);
    expect(parseCommand(command)).toEqual({
      ok: true,
      command: { name: 'deny', id: 'accept-12', reason: 'it\'s not patched "yet"' },
    });
    expect(promptedCommand({ label: 'Approve', command: 'approve accept-12' }, 'ignored')).toBe(
      'approve accept-12',
    );
  });
});
