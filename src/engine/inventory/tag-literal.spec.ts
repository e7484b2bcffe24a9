import { describe, expect, it } from 'vitest';
import { parseTagLiteral } from './tag-literal.js';

describe('parseTagLiteral', () => {
  it.each([
    [`{'env': 'prod', 'tier': 1}`, { env: 'prod', tier: '1' }],
    [`{"env":"prod","role":"db",}`, { env: 'prod', role: 'db' }],
    [`{ env: prod }`, { env: 'prod' }],
    ['env=prod, role=web', { env: 'prod', role: 'web' }],
    ['{}', {}],
    ['', {}],
  ])('reads %s', (text, tags) => {
    expect(parseTagLiteral(text)).toEqual({ ok: true, tags });
  });

  it.each([
    [`{'env': 'prod'`, "must end with '}'"],
    [`{'env' 'prod'}`, "expected 'key': value"],
    [`{'env': {'nested': 1}}`, 'expected a value'],
    [`{'a': 'b' 'c': 'd'}`, "expected ','"],
    ['env', 'expected key=value'],
  ])('rejects %s', (text, fragment) => {
    const result = parseTagLiteral(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(fragment);
  });
});
