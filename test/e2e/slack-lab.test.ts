import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderSlackMessage } from '../../src/bot/adapters/slack/blocks.js';
import { validateBlockKit } from '../../src/bot/adapters/slack/validate.js';
import { renderWatched } from '../../src/bot/core/handle.js';
import { auditLog } from '../../src/db/schema/index.js';
import { demoPackages, healthCommandPath, type LabHost } from '../../src/lab/index.js';
import { describeLab, type LabFleet, useLabFleet } from '../support/lab.js';
import {
  ALERTS_CHANNEL,
  OPS_CHANNEL,
  type SlackPatchops,
  startSlackPatchops,
} from '../support/slack-patchops.js';

/*
 * The whole loop through Slack's wire format on 3 real hosts: signed slash commands and button clicks
 * into the real Bolt receiver, every Web API call into a fake Slack that enforces Block Kit's limits and a
 * Tier-3 rate limit on chat.update. Scan, plan, approval by a second person (whose right comes from a
 * Slack user group), a live rollout that halts on a failing canary, the alert, and a rollback by button.
 */
describeLab('Slack adapter on the lab fleet', () => {
  let fleet: LabFleet;
  let slack: SlackPatchops;
  const ALICE = 'UALICE';
  const BOB = 'UBOB';
  const CAROL = 'UCAROL';

  const dpkgVersion = async (host: LabHost, name: string) =>
    (await fleet.lab.chrootExec(host, `dpkg-query -W -f '\${Version}' ${name}`)).stdout.trim();

  beforeAll(async () => {
    fleet = await useLabFleet({ hosts: 10 });
    slack = await startSlackPatchops(fleet, {
      hosts: 3,
      vars: { health_checks: [healthCommandPath(demoPackages.web)] },
      file: {
        permissions: {
          users: { [ALICE]: ['operator', 'approver'] },
          groups: { approvers: ['approver'] },
          default_roles: ['viewer'],
        },
        slack: {
          alerts_channel: ALERTS_CHANNEL,
          alerts_mention: 'S0ONCALL',
          groups: { S0APPROVERS: 'approvers' },
        },
      },
      // Low enough that a live rollout runs into it: edits must back off and still end on the last state.
      fake: { usergroups: { S0APPROVERS: [BOB] }, chatUpdateLimit: { max: 4, windowMs: 2000 } },
    });
    await fleet.lab.publish('security', { name: demoPackages.web, version: '1.0-3', healthy: false });
  });

  afterAll(() => slack?.close());

  it('refuses unsigned, wrongly signed and stale requests with 401, and nothing changes', async () => {
    const audited = async () => (await slack.lab.runtime.database.db.select().from(auditLog)).length;
    const before = { calls: slack.fake.calls.length, audit: await audited() };
    const fields = {
      text: 'scan all',
      userId: ALICE,
      channelId: OPS_CHANNEL,
      responseUrl: slack.fake.responseUrl('x'),
    };
    const now = Math.floor(Date.now() / 1000);
    expect((await slack.sender.slashCommand(fields, { omit: true })).status).toBe(401);
    expect((await slack.sender.slashCommand(fields, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await slack.sender.slashCommand(fields, { timestampSec: now - 6 * 60 })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slack.fake.calls.length).toBe(before.calls);
    expect(await audited()).toBe(before.audit);
    expect(
      await slack.lab.runtime.database.db.select().from(auditLog).where(eq(auditLog.action, 'scan')),
    ).toEqual([]);
  });

  it('runs scan, plan, approval by a second person, a live rollout that halts, the alert and a rollback', async () => {
    const ack = await slack.command(ALICE, 'scan all --refresh always');
    expect(ack.status).toBe(200);
    const scan = await slack.message(/Scan scan-\d+ · all · done/, OPS_CHANNEL, 60_000);
    expect(scan.updates).toBeGreaterThan(0);

    await slack.command(ALICE, `plan all --packages ${demoPackages.web} --waves 1,100%`);
    const plan = await slack.message(/Plan plan-\d+ · all · pending/);

    // Alice asked for it, Carol may not approve: both are told privately, the card stays as it was.
    await slack.click(ALICE, plan, 'Approve');
    await slack.click(CAROL, plan, 'Approve');
    await expect.poll(() => slack.fake.calls.filter((c) => c.method === 'response_url').length).toBe(2);
    const answers = slack.fake.calls.filter((c) => c.method === 'response_url').map((c) => c.body);
    for (const answer of answers) expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(answers.map((a) => JSON.stringify(a)).sort()).toEqual([
      expect.stringContaining('approve needs the approver or admin role; you have viewer'),
      expect.stringContaining('requested by you'),
    ]);
    expect(slack.fake.messages.get(`${plan.channel}:${plan.ts}`)?.updates).toBe(0);

    // Bob is an approver through the S0APPROVERS user group: the card becomes the live rollout.
    expect((await slack.click(BOB, plan, 'Approve')).status).toBe(200);
    const halted = await slack.message(/Rollout rollout-\d+ · all · halted/, OPS_CHANNEL, 120_000);
    expect(halted.ts).toBe(plan.ts);
    expect(JSON.stringify(halted.blocks)).toContain(healthCommandPath(demoPackages.web));

    const alert = await slack.message(healthCommandPath(demoPackages.web), ALERTS_CHANNEL);
    expect(alert.text.startsWith('<!subteam^S0ONCALL>')).toBe(true);

    await slack.click(ALICE, halted, 'Roll back');
    await expect
      .poll(async () => Promise.all(fleet.hosts.slice(0, 3).map((h) => dpkgVersion(h, demoPackages.web))), {
        timeout: 120_000,
        interval: 1000,
      })
      .toEqual(['1.0-1', '1.0-1', '1.0-1']);
    // The card ends on the rollout as it is now: every host put back, nothing left to roll back.
    const rolloutId = Number(/rollout-(\d+)/.exec(halted.text)?.[1]);
    const current = async () => {
      const state = await renderWatched({ kind: 'rollout', id: rolloutId }, slack.lab.bot.ports);
      return state?.settled ? renderSlackMessage(state.view).blocks : undefined;
    };
    const shown = () => JSON.stringify(slack.fake.messages.get(`${plan.channel}:${plan.ts}`)?.blocks);
    await expect
      .poll(async () => JSON.stringify((await current()) ?? 'not settled') === shown(), { timeout: 30_000 })
      .toBe(true);
    expect(JSON.stringify(await current())).not.toContain('Roll back');

    await slack.command(ALICE, `abort rollout-${rolloutId}`);
    await slack.message(/Rollout rollout-\d+ · all · aborted/);

    // The rate limit was reached, edits backed off with Retry-After, and the card still shows the end state.
    expect(
      slack.fake.calls.filter((c) => c.method === 'chat.update' && c.status === 429).length,
    ).toBeGreaterThan(0);
    expect(slack.adapter.live.rateLimited).toBeGreaterThan(0);
  }, 300_000);

  it('asks for a reason in a modal when Deny is clicked, and denies with it', async () => {
    await slack.command(ALICE, `plan all --packages ${demoPackages.web}`);
    const plan = await slack.message(/Plan plan-\d+ · all · pending/);
    await slack.click(BOB, plan, 'Deny');
    await expect.poll(() => slack.fake.views.length).toBe(1);
    const modal = slack.fake.views[0] as { callback_id: string; private_metadata: string };
    const submitted = await slack.sender.viewSubmission({
      userId: BOB,
      callbackId: modal.callback_id,
      privateMetadata: modal.private_metadata,
      values: { value: { value: "not during the freeze; it's Friday" } },
    });
    expect(submitted.status).toBe(200);
    const denied = await slack.message(/Plan plan-\d+ · all · denied/);
    expect(denied.ts).toBe(plan.ts);
    expect(JSON.stringify(denied.blocks)).toContain('not during the freeze');
  }, 60_000);

  it('sent only valid Block Kit, within every limit', () => {
    expect(slack.fake.invalid).toEqual([]);
    const payloads = slack.fake.calls.filter((c) =>
      ['chat.postMessage', 'chat.update', 'response_url'].includes(c.method),
    );
    expect(payloads.length).toBeGreaterThan(5);
    for (const call of payloads) expect(validateBlockKit(call.body as { blocks: unknown[] })).toEqual([]);
  });
});
