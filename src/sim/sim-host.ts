import { aptRefreshCommand, aptScanCommand } from '../engine/package-managers/apt/commands.js';
import { osReleaseCommand } from '../engine/package-managers/index.js';
import { type FleetPlan, generateHostPackages, type HostModelOptions } from './host-model.js';
import { SeededRandom } from './random.js';
import {
  debian12OsRelease,
  renderAptSimulation,
  renderDpkgQuery,
  renderListsAge,
  renderRebootRequired,
  renderScanOutput,
} from './render.js';
import { unwrapDeadline, unwrapSudo } from './sudo.js';

export interface SimReply {
  code: number;
  stdout: string;
  stderr: string;
}

/** The rendered outputs of one host, kept as strings only: ~35 kB for 400 packages. */
interface RenderedHost {
  dpkgQuery: string;
  aptSimulation: string;
  rebootRequired: string;
}

/** One simulated Debian 12 host: answers exactly the commands the engine sends, from a seeded model. */
export class SimHost {
  private rendered: RenderedHost | undefined;
  private listsUpdatedAt: number;
  /** Some real hosts cannot resolve their own name, and sudo says so on stderr (see shared/LAB.md). */
  private readonly sudoNoise: string;

  constructor(
    readonly index: number,
    readonly name: string,
    private readonly plan: FleetPlan,
    private readonly options: HostModelOptions,
    startedAtSeconds: number,
  ) {
    const random = new SeededRandom(plan.seed, `host-clock:${index}`);
    const hoursAgo = random.chance(0.1) ? random.between(48, 240) : random.between(1, 20);
    this.listsUpdatedAt = startedAtSeconds - hoursAgo * 3600;
    this.sudoNoise = random.chance(0.1)
      ? `sudo: unable to resolve host ${name}: Name or service not known\n`
      : '';
  }

  respond(rawCommand: string, user: string): SimReply {
    const unwrapped = unwrapSudo(rawCommand);
    const command = unwrapDeadline(unwrapped.command);
    const sudo = unwrapped.sudo;
    const noise = sudo ? this.sudoNoise : '';
    const reply = this.answer(command, sudo || user === 'root');
    return { ...reply, stderr: noise + reply.stderr };
  }

  private answer(command: string, asRoot: boolean): SimReply {
    switch (command) {
      case osReleaseCommand:
        return { code: 0, stdout: debian12OsRelease, stderr: '' };
      case aptScanCommand:
        return { code: 0, stdout: this.scanOutput(), stderr: '' };
      case aptRefreshCommand:
        return this.refresh(asRoot);
      case 'true':
        return { code: 0, stdout: '', stderr: '' };
      case 'id -u':
        return { code: 0, stdout: asRoot ? '0\n' : '1000\n', stderr: '' };
      default: {
        const program = command.trim().split(/\s+/)[0] ?? '';
        return { code: 127, stdout: '', stderr: `sh: 1: ${program}: not found (patchops simulator)\n` };
      }
    }
  }

  private scanOutput(): string {
    this.rendered ??= this.render();
    return renderScanOutput({
      'dpkg-query': this.rendered.dpkgQuery,
      'apt-get': this.rendered.aptSimulation,
      'reboot-required': this.rendered.rebootRequired,
      'lists-age': renderListsAge(nowSeconds(), this.listsUpdatedAt),
    });
  }

  private render(): RenderedHost {
    const packages = generateHostPackages(this.plan, this.index, this.options);
    return {
      dpkgQuery: renderDpkgQuery(packages.installed),
      aptSimulation: renderAptSimulation(packages),
      rebootRequired: renderRebootRequired(packages.rebootPackages),
    };
  }

  private refresh(asRoot: boolean): SimReply {
    if (!asRoot) {
      const stderr = 'E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\n';
      return { code: 100, stdout: 'Reading package lists...\n', stderr };
    }
    this.listsUpdatedAt = nowSeconds();
    const stdout = [
      'Hit:1 http://deb.debian.org/debian bookworm InRelease',
      'Hit:2 http://deb.debian.org/debian bookworm-updates InRelease',
      'Hit:3 http://deb.debian.org/debian-security bookworm-security InRelease',
      'Reading package lists...',
      '',
    ].join('\n');
    return { code: 0, stdout, stderr: '' };
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
