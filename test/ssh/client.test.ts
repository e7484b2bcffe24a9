import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sh } from '../../src/engine/shell/command.js';
import { openSession, type SshSettings, type SshTarget, withSession } from '../../src/engine/ssh/client.js';
import { fingerprint, MemoryHostKeyStore, type PinnedKey } from '../../src/engine/ssh/host-keys.js';
import { lookupKnownHosts, parseKnownHosts, pinsFromKnownHosts } from '../../src/engine/ssh/known-hosts.js';
import { SshError } from '../../src/engine/ssh/types.js';
import type { LabHost } from '../../src/lab/index.js';
import { labUserName } from '../../src/lab/index.js';
import { mustRun } from '../../src/lab/run.js';
import { describeLab, type LabFleet, useLabFleet } from '../support/lab.js';

describeLab('SSH client against the lab fleet', () => {
  let fleet: LabFleet;
  let scratch: string;
  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 3 });
    scratch = await mkdtemp(path.join(os.tmpdir(), 'patchops-ssh-test-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  const host = (index: number): LabHost => {
    const found = fleet.hosts[index];
    if (!found) throw new Error(`no lab host #${index}`);
    return found;
  };
  const target = (labHost: LabHost, extra: Partial<SshTarget> = {}): SshTarget => ({
    name: labHost.name,
    address: labHost.address,
    port: labHost.port,
    ...extra,
  });

  /** Pins for every lab host, from the known_hosts file the lab wrote (the import path users take). */
  async function pinsFromLab(): Promise<Record<string, PinnedKey[]>> {
    const { entries, problems } = parseKnownHosts(await readFile(fleet.lab.paths.knownHosts, 'utf8'));
    expect(problems).toEqual([]);
    const pins: Record<string, PinnedKey[]> = {};
    for (const labHost of fleet.hosts) {
      pins[labHost.name] = pinsFromKnownHosts(
        lookupKnownHosts(entries, [labHost.address], labHost.port),
        new Date(),
      );
    }
    return pins;
  }

  async function settings(overrides: Partial<SshSettings> = {}): Promise<SshSettings> {
    return {
      connectTimeoutMs: 5_000,
      commandTimeoutMs: 30_000,
      defaultUser: 'root',
      defaultKeyFile: fleet.lab.paths.clientKey,
      hostKeyPolicy: 'strict',
      hostKeys: new MemoryHostKeyStore(await pinsFromLab()),
      ...overrides,
    };
  }

  async function sshError(promise: Promise<unknown>): Promise<SshError> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof SshError) return error;
      throw error;
    }
    throw new Error('expected an SshError, the call succeeded');
  }

  it('logs in as root with pins imported from known_hosts and runs commands', async () => {
    await withSession(target(host(0)), await settings(), async (session) => {
      expect(session.hostName).toBe('lab-01');
      expect(await session.run(sh`id -un`)).toEqual({ code: 0, stdout: 'root\n', stderr: '' });
      expect(await session.run(sh`sh -c ${'echo out; echo err >&2; exit 3'}`)).toEqual({
        code: 3,
        stdout: 'out\n',
        stderr: 'err\n',
      });
      // sudo is a no-op for root: nothing is wrapped, so no sudo noise either.
      expect(await session.run(sh`id -un`, { sudo: true })).toEqual({
        code: 0,
        stdout: 'root\n',
        stderr: '',
      });
    });
  });

  it('logs in as the non-root user and runs as root through sudo -n, without the resolve noise', async () => {
    await withSession(target(host(1), { user: labUserName }), await settings(), async (session) => {
      expect(session.user).toBe(labUserName);
      expect((await session.run(sh`id -un`)).stdout).toBe(`${labUserName}\n`);
      const elevated = await session.run(sh`id -un; echo done >&2`, { sudo: true });
      expect(elevated).toEqual({ code: 0, stdout: 'root\n', stderr: 'done\n' });
    });
  });

  it('reports sudo refusing the user as a sudo error', async () => {
    const sudoers = `/etc/sudoers.d/${labUserName}`;
    await fleet.lab.chrootExec(host(1), `mv ${sudoers} /root/sudoers.saved`);
    try {
      const error = await sshError(
        withSession(target(host(1), { user: labUserName }), await settings(), (session) =>
          session.run(sh`true`, { sudo: true }),
        ),
      );
      expect(error.code).toBe('sudo');
      expect(error.transient).toBe(false);
      expect(error.message).toMatch(/^lab-02: sudo -n refused patchops \(sudo: a password is required\)/);
    } finally {
      await fleet.lab.chrootExec(host(1), `mv /root/sudoers.saved ${sudoers}`);
    }
  });

  it('passes hostile values to the remote shell as literal arguments, byte for byte', async () => {
    const hostile = [
      '$(id)',
      '`id`',
      ';id',
      '&& id',
      '| id',
      "it's",
      '"quoted"',
      'a\nb\n',
      '\\n',
      '*',
      '-n',
      '',
      ' ',
      'ü€𝄞',
      '$HOME',
    ];
    const anyText = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((value) => !value.includes('\0'));
    await withSession(target(host(0), { user: labUserName }), await settings(), async (session) => {
      for (const value of hostile) {
        expect((await session.run(sh`printf %s ${value}`)).stdout).toBe(value);
        expect((await session.run(sh`printf %s ${value}`, { sudo: true })).stdout).toBe(value);
      }
      await fc.assert(
        fc.asyncProperty(anyText, async (value) => {
          expect((await session.run(sh`printf %s ${value}`, { sudo: true })).stdout).toBe(value);
        }),
        { numRuns: 40 },
      );
    });
  });

  it('pins a first-seen key under accept-new, then refuses the host once its key changes', async () => {
    const store = new MemoryHostKeyStore();
    const acceptNew = await settings({ hostKeyPolicy: 'accept-new', hostKeys: store });
    await withSession(target(host(2)), acceptNew, (session) => session.run(sh`true`));
    const [pinned] = await store.pinned('lab-03');
    expect(pinned?.source).toBe('first-seen');
    expect(pinned?.type).toBe('ssh-ed25519');
    await fleet.lab.rotateHostKey(host(2));
    const error = await sshError(openSession(target(host(2)), acceptNew));
    expect(error.code).toBe('host-key-changed');
    expect(error.host).toBe('lab-03');
    expect(error.transient).toBe(false);
    const day = new Date().toISOString().slice(0, 10);
    expect(error.message).toContain(
      `lab-03: host key changed since ${day} (pinned ssh-ed25519 ${fingerprint(pinned!)}`,
    );
    expect(error.message).toContain(
      'refusing to connect; if the change is expected, remove the pinned key with',
    );
    // The new key was not pinned behind our back.
    expect(await store.pinned('lab-03')).toHaveLength(1);
  });

  it('refuses an unpinned host under strict', async () => {
    const error = await sshError(
      openSession(target(host(0)), await settings({ hostKeys: new MemoryHostKeyStore() })),
    );
    expect(error.code).toBe('host-key-unknown');
    expect(error.message).toMatch(
      /^lab-01: no pinned host key and the host key policy is strict \(the host presents ssh-ed25519 SHA256:/,
    );
  });

  it('reports a stopped host as unreachable, at once', async () => {
    await fleet.lab.stopHost(host(2));
    try {
      const started = Date.now();
      const error = await sshError(openSession(target(host(2)), await settings()));
      expect(error.code).toBe('unreachable');
      expect(error.transient).toBe(true);
      expect(error.message).toBe('lab-03: connection refused at 127.0.10.3:22 (is sshd running?)');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await fleet.lab.startHost(host(2));
    }
  });

  it('reports a server that never speaks SSH as a connect timeout', async () => {
    const silent = net.createServer(() => {
      // Accept and say nothing, like a firewall that swallows the handshake.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.30.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const started = Date.now();
      const error = await sshError(
        openSession(
          { name: 'silent', address: '127.0.30.1', port: address.port },
          await settings({ connectTimeoutMs: 1_000 }),
        ),
      );
      expect(error.code).toBe('connect-timeout');
      expect(error.message).toBe(
        `silent: no SSH session with 127.0.30.1:${address.port} within 1 s (connect, handshake and login)`,
      );
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });

  it('reports a key the host does not accept, or a missing one, as an auth error', async () => {
    const strangerKey = path.join(scratch, 'stranger');
    await mustRun('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', strangerKey]);
    const wrongKey = await sshError(openSession(target(host(0), { keyFile: strangerKey }), await settings()));
    expect(wrongKey.code).toBe('auth');
    expect(wrongKey.message).toBe(
      `lab-01: root@127.0.10.1:22 rejected our login (key ${strangerKey}); is the public key in the user's authorized_keys?`,
    );
    const missing = await sshError(
      openSession(target(host(0), { keyFile: path.join(scratch, 'nope') }), await settings()),
    );
    expect(missing.code).toBe('auth');
    expect(missing.message).toContain('cannot read the private key');
    const none = await sshError(openSession(target(host(0)), await settings({ defaultKeyFile: undefined })));
    expect(none.code).toBe('auth');
  });

  it('logs in with a key from the SSH agent when no key file is configured', async () => {
    const socket = path.join(scratch, 'agent.sock');
    // Our own agent, in the foreground (-D) so it stays our child and is stopped by its pid below.
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      await expect.poll(() => existsSync(socket), { timeout: 5_000 }).toBe(true);
      await mustRun('ssh-add', ['-q', fleet.lab.paths.clientKey], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SSH_AUTH_SOCK: socket },
      });
      const viaAgent = await settings({ defaultKeyFile: undefined, agentSocket: socket });
      await withSession(target(host(0)), viaAgent, async (session) => {
        expect((await session.run(sh`id -un`)).stdout).toBe('root\n');
      });
    } finally {
      if (agent.pid !== undefined) process.kill(agent.pid, 'SIGTERM');
    }
  });

  /** Pids of processes on the machine whose command line is exactly `words`. */
  async function processesRunning(words: string[]): Promise<number[]> {
    const found: number[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
      if (commandLine === `${words.join('\0')}\0`) found.push(Number(entry));
    }
    return found;
  }

  // The host-side deadline (our timeout + 2 s) ends the command there, even where OpenSSH ignores signals.
  it('stops a hanging command at its timeout, on the host too', async () => {
    await withSession(target(host(0)), await settings(), async (session) => {
      const started = Date.now();
      const error = await sshError(session.run(sh`sleep 611`, { timeoutMs: 1_000 }));
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(error.code).toBe('command-timeout');
      expect(error.transient).toBe(true);
      expect(error.message).toBe('lab-01: `sleep 611` did not finish within 1 s and was stopped');
      // The session stays usable after a timeout.
      expect((await session.run(sh`echo still here`)).stdout).toBe('still here\n');
    });
    await expect.poll(() => processesRunning(['sleep', '611']), { timeout: 8_000 }).toEqual([]);
  });

  it('stops a hanging command run through sudo as well', async () => {
    await withSession(target(host(0), { user: labUserName }), await settings(), async (session) => {
      const error = await sshError(session.run(sh`sleep 612`, { sudo: true, timeoutMs: 1_000 }));
      expect(error.code).toBe('command-timeout');
    });
    await expect.poll(() => processesRunning(['sleep', '612']), { timeout: 8_000 }).toEqual([]);
  });

  it('caps output, and returns large output intact below the cap', async () => {
    const capped = await settings({ maxOutputBytes: 1024 * 1024 });
    await withSession(target(host(0)), capped, async (session) => {
      const big = await session.run(sh`head -c 1000000 /dev/zero | tr '\\0' x`);
      expect(big.stdout).toBe('x'.repeat(1_000_000));
      const error = await sshError(session.run(sh`head -c 3000000 /dev/zero`));
      expect(error.code).toBe('protocol');
      expect(error.message).toBe(
        'lab-01: `head -c 3000000 /dev/zero` wrote more than 1048576 bytes on stdout and was stopped',
      );
    });
  });

  it('reaches a host through another lab host as bastion, checking both host keys', async () => {
    const bastion = target(host(0), { user: labUserName });
    await fleet.lab.chrootExec(host(1), 'echo lab-02 > /etc/patchops-lab-identity');
    await withSession(target(host(1), { bastion }), await settings(), async (session) => {
      expect((await session.run(sh`cat /etc/patchops-lab-identity`)).stdout).toBe('lab-02\n');
    });
    // A wrong pin for the bastion stops the hop at the bastion, and says so.
    const pins = await pinsFromLab();
    const wrongBastionPin = { ...pins['lab-02']![0]!, source: 'first-seen' as const };
    const store = new MemoryHostKeyStore({ ...pins, 'lab-01': [wrongBastionPin] });
    const changed = await sshError(
      openSession(target(host(1), { bastion }), await settings({ hostKeys: store })),
    );
    expect(changed.code).toBe('host-key-changed');
    expect(changed.host).toBe('lab-01');
    expect(changed.message).toMatch(/^lab-01 \(bastion for lab-02\): host key changed/);
    // With the target down, the bastion itself reports that it cannot reach it.
    await fleet.lab.stopHost(host(1));
    try {
      const unreachable = await sshError(openSession(target(host(1), { bastion }), await settings()));
      expect(unreachable.code).toBe('unreachable');
      expect(unreachable.message).toMatch(/^lab-02: bastion lab-01 cannot reach 127\.0\.10\.2:22 \(/);
    } finally {
      await fleet.lab.startHost(host(1));
    }
  });

  it('closes the session after withSession, even when the work throws', async () => {
    let kept: { run: (c: ReturnType<typeof sh>) => Promise<unknown> } | undefined;
    await expect(
      withSession(target(host(0)), await settings(), async (session) => {
        kept = session;
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    const error = await sshError(kept!.run(sh`true`));
    expect(error.code).toBe('disconnected');
  });
});
