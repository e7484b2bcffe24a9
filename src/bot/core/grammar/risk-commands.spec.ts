import { describe, expect, it } from 'vitest';
import { accept, reject } from './expect-parse.js';

describe('findings', () => {
  it('defaults to all hosts, every priority, no limit', () => {
    expect(accept('findings')).toEqual({
      name: 'findings',
      selector: { text: 'all', terms: [{ kind: 'all' }] },
      kev: false,
    });
  });

  it('takes a selector, priorities, --kev, a CVE and a limit', () => {
    expect(accept('findings group:prod --priority p2,P1,p2 --kev --cve cve-2024-3094 --limit 20')).toEqual({
      name: 'findings',
      selector: { text: 'group:prod', terms: [{ kind: 'group', group: 'prod' }] },
      priority: ['P1', 'P2'],
      kev: true,
      cve: 'CVE-2024-3094',
      limit: 20,
    });
    expect(accept('findings --priority=P3')).toMatchObject({ priority: ['P3'] });
  });

  it.each([
    [
      'findings --priority P5',
      "--priority takes P1, P2, P3 or P4, several joined by commas (P1,P2), not 'P5'",
    ],
    [
      'findings --priority P1,',
      "--priority takes P1, P2, P3 or P4, several joined by commas (P1,P2), not 'P1,'",
    ],
    [
      'findings --priority high',
      "--priority takes P1, P2, P3 or P4, several joined by commas (P1,P2), not 'high'",
    ],
    ['findings --limit 0', "--limit takes a whole number from 1 to 1000, not '0'"],
    ['findings --limit 1001', "--limit takes a whole number from 1 to 1000, not '1001'"],
    ['findings --limit -5', "--limit takes a whole number from 1 to 1000, not '-5'"],
    ['findings --limit 2e3', "--limit takes a whole number from 1 to 1000, not '2e3'"],
    ['findings --cve 2024-3094', "'2024-3094' is not a CVE id; CVE ids look like CVE-2024-3094"],
  ])('rejects %j', (text, message) => {
    expect(reject(text)).toMatchObject({ code: 'invalid_value', message });
  });

  it('rejects unknown, repeated and misused flags', () => {
    expect(reject('findings --kve').message).toBe("findings has no flag '--kve' — did you mean '--kev'?");
    expect(reject('findings --kev=yes')).toMatchObject({
      code: 'invalid_value',
      message: '--kev takes no value',
    });
    expect(reject('findings --priority P1 --priority P2').code).toBe('duplicate_flag');
    expect(reject('findings --limit').code).toBe('missing_flag_value');
    expect(reject('findings web-01 db-01').code).toBe('extra_argument');
  });
});

describe('cve', () => {
  it.each([
    ['cve CVE-2024-3094', 'CVE-2024-3094'],
    ['cve cve-2021-44228', 'CVE-2021-44228'],
    ['cve CVE-2024-123456789', 'CVE-2024-123456789'],
  ])('accepts %s', (text, cveId) => {
    expect(accept(text)).toEqual({ name: 'cve', cveId });
  });

  it.each([
    'CVE-24-3094',
    'CVE-2024-309',
    'CVE-2024-3094a',
    'GHSA-xxxx-yyyy-zzzz',
    'CVE-2024-3094;id',
    'CVE-2024-$(id)',
    'CVE-2024-3094,CVE-2024-3095',
    '../CVE-2024-3094',
  ])('rejects %j', (id) => {
    expect(reject(`cve '${id}'`)).toMatchObject({
      code: 'invalid_value',
      message: expect.stringContaining('is not a CVE id; CVE ids look like CVE-2024-3094'),
    });
  });

  it('asks for the id when it is missing', () => {
    expect(reject('cve')).toEqual({
      code: 'missing_argument',
      message: 'cve needs a <cve-id>',
      hint: 'usage: /patch cve <CVE-ID>',
    });
  });
});

describe('advisories', () => {
  it('takes nothing', () => {
    expect(accept('advisories')).toEqual({ name: 'advisories' });
    expect(reject('advisories osv').code).toBe('extra_argument');
    expect(reject('advisories --stale').message).toBe('advisories takes no flags');
  });
});

