import { OutputParseError } from '../errors.js';
import { endMarker, exitMarker, type ScanSection, sectionMarker } from './commands.js';

export interface SectionOutput {
  text: string;
  /** Exit status of the section's main command, when the script reports one. */
  exitCode?: number;
}

/**
 * Split the scan script's stdout into its sections. A missing end marker means the output was cut short
 * (a killed shell, a dropped connection), and half a package list must not pass for a whole one.
 */
export function splitScanOutput(stdout: string): Map<ScanSection, SectionOutput> {
  return splitSections<ScanSection>(stdout, 'scan script');
}

/** The same framing for any of the module's scripts (precheck, install): `what` names it in errors. */
export function splitSections<Name extends string>(stdout: string, what: string): Map<Name, SectionOutput> {
  const sections = new Map<Name, SectionOutput>();
  let current: { name: Name; lines: string[]; exitCode?: number } | undefined;
  const close = () => {
    if (!current) return;
    const text = current.lines.length > 0 ? `${current.lines.join('\n')}\n` : '';
    sections.set(current.name, {
      text,
      ...(current.exitCode !== undefined ? { exitCode: current.exitCode } : {}),
    });
  };
  const lines = stdout.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line === endMarker) {
      close();
      return sections;
    }
    if (line.startsWith(sectionMarker)) {
      close();
      current = { name: line.slice(sectionMarker.length) as Name, lines: [] };
    } else if (line.startsWith(exitMarker) && current) {
      current.exitCode = Number(line.slice(exitMarker.length));
    } else if (current) {
      current.lines.push(line);
    } else if (line !== '') {
      throw new OutputParseError(what, index + 1, line, 'output before the first section marker');
    }
  }
  throw new OutputParseError(what, lines.length, lines.at(-1) ?? '', 'output ends before the end marker');
}

/** `required` + the package names of /var/run/reboot-required.pkgs, or `not-required`. */
export function parseRebootRequired(text: string): { required: boolean; packages: string[] } {
  const [flag, ...packages] = text.split('\n').map((line) => line.trim());
  if (flag !== 'required') return { required: false, packages: [] };
  return { required: true, packages: [...new Set(packages.filter(Boolean))] };
}

/**
 * `date +%s`, then "mtime path" for apt's list files. apt dates a list file by the server's Last-Modified,
 * and a stable suite may not change for weeks, so the newest of them (and of the `partial/` folder that
 * every `apt-get update` writes into) is the best lower bound on when the lists were last refreshed.
 * Returns the age in seconds, or undefined when the host has no Release files, i.e. no lists at all.
 */
export function parseListsAge(text: string): number | undefined {
  const [nowLine, ...fileLines] = text.split('\n').filter((line) => line.trim() !== '');
  const now = Number(nowLine);
  const files = fileLines
    .map((line) => /^(\d+) (.+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ mtime: Number(match[1]), path: match[2]! }));
  if (!Number.isFinite(now) || !files.some((file) => file.path.endsWith('Release'))) return undefined;
  return Math.max(0, now - Math.max(...files.map((file) => file.mtime)));
}
