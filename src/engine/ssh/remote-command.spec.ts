import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sh } from '../shell/command.js';
import { remoteCommand, sudoRefusal, withoutSudoNoise } from './remote-command.js';

describe('remote command', () => {
  /** What a real /bin/sh makes of the words after `prefix`: the argument vector the host will see. */
  function wordsAfter(command: string, prefix: string): string[] {
    expect(command.startsWith(prefix)).toBe(true);
    const script = `for word in ${command.slice(prefix.length)}; do printf '%s\\0' "$word"; done`;
    return execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' }).split('\0').slice(0, -1);
  }

  it('bounds every command with a host-side deadline, and leaves root without sudo', () => {
    const command = sh`id -u`;
    const result = remoteCommand(command, { user: 'root', sudo: true, timeoutMs: 1_500 });
    expect(result).toEqual({ command: "timeout -k 5 4 sh -c 'id -u'", wrapped: false });
  });

  it('wraps other users in sudo -n, the command passing to sh -c as one exact word', () => {
    const command = sh`printf %s ${'it\'s $(id) `x` \\ "q"\nnext'}`;
    const result = remoteCommand(command, { user: 'patchops', sudo: true, timeoutMs: 60_000 });
    expect(result.wrapped).toBe(true);
    expect(wordsAfter(result.command, 'sudo -n -- ')).toEqual([
      'timeout',
      '-k',
      '5',
      '62',
      'sh',
      '-c',
      command,
    ]);
  });

  it('does not use sudo unless asked', () => {
    const result = remoteCommand(sh`id -u`, { user: 'patchops', sudo: false, timeoutMs: 1_000 });
    expect(result).toEqual({ command: "timeout -k 5 3 sh -c 'id -u'", wrapped: false });
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
