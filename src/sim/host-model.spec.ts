import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { aptScanCommand } from '../engine/package-managers/apt/commands.js';
import { parseAptSimulation, parseDpkgQuery } from '../engine/package-managers/apt/parse.js';
import { parseRebootRequired, splitScanOutput } from '../engine/package-managers/apt/sections.js';
import { FleetPlan, generateHostPackages } from './host-model.js';
import { catalog, nextStableRevision } from './packages.js';
import { renderAptSimulation, renderDpkgQuery, renderRebootRequired } from './render.js';
import { SimHost } from './sim-host.js';

const plan = new FleetPlan(7);
const hostsOf = (count: number, options = { packagesPerHost: 400 }) =>
  Array.from({ length: count }, (_, index) => generateHostPackages(plan, index, options));

describe('simulated host packages', () => {
  const hosts = hostsOf(200);

  it('parse with the apt module parsers, matching the model', () => {
    for (const host of hosts.slice(0, 50)) {
      const installed = parseDpkgQuery(renderDpkgQuery(host.installed)).installed;
      const simulation = parseAptSimulation(renderAptSimulation(host));
      expect(installed).toHaveLength(host.installed.length);
      expect(simulation.updates.map((u) => [u.name, u.version, u.security])).toEqual(
        host.updates.map((u) => [u.installed.name, u.version, u.security]),
      );
      expect(simulation.newPackages.map((p) => p.name)).toEqual(host.newPackages.map((p) => p.name));
      expect(simulation.keptBack).toEqual(host.keptBack);
      expect(parseRebootRequired(renderRebootRequired(host.rebootPackages)).required).toBe(
        !!host.rebootPackages,
      );
    }
  });

  it('vary between hosts like a real fleet: some patched, some behind, some needing a reboot', () => {
    const updateCounts = hosts.map((h) => h.updates.length);
    const security = hosts.flatMap((h) => h.updates).filter((u) => u.security).length;
    const all = hosts.flatMap((h) => h.updates).length;
    expect(Math.min(...updateCounts)).toBe(0);
    expect(Math.max(...updateCounts)).toBeGreaterThan(30);
    expect(security / all).toBeGreaterThan(0.2);
    expect(security / all).toBeLessThan(0.7);
    const rebooting = hosts.filter((h) => h.rebootPackages).length;
    expect(rebooting).toBeGreaterThan(20);
    expect(rebooting).toBeLessThan(70);
    expect(hosts.some((h) => h.newPackages.length > 0)).toBe(true);
    expect(hosts.some((h) => h.keptBack.length > 0)).toBe(true);
  });

  it('share packages across hosts while each host has its own mix', () => {
    const names = hosts.slice(0, 2).map((h) => new Set(h.installed.map((p) => p.name)));
    const common = [...names[0]!].filter((n) => names[1]!.has(n)).length;
    expect(common).toBeGreaterThan(300);
    expect(common).toBeLessThan(400);
  });

  it('offer the same candidate version for a package on every host', () => {
    const candidates = new Map<string, Set<string>>();
    for (const update of hosts.flatMap((h) => h.updates)) {
      const seen = candidates.get(update.installed.name) ?? new Set<string>();
      candidates.set(update.installed.name, seen.add(update.version));
    }
    for (const versions of candidates.values()) expect(versions.size).toBe(1);
  });

  it('are deterministic for a seed and differ between seeds', () => {
    expect(generateHostPackages(new FleetPlan(7), 3, { packagesPerHost: 400 })).toEqual(hosts[3]);
    const otherSeed = generateHostPackages(new FleetPlan(8), 3, { packagesPerHost: 400 });
    expect(otherSeed.installed.map((p) => p.name)).not.toEqual(hosts[3]!.installed.map((p) => p.name));
  });

  it('honour exact counts, also beyond the catalog', () => {
    const big = generateHostPackages(plan, 0, { packagesPerHost: catalog.length + 50, updatesPerHost: 80 });
    expect(big.installed.length).toBeGreaterThanOrEqual(catalog.length + 50);
    expect(big.updates).toHaveLength(80);
    expect(parseDpkgQuery(renderDpkgQuery(big.installed)).installed).toHaveLength(big.installed.length);
  });
});

const hasDpkg = (() => {
  try {
    execFileSync('dpkg', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasDpkg)('simulated versions, checked by this machine’s dpkg', () => {
  it('always move updates to a newer version', () => {
    const updates = hostsOf(20).flatMap((h) => h.updates);
    const sample = updates.filter((_, i) => i % Math.ceil(updates.length / 60) === 0);
    for (const update of sample) {
      const newer = () =>
        execFileSync('dpkg', ['--compare-versions', update.installed.version, 'lt', update.version]);
      expect(newer, `${update.installed.version} < ${update.version}`).not.toThrow();
    }
  });

  it.each([
    ['1.0-1', '1.0-1+deb12u1'],
    ['252.38-1~deb12u1', '252.38-1~deb12u2'],
    ['5.2.15-2+b8', '5.2.15-2+deb12u1'],
    ['1:9.2p1-2+deb12u10', '1:9.2p1-2+deb12u11'],
  ])('nextStableRevision(%s) = %s', (version, next) => {
    expect(nextStableRevision(version)).toBe(next);
    expect(() => execFileSync('dpkg', ['--compare-versions', version, 'lt', next])).not.toThrow();
  });
});

describe('SimHost', () => {
  it('frames its scan output as the real scan script does', () => {
    const host = new SimHost(0, 'web-001', plan, { packagesPerHost: 50, updatesPerHost: 5 }, 1_800_000_000);
    const reply = host.respond(aptScanCommand, 'patchops');
    expect(reply.code).toBe(0);
    const sections = splitScanOutput(reply.stdout);
    expect([...sections.keys()]).toEqual(['dpkg-query', 'apt-get', 'reboot-required', 'lists-age']);
    expect(sections.get('apt-get')?.exitCode).toBe(0);
  });

  it('refuses apt-get update without root or sudo, as apt does', () => {
    const host = new SimHost(1, 'web-002', plan, { packagesPerHost: 50 }, 1_800_000_000);
    expect(host.respond('env LC_ALL=C apt-get -q update', 'patchops').code).toBe(100);
    expect(host.respond('sudo -n env LC_ALL=C apt-get -q update', 'patchops').code).toBe(0);
    expect(host.respond('env LC_ALL=C apt-get -q update', 'root').code).toBe(0);
  });
});
