import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sh } from '../shell/command.js';
import { sudoRefusal, withoutSudoNoise, withSudo } from './sudo.js';

describe('sudo wrapping', () => {
  it('leaves root alone', () => {
    const command = sh`id -u`;
    expect(withSudo(command, 'root')).toEqual({ command, wrapped: false });
  });

  it('wraps everyone else in sudo -n, the command passing to sh -c as one exact word', () => {
    const command = sh`printf %s ${'it\'s $(id) `x` \\ "q"\nnext'}`;
    const { command: wrapped, wrapped: isWrapped } = withSudo(command, 'patchops');
    expect(isWrapped).toBe(true);
    const prefix = 'sudo -n -- sh -c ';
    expect(wrapped.startsWith(prefix)).toBe(true);
    // What a real shell makes of the quoted word is exactly the original command.
    const word = execFileSync('/bin/sh', ['-c', `printf %s ${wrapped.slice(prefix.length)}`], {
      encoding: 'utf8',
    });
    expect(word).toBe(command);
  });

  it("tells sudo's refusals from the command's own failures", () => {
    expect(sudoRefusal(1, 'sudo: a password is required\n')).toBe('sudo: a password is required');
    expect(
      sudoRefusal(
        1,
        'sudo: unable to resolve host lab-01: Name or service not known\n' +
          'patchops is not in the sudoers file.  This incident will be reported.\n',
      ),
    ).toBe('patchops is not in the sudoers file.  This incident will be reported.');
    expect(sudoRefusal(1, 'E: Unable to locate package nope\n')).toBeUndefined();
    expect(sudoRefusal(100, 'sudo: a password is required\n')).toBeUndefined();
  });

  it('drops only the "unable to resolve host" noise', () => {
    const stderr = 'sudo: unable to resolve host lab-01: Name or service not known\nW: real warning\n';
    expect(withoutSudoNoise(stderr)).toBe('W: real warning\n');
    expect(withoutSudoNoise('W: real warning\n')).toBe('W: real warning\n');
  });
});