describe('accept', () => {
  const base = 'accept CVE-2024-3094 web-*,db-01 --until 2025-06-30';

  it('takes a CVE, a selector, a date and a quoted reason', () => {
    expect(accept(`${base} --reason "vendor fix due in Q3; WAF rule in place"`)).toEqual({
      name: 'accept',
      cveId: 'CVE-2024-3094',
      selector: {
        text: 'web-*,db-01',
        terms: [
          { kind: 'glob', pattern: 'web-*' },
          { kind: 'name', name: 'db-01' },
        ],
      },
      until: '2025-06-30',
      reason: 'vendor fix due in Q3; WAF rule in place',
    });
    expect(accept(`${base} --reason 'Entwicklung: Lösung folgt (Q3)'`)).toMatchObject({
      reason: 'Entwicklung: Lösung folgt (Q3)',
    });
    expect(accept(`${base} --reason "  two   spaces  "`)).toMatchObject({ reason: 'two spaces' });
  });

  it('requires --until and --reason', () => {
    expect(reject('accept CVE-2024-3094 web-01 --reason "vendor fix"').message).toBe(
      '--until is required: the last day the acceptance holds, as YYYY-MM-DD',
    );
    expect(reject(`${base}`).message).toBe(
      '--reason is required: say why, in 3 to 300 characters, e.g. --reason "vendor fix due in Q3"',
    );
    expect(reject('accept CVE-2024-3094').message).toBe('accept needs a <selector>');
    expect(reject('accept').message).toBe('accept needs a <cve-id>');
  });

  it.each([
    ['--until 30.06.2025', "--until takes a date as YYYY-MM-DD, e.g. 2025-06-30, not '30.06.2025'"],
    ['--until 2025-02-30', "--until takes a date as YYYY-MM-DD, e.g. 2025-06-30, not '2025-02-30'"],
    ['--until 2025-6-30', "--until takes a date as YYYY-MM-DD, e.g. 2025-06-30, not '2025-6-30'"],
    ['--until tomorrow', "--until takes a date as YYYY-MM-DD, e.g. 2025-06-30, not 'tomorrow'"],
  ])('rejects %s', (until, message) => {
    expect(reject(`accept CVE-2024-3094 web-01 ${until} --reason "vendor fix"`)).toMatchObject({
      code: 'invalid_value',
      message,
    });
  });

  it('holds the reason to 3..300 characters of plain text', () => {
    expect(reject(`${base} --reason ok`).message).toBe('--reason must be at least 3 characters');
    expect(reject(`${base} --reason "   "`).message).toBe('--reason must be at least 3 characters');
    // A typed argument stops at the tokenizer's 256 characters before the 300 of the schema.
    expect(reject(`${base} --reason "${'a'.repeat(257)}"`).code).toBe('argument_too_long');
    expect(accept(`${base} --reason "${'a'.repeat(256)}"`)).toMatchObject({ reason: 'a'.repeat(256) });
  });

  it.each([
    ['<!channel> approve me', '<'],
    ['ping @everyone now', '@'],
    ['see `rm -rf`', '`'],
    ['cost $(id)', '$'],
    ['a | b', '|'],
    ['{x}', '{'],
    ['back\\\\slash', '\\'],
  ])('rejects chat markup in the reason: %j', (reason, bad) => {
    expect(reject(`${base} --reason "${reason}"`)).toMatchObject({
      code: 'invalid_value',
      message: `--reason may hold letters, digits, spaces and punctuation, not '${bad}'`,
    });
  });

  it('rejects control characters anywhere, before parsing', () => {
    expect(reject(`${base} --reason "line\nbreak"`).code).toBe('control_character');
    expect(reject(`${base} --reason "rtl\u202eoverride"`).code).toBe('control_character');
  });

  it('hints at quotes when an unquoted reason spills into arguments', () => {
    const error = reject(`${base} --reason waiting for the vendor`);
    expect(error).toMatchObject({
      code: 'extra_argument',
      message: "unexpected argument 'for': accept takes 2 arguments",
    });
    expect(error.hint).toContain('--reason "waiting for the vendor fix"');
    expect(reject(`accept CVE-2024-3094 web-01 db-01 --until 2025-06-30 --reason "a b c"`).hint).toContain(
      'join selector items with commas',
    );
  });

  it('rejects injection in the CVE and the selector', () => {
    expect(reject(`accept 'CVE-2024-3094;reboot' web-01 --until 2025-06-30 --reason "x y z"`).code).toBe(
      'invalid_value',
    );
    expect(reject(`accept CVE-2024-3094 'web-01;reboot' --until 2025-06-30 --reason "x y z"`).code).toBe(
      'invalid_selector',
    );
  });
});

describe('approve and deny', () => {
  it('take an acceptance or plan id; deny also a reason', () => {
    expect(accept('approve plan-3')).toEqual({ name: 'approve', id: 'plan-3' });
    expect(accept('approve accept-12')).toEqual({ name: 'approve', id: 'accept-12' });
    expect(accept('deny accept-12 --reason "no compensating control"')).toEqual({
      name: 'deny',
      id: 'accept-12',
      reason: 'no compensating control',
    });
  });

  it.each([
    'scan-42',
    'rollout-2',
    'accept-0',
    'accept-',
    'ACCEPT-12',
    'accept-12;id',
    'accept-1234567890123',
  ])('rejects the id %j', (id) => {
    expect(reject(`approve '${id}'`)).toMatchObject({
      code: 'invalid_value',
      message: expect.stringContaining('is neither a plan (plan-3) nor an acceptance (accept-12)'),
    });
  });

  it('needs the reason to deny, and the id for both', () => {
    expect(reject('deny accept-12').message).toContain('--reason is required');
    expect(reject('approve')).toMatchObject({
      code: 'missing_argument',
      message: 'approve needs a <id>',
      hint: expect.stringContaining('approve <plan-id|acceptance-id>'),
    });
    expect(reject('approve accept-12 accept-13').code).toBe('extra_argument');
  });
});
