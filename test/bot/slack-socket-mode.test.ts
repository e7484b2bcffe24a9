import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type SlackAdapter, startSlack } from '../../src/bot/adapters/slack/app.js';
import { liveMessageStore } from '../../src/db/live-messages.js';
import { uniquePrefix } from '../support/cli.js';
import { FakeSlack, type SlackCall } from '../support/fake-slack.js';
import { startTestBot, type TestBot } from '../support/patchops.js';
import { createTestDatabase } from '../support/postgres.js';
import { blockActionPayload, slashCommandPayload } from '../support/slack-payloads.js';

/*
 * The Slack adapter in Socket Mode, through Slack's wire format: the real Bolt App and @slack/socket-mode
 * client open their WebSocket through the fake Slack's apps.connections.open and get envelopes on it that
 * they must ack within 3 s. No lab hosts: these commands only read the database, and the two inventory
 * hosts (documentation addresses, RFC 5737) are never contacted; they are there because `hosts` on an
 * empty inventory is an error, which would be answered privately rather than posted.
 */
describe('Slack adapter in Socket Mode', () => {
  const ALICE = 'UALICE';
  const CHANNEL = 'C0OPS';
  let fake: FakeSlack;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let patchops: TestBot;
  let adapter: SlackAdapter;
  let workDir: string;
  let responses = 0;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    target = await createTestDatabase();
    workDir = await mkdtemp(join(tmpdir(), 'patchops-socket-mode-'));
    const inventory = join(workDir, 'inventory.yml');
    const hosts = { 'web-1': { address: '192.0.2.10' }, 'web-2': { address: '192.0.2.11' } };
    await writeFile(inventory, stringify({ hosts }));
    patchops = await startTestBot({
      DATABASE_URL: target.url,
      PATCHOPS_QUEUE_PREFIX: uniquePrefix(),
      PATCHOPS_DEMO: '0',
      PATCHOPS_INVENTORY: inventory,
    });
    adapter = await startSlack(
      patchops.bot,
      { botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: fake.apiUrl, port: 0, groups: {} },
      liveMessageStore(patchops.runtime.database.db, 'slack'),
      patchops.runtime.logger,
    );
  });

  afterAll(async () => {
    await adapter?.close();
    // startTestBot's close: bot.close(), then runtime.close().
    await patchops?.close();
    await target?.drop();
    await fake?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** `/patch <text>` from Alice in the channel; resolves when acked, with the response_url's id. */
  async function command(text: string) {
    const responseUrlId = `r${++responses}`;
    const payload = slashCommandPayload({
      text,
      userId: ALICE,
      channelId: CHANNEL,
      responseUrl: fake.responseUrl(responseUrlId),
    });
    const ack = await fake.socketSend('slash_commands', payload);
    return { ack, responseUrlId };
  }

  const answeredAt = (responseUrlId: string) =>
    fake.waitFor((c) => c.method === 'response_url' && c.responseUrlId === responseUrlId);
  const json = (call: SlackCall) => JSON.stringify(call.body);

  it('connects through apps.connections.open at the API URL with the app token, and opens no HTTP port', () => {
    expect(adapter.port).toBeUndefined();
    expect(fake.calls.map((c) => [c.method, c.status, c.error])).toEqual([
      ['auth.test', 200, undefined],
      ['apps.connections.open', 200, undefined],
    ]);
    expect(fake.socketConnections).toEqual({ open: 1, total: 1 });
  });

  it('acks `help` at once and answers it privately through the response_url', async () => {
    const { ack, responseUrlId } = await command('help');
    expect(ack.ackedInMs).toBeLessThan(3_000);
    // A bare ack(): the client still sends an (empty) payload.
    expect(ack.ackPayload).toEqual({});
    const answer = await answeredAt(responseUrlId);
    expect(answer).toMatchObject({
      status: 200,
      body: { response_type: 'ephemeral', replace_original: false },
    });
    expect(json(answer)).toContain('/patch scan');
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
  });

  it('posts `hosts` in the channel with chat.postMessage', async () => {
    const { ack } = await command('hosts');
    expect(ack.ackedInMs).toBeLessThan(3_000);
    const posted = await fake.waitFor((c) => c.method === 'chat.postMessage');
    expect(posted).toMatchObject({ status: 200, body: { channel: CHANNEL } });
    expect(json(posted)).toContain('web-1');
    expect(json(posted)).toContain('web-2');
    expect([...fake.messages.values()].map((m) => m.channel)).toEqual([CHANNEL]);
  });

  it('answers a mistyped command privately, with what was probably meant', async () => {
    const { responseUrlId } = await command('scna all');
    const answer = await answeredAt(responseUrlId);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(json(answer)).toContain("unknown command 'scna' — did you mean 'scan'?");
  });

  it('takes a button click as an interactive envelope, and refuses a button it did not make', async () => {
    const message = [...fake.messages.values()][0];
    if (!message) throw new Error('no message posted yet');
    // The card's own button would start a scan; one carrying a value patchops never wrote starts nothing.
    const ack = await fake.socketSend(
      'interactive',
      blockActionPayload({
        userId: ALICE,
        channelId: message.channel,
        messageTs: message.ts,
        actionId: 'patchops:0',
        value: 'not a patchops button',
        responseUrl: fake.responseUrl('click-1'),
        message: { text: message.text, blocks: message.blocks },
      }),
    );
    expect(ack.ackedInMs).toBeLessThan(3_000);
    const answer = await answeredAt('click-1');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(json(answer)).toContain('This button is not valid.');
    expect(fake.messages.get(`${message.channel}:${message.ts}`)?.updates).toBe(0);
  });

  it('sent only valid Block Kit', () => {
    expect(fake.invalid).toEqual([]);
  });
});
