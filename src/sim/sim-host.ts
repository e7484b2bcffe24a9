import {
  aptPrecheckCommand,
  aptRebootRequiredCommand,
  readInstallCommand,
  readPackageStatesCommand,
} from '../engine/package-managers/apt/apply-commands.js';
import { aptRefreshCommand, aptScanCommand } from '../engine/package-managers/apt/commands.js';
import { osReleaseCommand } from '../engine/package-managers/index.js';
import { applyInstalled, type SimInstalled, simulateInstall } from './apply.js';
import {
  type FleetPlan,
  generateHostPackages,
  type HostModelOptions,
  type SimHostPackages,
} from './host-model.js';
import { SeededRandom } from './random.js';
import {
  debian12OsRelease,
  healthyPrecheckOutput,
  renderAptSimulation,
  renderDpkgQuery,
  renderInstallOutput,
  renderListsAge,
  renderPackageStates,
  renderRebootRequired,
  renderScanOutput,
} from './render.js';
import { unwrapDeadline, unwrapSudo } from './sudo.js';

export interface SimReply {
  code: number;
  stdout: string;
  stderr: string;
  /** After answering, the host goes down (drops its connections) and comes back shortly. */
  after?: 'reboot';
}

/** The simulated hosts' reboot command (the inventory's default for them) and health check. */
export const simRebootCommand = '/usr/local/sbin/sim-reboot';
export const simHealthCommand = '/usr/bin/sim-health';
/** Reboot commands a simulated host obeys: its own and the usual ones. */
const rebootCommands = new Set([
  simRebootCommand,
  'systemctl reboot',
  'reboot',
  '/sbin/reboot',
  'shutdown -r now',
]);

/** The rendered outputs of one host, kept as strings only: ~35 kB for 400 packages. */
interface RenderedHost {
  dpkgQuery: string;
  aptSimulation: string;
  rebootRequired: string;
}

/** One simulated Debian 12 host: answers exactly the commands the engine sends, from a seeded model. */
/** Package models of the most recently used hosts (see SimHost.generated): about 100 kB each. */
const RECENT_MODELS = 300;
const recentModels = new Map<SimHost, SimHostPackages>();

export class SimHost {
  private rendered: RenderedHost | undefined;
  /** What was installed since the fleet started, laid over the seeded model (apply.ts). */
  private installed: SimInstalled | undefined;
  /** 'model': as generated (some hosts start with a reboot pending); a list after a kernel install. */
  private reboot: 'model' | 'none' | string[];
  private applyCount = 0;
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
    this.reboot = options.pendingReboots === false ? 'none' : 'model';
  }

  respond(rawCommand: string, user: string): SimReply {
    const unwrapped = unwrapSudo(rawCommand);
    const command = unwrapDeadline(unwrapped.command);
    const sudo = unwrapped.sudo;
    const noise = sudo ? this.sudoNoise : '';
    const reply = this.answer(command, sudo || user === 'root');
    return { ...reply, stderr: noise + reply.stderr };
  }

  /** The host came back from a reboot: nothing asks for one any more. */
  rebooted(): void {
    this.reboot = 'none';
    this.rendered = undefined;
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
      case aptPrecheckCommand:
        return { code: 0, stdout: healthyPrecheckOutput, stderr: '' };
      case aptRebootRequiredCommand:
        return { code: 0, stdout: this.rebootPackages() ? 'required\n' : 'not-required\n', stderr: '' };
      case simHealthCommand:
        return { code: 0, stdout: '', stderr: '' };
      default:
        return this.answerWithArguments(command, asRoot);
    }
  }

  private answerWithArguments(command: string, asRoot: boolean): SimReply {
    if (rebootCommands.has(command.trim())) {
      if (!asRoot)
        return {
          code: 1,
          stdout: '',
          stderr: 'Call to Reboot failed: Interactive authentication required.\n',
        };
      return { code: 0, stdout: '', stderr: '', after: 'reboot' };
    }
    const queries = readPackageStatesCommand(command);
    if (queries) return renderPackageStates(this.model().installed, queries);
    const install = readInstallCommand(command);
    if (install) return this.install(install, asRoot);
    const program = command.trim().split(/\s+/)[0] ?? '';
    return { code: 127, stdout: '', stderr: `sh: 1: ${program}: not found (patchops simulator)\n` };
  }

  /** The seeded model with this host's installs laid over it. */
  private model(): SimHostPackages {
    const packages = this.generated();
    return this.installed ? applyInstalled(this.plan, packages, this.installed) : packages;
  }

  /**
   * The seeded package model, regenerated on demand (hosts keep only strings), but kept for the hosts in
   * use right now: a patch asks for it several times in a row, and generating it is the simulator's cost.
   */
  private generated(): SimHostPackages {
    const cached = recentModels.get(this);
    if (cached) {
      recentModels.delete(this);
      recentModels.set(this, cached);
      return cached;
    }
    const packages = generateHostPackages(this.plan, this.index, this.options);
    recentModels.set(this, packages);
    if (recentModels.size > RECENT_MODELS) recentModels.delete(recentModels.keys().next().value as SimHost);
    return packages;
  }

  private rebootPackages(): string[] | undefined {
    if (this.reboot === 'none') return undefined;
    if (this.reboot === 'model') return this.generated().rebootPackages;
    return this.reboot;
  }

  /** "Instant apply": the model moves to the pinned versions at once; apt's words as on a real host. */
  private install(request: NonNullable<ReturnType<typeof readInstallCommand>>, asRoot: boolean): SimReply {
    const stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
    const logPath = `/var/log/patchops/apply-${stamp}-${1000 + this.applyCount++}.log`;
    const states = (model: SimHostPackages) =>
      renderPackageStates(
        model.installed,
        request.packages.map((p) => (p.arch === 'all' ? p.name : `${p.name}:${p.arch}`)),
      ).stdout;
    if (!asRoot) {
      // as on a real host: the script cannot even create its log directory
      const stderr = "mkdir: cannot create directory '/var/log/patchops': Permission denied\n";
      return { code: 1, stdout: '', stderr };
    }
    const model = this.model();
    const outcome = simulateInstall(model, request.packages, request);
    if (!outcome.ok)
      return {
        code: 100,
        stdout: renderInstallOutput({ logPath, log: outcome.log, states: states(model) }),
        stderr: '',
      };
    if (outcome.changes.length > 0) {
      this.installed ??= new Map();
      for (const change of outcome.changes) this.installed.set(`${change.name}:${change.arch}`, change.to);
      if (outcome.rebootPackages.length > 0) {
        const pending = this.rebootPackages() ?? [];
        this.reboot = [...new Set([...pending, ...outcome.rebootPackages])];
      }
      this.rendered = undefined;
    }
    const after = outcome.changes.length > 0 ? this.model() : model;
    return {
      code: 0,
      stdout: renderInstallOutput({ logPath, log: outcome.log, states: states(after) }),
      stderr: '',
    };
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
    const packages = this.model();
    return {
      dpkgQuery: renderDpkgQuery(packages.installed),
      aptSimulation: renderAptSimulation(packages),
      rebootRequired: renderRebootRequired(this.rebootPackages()),
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
