import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAptListUpgradable, parseAptSimulation } from './parse.js';

/**
 * Optional conformance suite: public command-output samples kept beside the project in
 * ../shared/reference (never copied into it). Skipped, with a notice, where that folder is absent.
 */
const samplesPath = new URL(
  '../../../../../shared/reference/command-output-samples/samples.txt',
  import.meta.url,
);
const present = existsSync(samplesPath);
if (!present) console.log(`notice: ${samplesPath.pathname} is absent; apt conformance samples skipped`);

/** The text between the two "-----" rulers that follow a "==== <title>" heading. */
function block(text: string, title: string): string {
  const start = text.indexOf(`==== ${title}`);
  const [, body = ''] = text.slice(start).split(/^-----$/m);
  return body;
}

describe.skipIf(!present)('public apt output samples', () => {
  const samples = present ? readFileSync(samplesPath, 'utf8') : '';

  it('reads the apt-get -s sample: Inst lines are updates, Remv lines are not, none is security', () => {
    const simulation = parseAptSimulation(block(samples, 'apt-get -s (simulate)'));
    expect(simulation.updates.map((u) => [u.name, u.installedVersion, u.version, u.security])).toEqual([
      ['default-jre', '2:1.8-58', '2:1.8-58+deb9u1', false],
      ['default-jre-headless', '2:1.8-58', '2:1.8-58+deb9u1', false],
      ['icedtea-netx', '1.6.2-3.1', '1.6.2-3.1+deb9u1', false],
    ]);
    expect(simulation.updates[0]?.origin).toBe('Debian:9.11/oldstable');
    expect(simulation.removals).toEqual(['default-java-plugin', 'icedtea-8-plugin']);
  });

  it('classifies the Ubuntu example line of the samples as security', () => {
    const line = samples.split('\n').find((l) => l.includes('Inst libssl3'));
    const ubuntuLine = line?.slice(line.indexOf('Inst '));
    expect(ubuntuLine).toBeDefined();
    expect(parseAptSimulation(ubuntuLine ?? '').updates).toEqual([
      {
        name: 'libssl3',
        arch: 'amd64',
        installedVersion: '3.0.2-0ubuntu1.10',
        version: '3.0.2-0ubuntu1.15',
        origin: 'Ubuntu:22.04/jammy-security',
        security: true,
      },
    ]);
  });

  it('reads the apt list --upgradable sample', () => {
    const listed = parseAptListUpgradable(block(samples, 'apt list --upgradable'));
    expect(listed.map((u) => u.name)).toEqual([
      'heroku',
      'resolvconf',
      'squashfs-tools',
      'unattended-upgrades',
    ]);
    expect(listed[2]).toMatchObject({
      installedVersion: '1:4.3-3ubuntu2',
      version: '1:4.3-3ubuntu2.17.04.1',
    });
    expect(listed.some((u) => u.security)).toBe(false);
  });
});
