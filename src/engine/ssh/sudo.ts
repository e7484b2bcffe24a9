import { type ShellCommand, sh } from '../shell/command.js';

/** Run `command` as root via `sudo -n` (never prompts) unless the login already is root. */
export function withSudo(command: ShellCommand, user: string): { command: ShellCommand; wrapped: boolean } {
  if (user === 'root') return { command, wrapped: false };
  return { command: sh`sudo -n -- sh -c ${command}`, wrapped: true };
}

const refusals = [
  /^sudo: a password is required$/m,
  /^sudo: a terminal is required to read the password/m,
  /is not in the sudoers file/m,
  /is not allowed to (?:run sudo|execute)/m,
  /^sudo: .*may not run sudo/m,
  /^sudo: account validation failure/m,
];

/** sudo's own refusal (exit 1 and one of its messages), as opposed to the command failing: the line. */
export function sudoRefusal(code: number, stderr: string): string | undefined {
  if (code !== 1) return undefined;
  return stderr
    .split('\n')
    .find((line) => refusals.some((pattern) => pattern.test(line)))
    ?.trim();
}

/**
 * sudo warns "unable to resolve host NAME" when the host name is not in /etc/hosts: noise on many real
 * machines (and every lab host). Dropped so parsers and messages see only what the command said.
 */
export function withoutSudoNoise(stderr: string): string {
  return stderr.replace(/^sudo: unable to resolve host [^\n]*(?:\n|$)/gm, '');
}
