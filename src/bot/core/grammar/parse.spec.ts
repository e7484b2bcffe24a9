import { describe, expect, it } from 'vitest';
import { accept, reject } from './expect-parse.js';
import { commandUsages } from './parse.js';

describe('parseCommand: accepted commands', () => {
  it('parses scan with a selector and the default refresh mode', () => {
    expect(accept('scan web-*')).toEqual({
      name: 'scan',
      selector: { text: 'web-*', terms: [{ kind: 'glob', pattern: 'web-*' }] },
      refresh: 'auto',
    });
  });

  it('takes --flag value and --flag=value', () => {
    expect(accept('scan group:prod --refresh always')).toMatchObject({ refresh: 'always' });
    expect(accept('scan --refresh=never group:prod')).toMatchObject({
      refresh: 'never',
      selector: { text: 'group:prod' },
    });
  });

  it('accepts the whole console line with the /patch prefix', () => {
    expect(accept('/patch scan web-01')).toMatchObject({ name: 'scan', selector: { text: 'web-01' } });
    expect(accept('  /patch   status  ')).toEqual({ name: 'status' });
  });

  it('defaults hosts to all', () => {
    expect(accept('hosts')).toEqual({ name: 'hosts', selector: { text: 'all', terms: [{ kind: 'all' }] } });
    expect(accept('hosts tag:role=db,web-01')).toMatchObject({ selector: { text: 'tag:role=db,web-01' } });
  });

  it('parses status with and without a run id', () => {
    expect(accept('status')).toEqual({ name: 'status' });
    expect(accept('status scan-42')).toEqual({ name: 'status', runId: 'scan-42' });
  });

  it('parses help, with a topic in any case', () => {
    expect(accept('help')).toEqual({ name: 'help' });
    expect(accept('help SCAN')).toEqual({ name: 'help', topic: 'scan' });
    expect(accept('')).toEqual({ name: 'help' });
    expect(accept('/patch')).toEqual({ name: 'help' });
  });

  it('unquotes single and double quotes, smart quotes and backslashes', () => {
    expect(accept("scan 'web-01,db-01'")).toMatchObject({ selector: { text: 'web-01,db-01' } });
    expect(accept('scan "group:prod"')).toMatchObject({ selector: { text: 'group:prod' } });
    expect(accept('scan \u201cweb-01\u201d')).toMatchObject({ selector: { text: 'web-01' } });
    expect(accept('scan web\\-01')).toMatchObject({ selector: { text: 'web-01' } });
    expect(accept('scan web-01 --refresh "always"')).toMatchObject({ refresh: 'always' });
  });

  it('accepts tabs between words and ends flags at --', () => {
    expect(accept('scan\tweb-01')).toMatchObject({ selector: { text: 'web-01' } });
    expect(reject('scan -- --refresh').code).toBe('invalid_selector');
  });
});

