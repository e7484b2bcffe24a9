import { describe, expect, it } from 'vitest';
import { quote, sh } from '../engine/shell/command.js';
import { unquoteWord } from '../engine/shell/words.js';
import { remoteCommand } from '../engine/ssh/remote-command.js';
import { simAddresses } from './addresses.js';
import { unwrapDeadline, unwrapSudo } from './sudo.js';

describe('unwrapSudo', () => {
  const script = "export LC_ALL=C\necho '@@patchops:section x'\nprintf '%s\\n' \"$HOME\"";

  it.each([
    ['sudo -n env LC_ALL=C apt-get -q update', 'env LC_ALL=C apt-get -q update'],
    ['sudo -n -u root -- env LC_ALL=C apt-get -q update', 'env LC_ALL=C apt-get -q update'],
    ['sudo -nH true', 'true'],
    ['sudo --non-interactive true', 'true'],
    [`sudo -n sh -c ${quote(script)}`, script],
    [`sudo -n -- /bin/sh -c ${quote(script)}`, script],
  ])('unwraps %j', (command, inner) => {
    expect(unwrapSudo(command)).toEqual({ command: inner, sudo: true });
  });

  it.each(['sudo true', 'sudoedit -n x', 'env sudo -n true', 'true'])('leaves %j alone', (command) => {
    expect(unwrapSudo(command)).toEqual({ command, sudo: false });
  });

  it('reads one shell word and refuses more', () => {
    expect(unquoteWord(`'it'\\''s' "a \\"b\\" \\$c"`)).toBeUndefined();
    expect(unquoteWord(`'it'\\''s'"-a \\"b\\" \\$c"`)).toBe('it\'s-a "b" $c');
    expect(unquoteWord("'open")).toBeUndefined();
  });
});

describe('unwrapDeadline', () => {
  it('hands back what the SSH client bounded with timeout, with or without sudo', () => {
    const inner = sh`export LC_ALL=C; echo ${"it's"}`;
    const asRoot = remoteCommand(inner, { user: 'root', sudo: true, timeoutMs: 30_000 });
    expect(unwrapDeadline(unwrapSudo(asRoot.command).command)).toBe(inner);
    const viaSudo = remoteCommand(inner, { user: 'patchops', sudo: true, timeoutMs: 30_000 });
    expect(unwrapSudo(viaSudo.command).sudo).toBe(true);
    expect(unwrapDeadline(unwrapSudo(viaSudo.command).command)).toBe(inner);
    expect(unwrapDeadline('true')).toBe('true');
  });
});

describe('simAddresses', () => {
  it('counts up through loopback, skipping .0 and .255', () => {
    const addresses = simAddresses('127.0.20.1', 600);
    expect(addresses.slice(0, 2)).toEqual(['127.0.20.1', '127.0.20.2']);
    expect(addresses[253]).toBe('127.0.20.254');
    expect(addresses[254]).toBe('127.0.21.1');
    expect(addresses.at(-1)).toBe('127.0.22.92');
    expect(new Set(addresses).size).toBe(600);
  });

  it('stays inside 127.0.0.0/8', () => {
    expect(() => simAddresses('10.0.0.1', 1)).toThrowError(/127\.0\.0\.0\/8/);
    expect(() => simAddresses('127.255.255.250', 10)).toThrowError(/leave 127\.0\.0\.0\/8/);
  });
});
