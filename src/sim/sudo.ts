import { unquoteWord } from '../engine/shell/words.js';

/**
 * How the SSH layer wraps a command for `sudo -n` is its own business: accept the usual shapes
 * (`sudo -n CMD`, `sudo -n -u root -- CMD`, `sudo -n sh -c 'CMD'`) and hand back the inner command.
 */
export function unwrapSudo(command: string): { command: string; sudo: boolean } {
  const notSudo = { command, sudo: false };
  let rest = command;
  const next = () => /^\s*(\S+)/.exec(rest);
  if (next()?.[1] !== 'sudo') return notSudo;
  rest = rest.slice(next()![0].length);
  let nonInteractive = false;
  for (let token = next(); token; token = next()) {
    const word = token[1]!;
    if (!word.startsWith('-')) break;
    rest = rest.slice(token[0].length);
    if (word === '--') break;
    if (word === '--non-interactive' || /^-[A-Za-z]*n/.test(word)) nonInteractive = true;
    // options that take a value: the next word is theirs
    if (/^-[A-Za-z]*[ugpCDhrtTU]$/.test(word)) rest = rest.slice(next()?.[0].length ?? 0);
  }
  // without -n, sudo would prompt for a password on a host that asks for one: not what the engine sends
  if (!nonInteractive) return notSudo;
  const inner = rest.trimStart();
  const shell = /^(?:\/usr)?(?:\/bin\/)?(?:ba)?sh -c (.+)$/s.exec(inner);
  const script = shell ? unquoteWord(shell[1]!) : undefined;
  return { command: script ?? inner, sudo: true };
}

/**
 * The SSH client bounds every command on the host with `timeout -k K N sh -c 'CMD'` (see
 * src/engine/ssh/remote-command.ts), inside sudo when sudo is used: hand back CMD.
 */
export function unwrapDeadline(command: string): string {
  const bounded = /^timeout -k \d+ \d+ sh -c (.+)$/s.exec(command);
  return (bounded ? unquoteWord(bounded[1]!) : undefined) ?? command;
}
