import { describe, expect, it } from 'vitest';
import { ecdsa, ed25519, hashedKnownHosts, otherEd25519, rsa } from './fixtures/keys.js';
import { knownHostsName, lookupKnownHosts, parseKnownHosts, pinsFromKnownHosts } from './known-hosts.js';

const line = (hosts: string, key: { type: string; base64: string }, comment = '') =>
  `${hosts} ${key.type} ${key.base64}${comment ? ` ${comment}` : ''}`;

describe('parseKnownHosts', () => {
  it('reads plain, comma-listed and bracketed names, comments and blank lines', () => {
    const text = [
      '# fleet keys',
      '',
      line('web-01,10.0.0.5', ed25519, 'web-01 host key'),
      line('[db-01]:2222', ecdsa),
      `   ${line('mail', rsa)}   `,
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text);
    expect(problems).toEqual([]);
    expect(entries.map((entry) => [entry.line, entry.type, entry.comment])).toEqual([
      [3, 'ssh-ed25519', 'web-01 host key'],
      [4, 'ecdsa-sha2-nistp256', undefined],
      [5, 'ssh-rsa', undefined],
    ]);
  });

  it('reports broken lines with their numbers and keeps the rest', () => {
    const text = [
      'only-a-name',
      line('a', { type: 'ssh-rsa', base64: ed25519.base64 }),
      'b ssh-ed25519 not*base64',
      '@weird c ssh-ed25519 AAAA',
      '|2|abc|def ssh-ed25519 AAAA',
      line('ok', ed25519),
    ].join('\n');
    const { entries, problems } = parseKnownHosts(text);
    expect(problems.map((problem) => problem.line)).toEqual([1, 2, 3, 4, 5]);
    expect(problems[1]?.message).toBe('key says it is ssh-ed25519, line says ssh-rsa');
    expect(entries).toHaveLength(1);
  });
});

describe('lookupKnownHosts', () => {
  it('names hosts the OpenSSH way: bare on port 22, [host]:port elsewhere', () => {
    expect(knownHostsName('web-01', 22)).toBe('web-01');
    expect(knownHostsName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });

  it('finds keys by any of the names and the port', () => {
    const { entries } = parseKnownHosts(
      [line('web-01,10.0.0.5', ed25519), line('[web-01]:2222', ecdsa), line('other', rsa)].join('\n'),
    );
    expect(lookupKnownHosts(entries, ['10.0.0.5'], 22).keys).toEqual([
      { type: ed25519.type, base64: ed25519.base64 },
    ]);
    expect(lookupKnownHosts(entries, ['web-01', '10.0.0.5'], 2222).keys).toEqual([
      { type: ecdsa.type, base64: ecdsa.base64 },
    ]);
    expect(lookupKnownHosts(entries, ['web-02'], 22).keys).toEqual([]);
  });

  it('matches names hashed by ssh-keygen -H', () => {
    const { entries, problems } = parseKnownHosts(hashedKnownHosts);
    expect(problems).toEqual([]);
    expect(lookupKnownHosts(entries, ['web-01.example.com'], 22).keys.map((key) => key.type)).toEqual([
      'ssh-ed25519',
    ]);
    expect(lookupKnownHosts(entries, ['db-01.example.com'], 2222).keys.map((key) => key.type)).toEqual([
      'ecdsa-sha2-nistp256',
    ]);
    expect(lookupKnownHosts(entries, ['db-01.example.com'], 22).keys).toEqual([]);
    expect(lookupKnownHosts(entries, ['web-01'], 22).keys).toEqual([]);
  });

  it('honours wildcards and negations', () => {
    const { entries } = parseKnownHosts(
      [line('*.prod.example,!bastion.prod.example', ed25519), line('db-?', rsa)].join('\n'),
    );
    expect(lookupKnownHosts(entries, ['web.prod.example'], 22).keys).toHaveLength(1);
    expect(lookupKnownHosts(entries, ['WEB.PROD.EXAMPLE'], 22).keys).toHaveLength(1);
    expect(lookupKnownHosts(entries, ['bastion.prod.example'], 22).keys).toEqual([]);
    expect(lookupKnownHosts(entries, ['db-1'], 22).keys).toHaveLength(1);
    expect(lookupKnownHosts(entries, ['db-10'], 22).keys).toEqual([]);
  });

  it('never trusts a revoked key and skips certificate authorities', () => {
    const { entries } = parseKnownHosts(
      [
        line('web-01', ed25519),
        line('web-01', otherEd25519),
        `@revoked ${line('*', otherEd25519)}`,
        `@cert-authority ${line('*.example', rsa)}`,
      ].join('\n'),
    );
    const found = lookupKnownHosts(entries, ['web-01'], 22);
    expect(found.keys).toEqual([{ type: ed25519.type, base64: ed25519.base64 }]);
    expect(found.revoked).toEqual([{ type: otherEd25519.type, base64: otherEd25519.base64 }]);
    expect(lookupKnownHosts(entries, ['a.example'], 22).certAuthoritiesSkipped).toBe(1);
  });

  it('turns found keys into pins marked as imported', () => {
    const { entries } = parseKnownHosts(line('web-01', ed25519));
    const at = new Date('2026-11-21T00:00:00Z');
    expect(pinsFromKnownHosts(lookupKnownHosts(entries, ['web-01'], 22), at)).toEqual([
      { type: ed25519.type, base64: ed25519.base64, source: 'known_hosts', firstSeenAt: at },
    ]);
  });
});
