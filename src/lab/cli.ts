/**
 * `npm run lab -- <command>`: the lab for people. Every command prints what it did and how long it took.
 *   up N | down | status | publish --repo R --name P --version V [...] | reset-repos | reset-host HOST
 *   stop HOST | start HOST | reboot HOST [DELAY] | rotate-key HOST | exec HOST -- COMMAND...
 */
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { createLab, type Lab, repoNames } from './index.js';

function integerIn(min: number, max: number) {
  return (value: string) => {
    const parsed = z.coerce.number().int().min(min).max(max).safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return parsed.data;
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function timed(what: string, fn: () => Promise<string | undefined>) {
  const started = Date.now();
  const detail = await fn();
  if (detail) console.log(detail);
  console.log(`${what} in ${seconds(Date.now() - started)}`);
}

const log = (line: string) => console.log(`  ${line}`);

async function printStatus(lab: Lab) {
  const state = await lab.status();
  console.log(`lab directory: ${state.dir}`);
  console.log(
    state.base === undefined
      ? 'base: not built'
      : `base: built ${state.base.builtAt} in ${state.base.buildSeconds} s`,
  );
  if (state.hosts.length === 0) console.log('hosts: none');
  for (const host of state.hosts) {
    const sshd = host.sshdPid === undefined ? 'sshd stopped' : `sshd pid ${host.sshdPid}`;
    console.log(
      `  ${host.name}  ${host.address}:${host.port}  ${host.mounted ? 'mounted' : 'unmounted'}  ${sshd}`,
    );
  }
}

function program(lab: Lab): Command {
  const cli = new Command('lab').description('a real test fleet on this machine (see src/lab/README.md)');
  cli
    .command('up')
    .argument('<count>', 'hosts lab-01..lab-NN', integerIn(1, 1000))
    .description('start hosts (idempotent: running ones are reused)')
    .action(async (count: number) => {
      await timed('up', async () => {
        const report = await lab.up(count, log);
        return [
          `started ${report.started.length} host(s), reused ${report.reused.length}` +
            (report.baseBuilt ? '; built the base' : '') +
            (report.reposBuilt ? '; built the repositories' : ''),
          `  repositories ${seconds(report.timings.repos)}, base ${seconds(report.timings.base)}, hosts ${seconds(report.timings.hosts)}`,
          `inventory: ${report.files.inventoryYaml} (non-root: ${report.files.inventoryYamlNonRoot})`,
          `ansible:   ${report.files.inventoryIni}`,
          `known_hosts: ${report.files.knownHosts}`,
          `try: ssh -i ${lab.paths.clientKey} -o UserKnownHostsFile=${report.files.knownHosts} root@${report.hosts[0]?.address} apt list --upgradable`,
        ].join('\n');
      });
    });
  cli
    .command('down')
    .description('stop every host and unmount everything')
    .action(async () => {
      await timed('down', async () => {
        const { stopped } = await lab.down(log);
        return `stopped ${stopped.length} host(s)${stopped.length > 0 ? `: ${stopped.join(', ')}` : ''}`;
      });
    });
  cli
    .command('status')
    .description('what runs')
    .action(async () => printStatus(lab));
  cli
    .command('publish')
    .description('build a package version into a repository and re-index it')
    .requiredOption('--repo <repo>', `one of ${repoNames.join(', ')}`)
    .requiredOption('--name <name>', 'binary package name')
    .requiredOption('--version <version>', 'Debian version, e.g. 1:1.0-2')
    .option('--source <source>', 'source package name, when it differs')
    .option('--depends <dependency...>', 'e.g. "patchops-demo-libssl3 (>= 3.0.13-1)"')
    .option('--broken', 'its health check (/usr/bin/NAME-health) fails')
    .option('--reboot', 'its postinst asks for a reboot')
    .action(async (options: Record<string, unknown>) => {
      const parsed = z
        .object({
          repo: z.enum(repoNames),
          name: z.string(),
          version: z.string(),
          source: z.string().optional(),
          depends: z.array(z.string()).default([]),
          broken: z.boolean().default(false),
          reboot: z.boolean().default(false),
        })
        .parse(options);
      await timed('publish', async () => {
        const deb = await lab.publish(parsed.repo, {
          name: parsed.name,
          version: parsed.version,
          source: parsed.source,
          depends: parsed.depends,
          healthy: !parsed.broken,
          requiresReboot: parsed.reboot,
        });
        return `published ${deb} in ${parsed.repo}; hosts see it after apt-get update`;
      });
    });
  cli
    .command('reset-repos')
    .description('repositories back to their baseline content')
    .action(async () =>
      timed('reset-repos', async () => {
        await lab.resetRepos(log);
        return 'repositories reset';
      }),
    );
  const hostCommand = (name: string, description: string, fn: (host: string) => Promise<string>) =>
    cli
      .command(name)
      .argument('<host>', 'lab-01, lab-02...')
      .description(description)
      .action(async (host: string) => timed(name, () => fn(host)));
  hostCommand('reset-host', 'restart a host from a clean overlay', async (host) => {
    await lab.resetHost(host);
    return `${host} reset`;
  });
  hostCommand('stop', "stop a host's sshd (unreachable)", async (host) => {
    await lab.stopHost(host);
    return `${host} stopped`;
  });
  hostCommand('start', "start a host's sshd", async (host) => {
    await lab.startHost(host);
    return `${host} started`;
  });
  hostCommand('rotate-key', 'give a host a new host key', async (host) => {
    return `${host} now presents ${await lab.rotateHostKey(host)}`;
  });
  cli
    .command('reboot')
    .argument('<host>', 'lab-01, lab-02...')
    .argument('[delay]', 'seconds down', integerIn(0, 600))
    .description('simulate a reboot')
    .action(async (host: string, delay: number | undefined) =>
      timed('reboot', async () => {
        await lab.rebootHost(host, delay);
        return `${host} rebooting`;
      }),
    );
  cli
    .command('exec')
    .argument('<host>', 'lab-01, lab-02...')
    .argument('<command...>', 'shell command, run as root inside the host')
    .description("run a command inside a host's chroot from the machine")
    .action(async (host: string, command: string[]) => {
      const result = await lab.chrootExec(host, command.join(' '));
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      process.exitCode = result.code;
    });
  return cli;
}

try {
  await program(createLab()).parseAsync(process.argv);
} catch (error) {
  const message =
    error instanceof z.ZodError
      ? `invalid input:\n${z.prettifyError(error)}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`lab: ${message}`);
  process.exitCode = 1;
}
