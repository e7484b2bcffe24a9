import { afterAll, beforeAll, expect, it } from 'vitest';
import { validateDiscordMessage } from '../../src/bot/adapters/discord/validate.js';
import { demoPackages, healthCommandPath, type LabHost } from '../../src/lab/index.js';
import {
  customIdOf,
  type DiscordPatchops,
  type DiscordUser,
  startDiscordPatchops,
  textOf,
} from '../support/discord-patchops.js';
import { describeLab, type LabFleet, useLabFleet } from '../support/lab.js';

/*
 * The whole loop through Discord's wire format on 3 real hosts: the real discord.js client logged in to a
 * fake Gateway receives interactions shaped as Discord sends them, and answers through a fake REST API that
 * enforces the 3-second deadline, single acknowledgement, token lifetime and message/component limits.
 */
describeLab('Discord adapter on the lab fleet', () => {
  let fleet: LabFleet;
  let discord: DiscordPatchops;
  const APPROVERS_ROLE = '300000000000000001';
  const ONCALL_ROLE = '300000000000000002';
  const ALERTS_CHANNEL = '400000000000000001';
  const alice: DiscordUser = { id: '200000000000000001', username: 'alice' };
  const bob: DiscordUser = { id: '200000000000000002', username: 'bob', roles: [APPROVERS_ROLE] };
  const carol: DiscordUser = { id: '200000000000000003', username: 'carol' };

  const dpkgVersion = async (host: LabHost, name: string) =>
    (await fleet.lab.chrootExec(host, `dpkg-query -W -f '\${Version}' ${name}`)).stdout.trim();
  const callbacks = (id: string) =>
    discord.fake.calls.filter((c) => c.path.startsWith(`/interactions/${id}/`) && c.method === 'POST');

  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 10 });
    discord = await startDiscordPatchops(fleet, {
      hosts: 3,
      vars: { health_checks: [healthCommandPath(demoPackages.web)] },
      file: {
        permissions: {
          users: { alice: ['operator', 'approver'] },
          groups: { approvers: ['approver'] },
          default_roles: ['viewer'],
        },
        discord: {
          alerts_channel: ALERTS_CHANNEL,
          alerts_role: ONCALL_ROLE,
          roles: { [APPROVERS_ROLE]: 'approvers' },
        },
      },
      // The adapter trusts a token for 1 s (Discord: 15 min), so live views outlast it within the test.
      fake: { tokenLifetimeMs: 5000 },
      adapter: { tokenLifetimeMs: 1000 },
    });
    await fleet.lab.publish('security', { name: demoPackages.web, version: '1.0-3', healthy: false });
  });

  afterAll(() => discord?.close());

  it('registers /patch with one subcommand per command', () => {
    const [patch] = discord.fake.commands as { name: string; options: { name: string }[] }[];
    expect(patch?.name).toBe('patch');
    expect(patch?.options.map((o) => o.name)).toContain('plan');
  });

  it('runs scan, plan, approval by a role, a live rollout that halts, the alert and a rollback', async () => {
    discord.command(alice, 'scan', { selector: 'all', refresh: 'always' });
    const scan = await discord.message(/Scan scan-\d+ · all · done/, undefined, 60_000);
    expect(scan.edits).toBeGreaterThan(0);

    discord.command(alice, 'plan', { selector: 'all', packages: demoPackages.web, waves: '1,100%' });
    const plan = await discord.message(/Plan plan-\d+ · all · pending/);

    // Alice asked for it and Carol has no approver role: each is told privately, the card is unchanged.
    discord.click(alice, plan, 'Approve');
    discord.click(carol, plan, 'Approve');
    const privately = async () => [...discord.fake.messages.values()].filter((m) => m.ephemeral).map(textOf);
    await expect.poll(async () => (await privately()).length).toBe(2);
    expect((await privately()).sort()).toEqual([
      expect.stringContaining('approve needs the approver or admin role; you have viewer'),
      expect.stringContaining('requested by you'),
    ]);

    // Bob's Discord role maps to the approvers group: the card becomes the live rollout.
    discord.click(bob, plan, 'Approve');
    const halted = await discord.message(/Rollout rollout-\d+ · all · halted/, undefined, 120_000);
    expect(halted.id).toBe(plan.id);
    const alert = await discord.message(healthCommandPath(demoPackages.web), ALERTS_CHANNEL);
    expect(alert.content).toBe(`<@&${ONCALL_ROLE}>`);

    discord.click(alice, halted, 'Roll back');
    await expect
      .poll(async () => Promise.all(fleet.hosts.slice(0, 3).map((h) => dpkgVersion(h, demoPackages.web))), {
        timeout: 120_000,
        interval: 1000,
      })
      .toEqual(['1.0-1', '1.0-1', '1.0-1']);
    await expect
      .poll(() => customIdOf(discord.fake.messages.get(plan.id)!, 'Resume'), { timeout: 30_000 })
      .toBeTruthy();
    await expect
      .poll(() => textOf(discord.fake.messages.get(plan.id)!), { timeout: 30_000 })
      .not.toContain('Roll back');
    // Live edits used the interaction token while it lasted, then the bot's own message; none was refused.
    const edits = discord.fake.calls.filter((c) => c.method === 'PATCH' && c.status < 300);
    expect(edits.some((c) => c.path.startsWith('/webhooks/'))).toBe(true);
    expect(edits.some((c) => c.path === `/channels/${plan.channel_id}/messages/${plan.id}`)).toBe(true);
    expect(discord.fake.calls.filter((c) => c.status === 401)).toEqual([]);

    discord.command(alice, 'abort', { 'rollout-id': /rollout-\d+/.exec(textOf(halted))![0] });
    await discord.message(/Rollout rollout-\d+ · all · aborted/);
  }, 300_000);

  it('defers a slow answer within 3 seconds and edits it in when it comes', async () => {
    discord.delay.ms = 3500;
    try {
      const id = discord.command(alice, 'status');
      const deferred = await discord.fake.waitFor((c) => c.path.startsWith(`/interactions/${id}/`), 3000);
      expect(deferred).toMatchObject({ status: 204, body: { type: 5 } });
      await expect
        .poll(
          () => [...discord.fake.messages.values()].find((m) => m.interactionId === id)?.embeds.length ?? 0,
          {
            timeout: 10_000,
          },
        )
        .toBe(1);
      expect(callbacks(id)).toHaveLength(1);
    } finally {
      discord.delay.ms = 0;
    }
  }, 30_000);

  it('answers a quick error privately at once, without deferring', async () => {
    const id = discord.command(carol, 'plan', { selector: 'all' });
    await expect.poll(() => callbacks(id).length).toBe(1);
    expect(callbacks(id)[0]).toMatchObject({ status: 204, body: { type: 4, data: { flags: 64 } } });
  });

  it('asks for a reason in a modal when Deny is clicked, and denies with it', async () => {
    discord.command(alice, 'plan', { selector: 'all', packages: demoPackages.web });
    const plan = await discord.message(/Plan plan-\d+ · all · pending/);
    const click = discord.click(bob, plan, 'Deny');
    await expect.poll(() => callbacks(click).map((c) => (c.body as { type: number }).type)).toEqual([9]);
    discord.fake.sendInteraction(
      discord.fake.modalSubmitInteraction({
        user: { id: bob.id, username: bob.username },
        roles: bob.roles ?? [],
        customId: customIdOf(plan, 'Deny'),
        fields: { value: "not during the freeze; it's Friday" },
      }),
    );
    const denied = await discord.message(/Plan plan-\d+ · all · denied/);
    expect(denied.id).toBe(plan.id);
    expect(textOf(denied)).toContain('not during the freeze');
  }, 60_000);

  it('sent only messages within Discord limits', () => {
    expect(discord.fake.invalid).toEqual([]);
    for (const message of discord.fake.messages.values()) {
      expect(validateDiscordMessage({ embeds: message.embeds, components: message.components })).toEqual([]);
    }
  });
});
