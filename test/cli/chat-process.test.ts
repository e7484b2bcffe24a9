import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, uniquePrefix } from '../support/cli.js';
import { FakeSlack } from '../support/fake-slack.js';
import { SlackSender } from '../support/slack-requests.js';

/*
 * The process model: `patchops start` with Slack configured runs the Slack adapter instead of the console
 * (bot and worker in one process, the embedded database, the demo fleet); a half-configured or refused
 * chat platform stops it at start with one clear line.
 */
describe('patchops with a chat adapter configured', () => {
  let dataDir: string;
  let fake: FakeSlack;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patchops-chat-cli-'));
    fake = await FakeSlack.start();
  });
  afterAll(async () => {
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const slackEnv = (port: number) => ({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'cli-secret',
    SLACK_API_URL: fake.apiUrl,
    PORT: String(port),
    PATCHOPS_DATA_DIR: dataDir,
    PATCHOPS_QUEUE_PREFIX: uniquePrefix(),
    LOG_LEVEL: 'info',
  });

  it('`patchops start` serves /patch over Slack instead of opening the console', async () => {
    const port = await freePort();
    const running = startCli(['start'], { ...slackEnv(port), PATCHOPS_DEMO: '1' });
    try {
      await expect.poll(() => running.errors(), { timeout: 60_000 }).toContain('slack adapter started');
      expect(running.output()).not.toContain('patchops>');
      const sender = new SlackSender(`http://127.0.0.1:${port}/slack/events`, 'cli-secret');
      const ack = await sender.slashCommand({
        text: 'hosts',
        userId: 'U0CLI',
        channelId: 'C0CLI',
        responseUrl: fake.responseUrl('cli'),
      });
      sender.close();
      expect(ack.status).toBe(200);
      const posted = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.body.channel === 'C0CLI',
        30_000,
      );
      // The five simulated demo hosts, listed in the channel.
      expect(JSON.stringify(posted.body.blocks)).toContain('5 hosts: 0 scanned');
    } finally {
      expect(await running.stop()).toBe(0);
    }
  }, 120_000);

  it('stops at start with one line when Slack is half configured', async () => {
    const result = await runCli(['start'], { SLACK_SIGNING_SECRET: 'only-this', PATCHOPS_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SLACK_BOT_TOKEN: needed to use Slack');
    const discord = await runCli(['bot'], { DISCORD_TOKEN: 'x', DATABASE_URL: 'postgres://127.0.0.1/test' });
    expect(discord.code).toBe(2);
    expect(discord.stderr).toContain('Discord: set both DISCORD_TOKEN and DISCORD_APPLICATION_ID');
  });

  it('says so when Slack refuses the bot token', async () => {
    const port = await freePort();
    const result = await runCli(['start'], {
      ...slackEnv(port),
      SLACK_BOT_TOKEN: 'xoxb-wrong',
      LOG_LEVEL: 'warn',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Slack: the bot token was refused');
    expect(result.stderr).toContain('invalid_auth');
  }, 60_000);
});
