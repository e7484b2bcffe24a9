import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CommandErrorCode } from '../command-error.js';
import { commandNames } from './commands.js';
import { type ParseResult, parseCommand } from './parse.js';
import { CVE_ID_PATTERN, REASON_PATTERN } from './risk-values.js';
import { PACKAGE_NAME_PATTERN, ROLLOUT_ID_PATTERN } from './rollout-values.js';
import { RUN_ID_PATTERN } from './values.js';

const ERROR_CODES: readonly CommandErrorCode[] = [
  'too_long',
  'control_character',
  'unterminated_quote',
  'argument_too_long',
  'unknown_command',
  'unknown_flag',
  'duplicate_flag',
  'missing_flag_value',
  'missing_argument',
  'extra_argument',
  'invalid_value',
  'invalid_selector',
];

const SELECTOR_CHARSET = /^[A-Za-z0-9._*?:=,-]+$/;

/** The contract every input must meet: a result, never an exception, and nothing unsafe accepted. */
function checkContract(text: string): ParseResult {
  const result = parseCommand(text);
  if (!result.ok) {
    expect(ERROR_CODES).toContain(result.error.code);
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(result.error.message.length).toBeLessThanOrEqual(240);
    return result;
  }
  const command = result.command;
  switch (command.name) {
    case 'hosts':
    case 'scan':
      expect(command.selector.text).toMatch(SELECTOR_CHARSET);
      for (const term of command.selector.terms) expect(JSON.stringify(term)).toMatch(/^[\x20-\x7e]+$/);
      if (command.name === 'scan') expect(['auto', 'always', 'never']).toContain(command.refresh);
      break;
    case 'status':
      if (command.runId !== undefined) expect(command.runId).toMatch(RUN_ID_PATTERN);
      break;
    case 'help':
      if (command.topic !== undefined) expect(commandNames()).toContain(command.topic);
      break;
    case 'findings':
      expect(command.selector.text).toMatch(SELECTOR_CHARSET);
      for (const p of command.priority ?? []) expect(['P1', 'P2', 'P3', 'P4']).toContain(p);
      if (command.cve !== undefined) expect(command.cve).toMatch(CVE_ID_PATTERN);
      if (command.limit !== undefined) expect(Number.isInteger(command.limit)).toBe(true);
      expect(typeof command.kev).toBe('boolean');
      break;
    case 'cve':
      expect(command.cveId).toMatch(CVE_ID_PATTERN);
      break;
    case 'accept':
      expect(command.cveId).toMatch(CVE_ID_PATTERN);
      expect(command.selector.text).toMatch(SELECTOR_CHARSET);
      expect(command.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(command.reason).toMatch(REASON_PATTERN);
      break;
    case 'approve':
    case 'deny':
      expect(command.id).toMatch(/^(plan|accept)-[1-9]\d*$/);
      if (command.name === 'deny') expect(command.reason).toMatch(REASON_PATTERN);
      break;
    case 'plan':
      expect(command.selector.text).toMatch(SELECTOR_CHARSET);
      for (const name of command.packages ?? []) expect(name).toMatch(PACKAGE_NAME_PATTERN);
      for (const cve of command.cve ?? []) expect(cve).toMatch(CVE_ID_PATTERN);
      if (command.window) expect(command.window).toMatch(/^[A-Za-z0-9_-]+$/);
      break;
    case 'pause':
    case 'resume':
    case 'abort':
    case 'rollback':
      expect(command.rolloutId).toMatch(ROLLOUT_ID_PATTERN);
      break;
    case 'override':
      expect(command.rolloutId).toMatch(ROLLOUT_ID_PATTERN);
      expect(command.reason).toMatch(REASON_PATTERN);
      break;
    case 'advisories':
      break;
  }
  return result;
}

/** Every string in a parsed command but the free-text reason, which is checked on its own terms. */
function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === 'reason' ? [] : stringLeaves(inner)));
}

const INJECTIONS = [
  'web-*;id',
  '$(id)',
  '`id`',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal shell expansion is the point
  '${IFS}',
  '|',
  '||',
  '&&',
  '&',
  ';',
  '>',
  '<',
  '>/etc/passwd',
  '\n',
  '\r\n',
  '\0',
  '\u001b[2J',
  '\u202e',
  '"',
  "'",
  '\\',
  '*',
  '?',
  '..',
  '/etc/shadow',
  '-oProxyCommand=id',
  '--refresh',
  '--refresh=',
  '=',
  ',',
  'group:',
  'tag:',
  'tag:a=b',
  'web-01',
  ' ',
  '\t',
  '\u00a0',
  '\u201c',
  'a'.repeat(300),
];

