import { type ShellCommand, sh } from '../shell/command.js';

/** Extra time the host gives a command after our own timeout, so our precise error always comes first. */
export const hostDeadlineGraceSeconds = 2;

/**
 * The command as sent to the host. Two wrappers:
 * - `timeout`: OpenSSH ignores "signal" requests for root logins and cannot signal root processes started
 *   through sudo, so closing the channel alone leaves a hung command running. A deadline enforced on the host
 *   (TERM, then KILL 5 s later) makes sure it ends there too, shortly after our own timeout.
 * - `sudo -n` (never prompts) when root is wanted and the login is not root.
 */
export function remoteCommand(
  command: ShellCommand,
  options: { user: string; sudo: boolean; timeoutMs: number },
): { command: ShellCommand; wrapped: boolean } {
  const deadline = Math.ceil(options.timeoutMs / 1000) + hostDeadlineGraceSeconds;
  const bounded = sh`timeout -k 5 ${deadline} sh -c ${command}`;
  if (!options.sudo || options.user === 'root') return { command: bounded, wrapped: false };
  return { command: sh`sudo -n -- ${{ raw: bounded }}`, wrapped: true };
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