describe('parseCommand: rejected commands', () => {
  it('suggests the closest command', () => {
    const error = reject('sacn web-01');
    expect(error).toMatchObject({
      code: 'unknown_command',
      message: "unknown command 'sacn' — did you mean 'scan'?",
    });
    expect(error.hint).toContain('/patch help');
    expect(reject('deploy web-01').message).toBe("unknown command 'deploy'");
    expect(reject('/deploy web-01').message).toContain('commands start with /patch');
  });

  it('rejects unknown, repeated and valueless flags with the usage line', () => {
    expect(reject('scan web-01 --refesh always')).toEqual({
      code: 'unknown_flag',
      message: "scan has no flag '--refesh' — did you mean '--refresh'?",
      hint: 'usage: /patch scan <selector> [--refresh auto|always|never]',
    });
    expect(reject('hosts --all').message).toBe('hosts takes no flags');
    expect(reject('scan web-01 -r always').code).toBe('unknown_flag');
    expect(reject('scan web-01 --refresh').code).toBe('missing_flag_value');
    expect(reject('scan web-01 --refresh --refresh always').code).toBe('missing_flag_value');
    expect(reject('scan web-01 --refresh auto --refresh never').code).toBe('duplicate_flag');
  });

  it('rejects a bad flag value by naming the choices', () => {
    expect(reject('scan web-01 --refresh sometimes').message).toBe(
      "--refresh must be auto, always or never, not 'sometimes'",
    );
  });

  it('rejects missing and extra arguments', () => {
    expect(reject('scan')).toEqual({
      code: 'missing_argument',
      message: 'scan needs a <selector>',
      hint: 'usage: /patch scan <selector> [--refresh auto|always|never]',
    });
    const extra = reject('scan web-01 db-01');
    expect(extra.code).toBe('extra_argument');
    expect(extra.message).toBe("unexpected argument 'db-01': scan takes one argument");
    expect(extra.hint).toContain('web-01,db-01');
    expect(reject('status scan-1 scan-2').code).toBe('extra_argument');
  });

  it('rejects bad run ids and unknown help topics', () => {
    expect(reject('status 42').message).toBe("'42' is not a run id; run ids look like scan-42");
    expect(reject('help sacn')).toMatchObject({
      code: 'unknown_command',
      message: "no command 'sacn' — did you mean 'scan'?",
    });
  });

  it.each([
    ['scan web-*;id', "';' is not allowed"],
    ['scan $(id)', "'$' is not allowed"],
    ['scan `id`', "'`' is not allowed"],
    ['scan "web-01|nc"', "'|' is not allowed"],
    ['scan "web-01 && reboot"', "' ' is not allowed"],
    ['scan ../../etc', "'/' is not allowed"],
  ])('rejects injection in a selector: %s', (text, fragment) => {
    const error = reject(text);
    expect(error.code).toBe('invalid_selector');
    expect(error.message).toContain(fragment);
  });

  it('treats shell operators as plain words, never as syntax', () => {
    expect(reject('scan web-01 && reboot').code).toBe('extra_argument');
    expect(reject('scan web-01; reboot').code).toBe('invalid_selector');
  });

  it.each([
    ['scan web-01\nreboot', 'a line break'],
    ['scan web-01\0', 'a NUL character'],
    ['scan \u001b[31mweb-01', 'an escape character'],
    ['scan web-01\u202e', 'U+202E'],
  ])('rejects control characters: %j', (text, fragment) => {
    const error = reject(text);
    expect(error.code).toBe('control_character');
    expect(error.message).toContain(fragment);
  });

  it('rejects unterminated quotes', () => {
    expect(reject('scan "web-01')).toMatchObject({ code: 'unterminated_quote', hint: 'close it with "' });
    expect(reject("scan 'web-01").code).toBe('unterminated_quote');
  });

  it('states the limits on argument and input length', () => {
    expect(reject(`scan ${'a'.repeat(257)}`)).toMatchObject({
      code: 'argument_too_long',
      message: `the argument '${'a'.repeat(20)}…' is 257 characters; the limit is 256`,
    });
    expect(reject(`scan ${'a '.repeat(1000)}`)).toMatchObject({
      code: 'too_long',
      message: 'the command is 2,005 characters; the limit is 2,000',
    });
  });
});

describe('commandUsages', () => {
  it('lists every command with its /patch usage line', () => {
    expect(commandUsages.map((u) => u.usage)).toEqual([
      '/patch help [command]',
      '/patch hosts [selector]',
      '/patch scan <selector> [--refresh auto|always|never]',
      '/patch status [run-id]',
      '/patch findings [selector] [--priority P1[,P2]] [--kev] [--cve CVE-ID] [--limit N]',
      '/patch cve <CVE-ID>',
      '/patch advisories',
      '/patch accept <CVE-ID> <selector> --until YYYY-MM-DD --reason "text"',
      '/patch plan <selector> [--security] [--priority P2] [--cve ID,...] [--packages a,b] [--waves 1,10%,50%,100%] [--concurrency N] [--bake 10m] [--max-failures 1|5%] [--max-total-failures N|P%] [--reboot never|if-required|always] [--window NAME] [--auto-rollback]',
      '/patch approve <plan-id|acceptance-id>',
      '/patch deny <plan-id|acceptance-id> --reason "text"',
      '/patch pause <rollout-id>',
      '/patch resume <rollout-id>',
      '/patch abort <rollout-id>',
      '/patch rollback <rollout-id> [selector]',
      '/patch override <rollout-id> --reason "text"',
    ]);
  });
});