const word = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.constantFrom('scan', 'hosts', 'status', 'help', '/patch', 'scan-1'),
  fc.constantFrom('findings', 'cve', 'advisories', 'accept', 'approve', 'deny', 'accept-12', 'CVE-2024-3094'),
  fc.constantFrom('plan', 'pause', 'resume', 'abort', 'rollback', 'override', 'plan-3', 'rollout-2'),
  fc.constantFrom('--waves', '1,10%,100%', '--bake', '10m', '--max-failures', '5%', '--packages', '--reboot'),
  fc.constantFrom(
    '--priority',
    'P1,P2',
    '--kev',
    '--cve',
    '--limit',
    '10',
    '--until',
    '2030-01-01',
    '--reason',
  ),
  fc.string({ maxLength: 12 }),
);

const injectionLine = fc
  .array(fc.tuple(word, fc.constantFrom('', ' ', "'", '"')), { maxLength: 8 })
  .map((parts) => parts.map(([text, quote]) => `${quote}${text}${quote}`).join(' '));

const selectorTerm = fc.oneof(
  fc.constant('all'),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.*?_-]{0,20}$/),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/).map((group) => `group:${group}`),
  fc
    .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,8}$/))
    .map(([key, value]) => `tag:${key}=${value}`),
);

describe('parseCommand under fuzzing', () => {
  it('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => void checkContract(text)),
      { numRuns: 2000 },
    );
  });

  it('never throws on random unicode, including lone surrogates and controls', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => void checkContract(text)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
        (text) => void checkContract(`scan ${text}`),
      ),
      { numRuns: 1000 },
    );
  });

  it('never accepts shell syntax hidden in commands', () => {
    fc.assert(
      fc.property(injectionLine, (line) => {
        const result = checkContract(line);
        if (!result.ok) return;
        for (const value of stringLeaves(result.command)) expect(value).toMatch(/^[A-Za-z0-9._*?:=,-]+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps a free-text reason to words and punctuation, whatever is typed', () => {
    const reasonText = fc.oneof(
      fc
        .array(fc.constantFrom(...INJECTIONS), { minLength: 1, maxLength: 4 })
        .map((parts) => parts.join(' ')),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    fc.assert(
      fc.property(
        reasonText,
        fc.constantFrom('deny accept-12', 'accept CVE-2024-3094 web-* --until 2030-01-01'),
        (reason, command) => {
          const quoted = `'${reason.replaceAll("'", '')}'`;
          const result = checkContract(`${command} --reason ${quoted}`);
          if (!result.ok) return;
          const parsed = 'reason' in result.command ? result.command.reason : '';
          expect(parsed).not.toMatch(/[<>@`|$\\{}\n\r\0]/);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('validates every flag of findings, whatever the value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('--priority', '--cve', '--limit'),
        fc.oneof(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 20 })),
        (flag, value) => void checkContract(`findings all ${flag} '${value.replaceAll("'", '')}'`),
      ),
      { numRuns: 1000 },
    );
  });

  it('validates every flag of plan, whatever the value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          '--priority',
          '--cve',
          '--packages',
          '--waves',
          '--concurrency',
          '--bake',
          '--max-failures',
          '--max-total-failures',
          '--reboot',
          '--window',
        ),
        fc.oneof(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 20 })),
        (flag, value) => void checkContract(`plan web-* ${flag} '${value.replaceAll("'", '')}'`),
      ),
      { numRuns: 2000 },
    );
  });

  it('answers long inputs with the limit, not a crash', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1900, maxLength: 2100 }),
        fc.constantFrom('scan ', 'hosts ', ''),
        (text, prefix) => {
          const result = checkContract(prefix + text);
          if (prefix.length + text.length > 2000)
            expect(result.ok ? 'ok' : result.error.code).toBe('too_long');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('accepts every well-formed selector and keeps its terms', () => {
    fc.assert(
      fc.property(
        fc.array(selectorTerm, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('scan', 'hosts'),
        (terms, name) => {
          const text = terms.join(',');
          fc.pre(text.length <= 256);
          const result = checkContract(`${name} ${text}`);
          expect(result.ok).toBe(true);
          if (result.ok && (result.command.name === 'scan' || result.command.name === 'hosts')) {
            expect(result.command.selector.text.split(',')).toEqual([...new Set(terms)]);
          }
        },
      ),
    );
  });
});
