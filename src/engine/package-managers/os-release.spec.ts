import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OutputParseError } from './errors.js';
import { parseOsRelease, parseOsReleaseFields } from './os-release.js';

const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/os-release/${name}`, import.meta.url), 'utf8');

describe('parseOsRelease on real os-release files', () => {
  it.each([
    // captured from the Debian 12 machine this project is developed on
    ['debian-12.txt', 'debian', [], '12', 'bookworm', 'Debian GNU/Linux 12 (bookworm)'],
    ['ubuntu-22.04.txt', 'ubuntu', ['debian'], '22.04', 'jammy', 'Ubuntu 22.04.4 LTS'],
    [
      'almalinux-9.txt',
      'almalinux',
      ['rhel', 'centos', 'fedora'],
      '9.4',
      undefined,
      'AlmaLinux 9.4 (Seafoam Ocelot)',
    ],
    ['rocky-9.txt', 'rocky', ['rhel', 'centos', 'fedora'], '9.3', undefined, 'Rocky Linux 9.3 (Blue Onyx)'],
    ['sles-15.txt', 'sles', ['suse'], '15.5', undefined, 'SUSE Linux Enterprise Server 15 SP5'],
    [
      'opensuse-leap-15.6.txt',
      'opensuse-leap',
      ['suse', 'opensuse'],
      '15.6',
      undefined,
      'openSUSE Leap 15.6',
    ],
    ['alpine-3.20.txt', 'alpine', [], '3.20.3', undefined, 'Alpine Linux v3.20'],
  ])('%s', (file, id, idLike, versionId, versionCodename, prettyName) => {
    const os = parseOsRelease(fixture(file));
    expect(os).toEqual({
      id,
      idLike,
      versionId,
      prettyName,
      ...(versionCodename ? { versionCodename } : {}),
    });
  });

  it('keeps every field, e.g. the ones the dnf and zypper modules will want', () => {
    const fields = parseOsReleaseFields(fixture('almalinux-9.txt'));
    expect(fields.get('PLATFORM_ID')).toBe('platform:el9');
    expect(fields.get('SUPPORT_END')).toBe('2032-06-01');
    expect(fields.get('CPE_NAME')).toBe('cpe:/o:almalinux:almalinux:9::baseos');
  });
});

describe('parseOsRelease quoting and defaults', () => {
  it('reads double-quoted escapes, single quotes, unquoted escapes, comments and CRLF', () => {
    const text = [
      '# written by hand to cover os-release(5) quoting',
      '',
      'NAME="Example \\"Quoted\\" \\\\ \\$HOME \\`x\\`"',
      "VARIANT='single $quoted \\n stays'",
      'ID=example',
      'ID_LIKE="debian  ubuntu"\r',
      'VERSION_ID=1.0\\ beta',
      '  BUILD_ID="a"b\'c\'',
    ].join('\n');
    const fields = parseOsReleaseFields(text);
    expect(fields.get('NAME')).toBe('Example "Quoted" \\ $HOME `x`');
    expect(fields.get('VARIANT')).toBe('single $quoted \\n stays');
    expect(fields.get('VERSION_ID')).toBe('1.0 beta');
    expect(fields.get('BUILD_ID')).toBe('abc');
    expect(parseOsRelease(text).idLike).toEqual(['debian', 'ubuntu']);
  });

  it('keeps a backslash that escapes nothing inside double quotes, as the shell does', () => {
    expect(parseOsReleaseFields('NAME="a\\nb"').get('NAME')).toBe('a\\nb');
  });

  it('falls back to the defaults os-release(5) gives: ID=linux, NAME=Linux', () => {
    expect(parseOsRelease('VERSION="7"\n')).toEqual({
      id: 'linux',
      idLike: [],
      versionId: '',
      prettyName: 'Linux 7',
    });
  });

  it('lowercases ID and takes UBUNTU_CODENAME when VERSION_CODENAME is absent', () => {
    const os = parseOsRelease('ID=Ubuntu\nUBUNTU_CODENAME=focal\nVERSION_ID="20.04"\n');
    expect(os.id).toBe('ubuntu');
    expect(os.versionCodename).toBe('focal');
  });

  it('rejects an unbalanced quote, naming the line', () => {
    expect(() => parseOsRelease('ID=debian\nNAME="Debian\n')).toThrowError(/line 2 \(unbalanced quotes\)/);
  });

  it('rejects text that is not an os-release file rather than guessing "linux"', () => {
    const attempt = () => parseOsRelease('cat: /etc/os-release: No such file or directory\n');
    expect(attempt).toThrowError(OutputParseError);
    expect(attempt).toThrowError(/line 1 \(expected KEY=value\)/);
    expect(() => parseOsRelease('\n# nothing\n')).toThrowError(/no KEY=value lines/);
  });
});
