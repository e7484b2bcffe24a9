import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  globMatches,
  parseSelector,
  resolveSelector,
  type SelectableHost,
  type Selector,
} from './selector.js';

const hosts: SelectableHost[] = [
  { name: 'web-02', groups: ['web', 'prod'], tags: { env: 'prod', role: 'web' } },
  { name: 'web-01', groups: ['web', 'prod'], tags: { env: 'prod', role: 'web' } },
  { name: 'db-01', groups: ['db', 'prod'], tags: { env: 'prod', role: 'db' } },
  { name: 'stage-web-01', groups: ['web', 'staging'], tags: { env: 'staging' } },
];

function selector(text: string): Selector {
  const parsed = parseSelector(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.selector;
}

function names(text: string): string[] {
  const resolved = resolveSelector(selector(text), hosts);
  if (!resolved.ok) throw new Error(resolved.error.message);
  return resolved.hosts.map((h) => h.name);
}

function resolveError(text: string): string {
  const resolved = resolveSelector(selector(text), hosts);
  if (resolved.ok) throw new Error(`expected '${text}' to fail`);
  return resolved.error.message;
}

describe('parseSelector', () => {
  it('parses every kind of term', () => {
    expect(selector('all,web-01,web-*,group:prod,tag:role=db').terms).toEqual([
      { kind: 'all' },
      { kind: 'name', name: 'web-01' },
      { kind: 'glob', pattern: 'web-*' },
      { kind: 'group', group: 'prod' },
      { kind: 'tag', key: 'role', value: 'db' },
    ]);
  });

  it('drops duplicate terms from the canonical text', () => {
    expect(selector('web-01,web-01,group:db').text).toBe('web-01,group:db');
  });

  it.each([
    ['', 'empty'],
    ['web-01,,db-01', 'empty item'],
    ['web-01;id', "';' is not allowed"],
    ['$(id)', "'$' is not allowed"],
    ['group:', "group '' is not a valid name"],
    ['group:a b', 'not a valid name'],
    ['tag:env', 'tag:KEY=VALUE'],
    ['tag:=prod', "tag key ''"],
    ['tag:env=', "tag value ''"],
    ['web-[1-3]', "'[' is not allowed"],
    ['-web', 'not a valid host name'],
    ['a'.repeat(64), 'not a valid host name'],
  ])('rejects %j (%s)', (text, fragment) => {
    const parsed = parseSelector(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.message).toContain(fragment);
  });

  it('accepts only the strict character set', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const parsed = parseSelector(text);
        if (parsed.ok) expect(parsed.selector.text).toMatch(/^[A-Za-z0-9._*?:=,-]+$/);
      }),
    );
  });
});

describe('globMatches', () => {
  it.each([
    ['web-*', 'web-01', true],
    ['web-*', 'db-01', false],
    ['*-01', 'stage-web-01', true],
    ['web-0?', 'web-01', true],
    ['web-0?', 'web-010', false],
    ['*', '', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['web.1', 'webX1', false],
  ])('%s against %s is %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });

  it('agrees with a regular-expression reference', () => {
    const alphabet = fc.constantFrom('a', 'b', '-', '*', '?');
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 8 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '-'), maxLength: 10 }),
        (pattern, name) => {
          const reference = new RegExp(
            `^${pattern.replaceAll('-', '\\-').replaceAll('*', '.*').replaceAll('?', '.')}$`,
          );
          expect(globMatches(pattern, name)).toBe(reference.test(name));
        },
      ),
    );
  });
});

describe('resolveSelector', () => {
  it('returns a sorted union without duplicates', () => {
    expect(names('web-02,web-*,group:db')).toEqual(['db-01', 'web-01', 'web-02']);
    expect(names('all')).toEqual(['db-01', 'stage-web-01', 'web-01', 'web-02']);
    expect(names('tag:env=staging')).toEqual(['stage-web-01']);
    expect(names('group:prod,tag:role=web')).toEqual(['db-01', 'web-01', 'web-02']);
  });

  it('names an unknown host and the selector it came from', () => {
    expect(resolveError('web-9,db-01')).toBe("unknown host 'web-9' in selector 'web-9,db-01'");
    expect(resolveError('web-9')).toBe("unknown host 'web-9'");
    expect(resolveError('web-9,web-10')).toBe("unknown hosts 'web-9', 'web-10' in selector 'web-9,web-10'");
  });

  it('rejects an empty group, a glob or a tag that matches nothing', () => {
    expect(resolveError('group:mail')).toBe("group 'mail' has no members");
    expect(resolveError('mail-*')).toBe("no host matches 'mail-*'");
    expect(resolveError('tag:env=dev')).toBe("no host matches 'tag:env=dev'");
  });

  it('does not match a tag inherited from Object.prototype', () => {
    expect(resolveError('tag:constructor=x')).toBe("no host matches 'tag:constructor=x'");
  });

  it('reports an empty inventory', () => {
    const resolved = resolveSelector(selector('all'), []);
    expect(resolved).toEqual({
      ok: false,
      error: { code: 'empty_inventory', message: 'the inventory has no hosts' },
    });
  });
});
