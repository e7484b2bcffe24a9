import type { AddressInfo } from 'node:net';
import { App, type Logger, LogLevel, SocketModeReceiver, type types, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { FakeSlack, type FakeSlackOptions } from '../support/fake-slack.js';
import { blockActionPayload, slashCommandPayload } from '../support/slack-payloads.js';
import { SlackSender } from '../support/slack-requests.js';

/*
 * The fake Slack Web API and the signed-request sender against the real @slack/web-api WebClient and a
 * real Bolt App: what they accept and refuse is what the Slack adapter's tests will rely on.
 */

const { WebClient, ErrorCode } = webApi;

const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

function button(actionId: string, value: string) {
  return {
    type: 'actions',
    elements: [{ type: 'button', text: plain('Approve'), action_id: actionId, value }],
  };
}

describe('FakeSlack with a real WebClient', () => {
  let fake: FakeSlack;

  async function start(options: FakeSlackOptions = {}) {
    fake = await FakeSlack.start(options);
    return new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
      // A refused call should fail the test now, not be retried for half an hour.
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
  }

  afterEach(async () => {
    await fake.close();
  });

  it('records messages, updates, ephemeral messages, modals and user groups', async () => {
    const client = await start({ usergroups: { S1: ['U1', 'U2'] } });
    const posted = await client.chat.postMessage({
      channel: 'C1',
      text: 'Plan 12',
      blocks: [section('*12*')],
    });
    expect(posted).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100' });
    const ts = posted.ts!;
    const reply = await client.chat.postMessage({ channel: 'C1', text: 'threaded', thread_ts: ts });
    expect(reply.ts! > ts).toBe(true);
    await client.chat.update({ channel: 'C1', ts, text: 'Plan 12 approved', blocks: [section('done')] });
    const ephemeral = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    const modal: types.ModalView = {
      type: 'modal',
      callback_id: 'patchops:reason',
      title: { type: 'plain_text', text: 'Reject plan 12' },
      submit: { type: 'plain_text', text: 'Reject' },
      blocks: [
        {
          type: 'input',
          block_id: 'reason',
          label: { type: 'plain_text', text: 'Reason' },
          element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
        },
      ],
    };
    const opened = await client.views.open({ trigger_id: '123.456.abc', view: modal });
    expect(opened.view?.id).toMatch(/^V/);
    expect(await client.usergroups.users.list({ usergroup: 'S1' })).toMatchObject({ users: ['U1', 'U2'] });
    expect(await client.users.info({ user: 'U7' })).toMatchObject({ user: { id: 'U7', name: 'u7' } });

    expect(fake.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'chat.postMessage',
      'chat.update',
      'chat.postEphemeral',
      'views.open',
      'usergroups.users.list',
      'users.info',
    ]);
    // Form-encoded blocks arrive as JSON strings and are read back as arrays.
    expect(fake.calls[0]?.body.blocks).toEqual([section('*12*')]);
    expect(fake.messages.get(`C1:${ts}`)).toEqual({
      channel: 'C1',
      ts,
      text: 'Plan 12 approved',
      blocks: [section('done')],
      updates: 1,
    });
    expect(fake.messages.get(`C1:${reply.ts}`)?.thread_ts).toBe(ts);
    expect(fake.ephemeral).toEqual([{ channel: 'C1', user: 'U1', text: 'only you', blocks: [] }]);
    expect(fake.views).toEqual([modal]);
    expect(fake.invalid).toEqual([]);
  });

  it('answers errors as Slack does, with ok: false, and records them', async () => {
    const client = await start({ notInChannel: ['C9'] });
    const stranger = new WebClient('xoxb-other', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const cases: [Promise<unknown>, string][] = [
      [stranger.auth.test(), 'invalid_auth'],
      [client.chat.postMessage({ channel: 'C9', text: 'hi' }), 'not_in_channel'],
      [client.chat.update({ channel: 'C1', ts: '1.000001', text: 'x' }), 'message_not_found'],
      [client.usergroups.users.list({ usergroup: 'S404' }), 'no_such_subteam'],
      [client.apiCall('chat.unfurl'), 'unknown_method'],
      [client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_001) }), 'msg_too_long'],
    ];
    for (const [call, error] of cases) {
      await expect(call).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error } });
    }
    expect(fake.calls.map((c) => [c.status, c.error])).toEqual(cases.map(([, error]) => [200, error]));
    const unauthenticated = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST' });
    expect(await unauthenticated.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), '51 blocks, over 50'],
    ['a 3,001-char section', [section('x'.repeat(3001))], 'block 0 (section): text is 3001 chars, over 3000'],
    [
      'a 2,001-char button value',
      [button('patchops:0', 'v'.repeat(2001))],
      'block 0 (actions) element 0: value is 2001 chars, over 2000',
    ],
  ])('refuses %s with invalid_blocks, which WebClient throws', async (_, blocks, problem) => {
    const client = await start();
    const post = client.chat.postMessage({ channel: 'C1', text: 'fallback', blocks });
    await expect(post).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'invalid_blocks', errors: [problem] },
    });
    expect(fake.invalid).toEqual([{ method: 'chat.postMessage', problems: [problem] }]);
    expect(fake.messages.size).toBe(0);
  });

  it('rate-limits chat.update with 429 and Retry-After, then lets it through', async () => {
    const client = await start({ chatUpdateLimit: { max: 3, windowMs: 1000 } });
    const { ts } = await client.chat.postMessage({ channel: 'C1', text: 'progress 0/4' });
    const update = (n: number) => client.chat.update({ channel: 'C1', ts: ts!, text: `progress ${n}/4` });
    for (const n of [1, 2, 3]) await update(n);
    const limited = update(4);
    await expect(limited).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.calls.at(-1)).toMatchObject({ method: 'chat.update', status: 429, error: 'ratelimited' });
    // chat.postMessage is not limited here.
    await client.chat.postMessage({ channel: 'C1', text: 'still fine' });

    const error = await limited.catch((e: unknown) => e);
    if (!(error instanceof webApi.WebAPIRateLimitedError)) throw error;
    await new Promise((resolve) => setTimeout(resolve, error.retryAfter * 1000));
    await update(4);
    expect(fake.messages.get(`C1:${ts}`)).toMatchObject({ text: 'progress 4/4', updates: 4 });
  });

  it('takes response_url posts in JSON, as Bolt’s respond() sends them', async () => {
    await start();
    const post = (body: unknown) =>
      fetch(fake.responseUrl('cmd-1'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then((res) => res.json());
    expect(await post({ text: 'ok', replace_original: true })).toEqual({ ok: true });
    expect(await post({ text: 'x', blocks: [section('')] })).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
    });
    const call = await fake.waitFor((c) => c.method === 'response_url');
    expect(call).toMatchObject({ responseUrlId: 'cmd-1', body: { text: 'ok', replace_original: true } });
    expect(fake.invalid).toEqual([{ method: 'response_url', problems: ['block 0 (section): empty text'] }]);
  });

  it('waits for a call still to come, and says what came instead when none does', async () => {
    const client = await start();
    const waiting = fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C2');
    await client.chat.postMessage({ channel: 'C1', text: 'one' });
    await client.chat.postMessage({ channel: 'C2', text: 'two' });
    expect((await waiting).body.text).toBe('two');
    await expect(fake.waitFor((c) => c.method === 'chat.delete', 50)).rejects.toThrow(
      'no matching Slack call in 50 ms; calls: chat.postMessage 200, chat.postMessage 200',
    );
  });
});

describe('a real Bolt App receiving signed Slack requests', () => {
  const signingSecret = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let sender: SlackSender;
  let seen: { commands: unknown[]; actions: unknown[]; views: unknown[] };

  beforeEach(async () => {
    fake = await FakeSlack.start();
    seen = { commands: [], actions: [], views: [] };
    app = new App({
      signingSecret,
      token: 'xoxb-test',
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    });
    app.command('/patch', async ({ command, ack, respond, client }) => {
      await ack();
      seen.commands.push(command);
      await client.chat.postMessage({ channel: command.channel_id, text: `running ${command.text}` });
      await respond({ text: `ran ${command.text}` });
    });
    app.action(/^patchops:/, async ({ action, body, ack }) => {
      await ack();
      seen.actions.push({ action, body });
    });
    app.view('patchops:reason', async ({ view, ack }) => {
      await ack();
      seen.views.push(view);
    });
    // Port 0: Bolt hands listen options to server.listen as they are, and returns the server.
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    sender = new SlackSender(`http://127.0.0.1:${port}/slack/events`, signingSecret);
    // Bolt's constructor calls auth.test; closing the fake before it answers would leave it failing.
    await fake.waitFor((c) => c.method === 'auth.test');
  });

  afterEach(async () => {
    sender.close();
    await app.stop();
    await fake.close();
  });

  it('runs a signed slash command with Slack’s fields; the listener answers via the Web API and response_url', async () => {
    const sent = await sender.slashCommand({
      text: 'status',
      userId: 'U1',
      responseUrl: fake.responseUrl('c1'),
    });
    expect(sent).toMatchObject({ status: 200, body: '' });
    const respond = await fake.waitFor((c) => c.method === 'response_url');
    expect(respond).toMatchObject({ responseUrlId: 'c1', body: { text: 'ran status' } });
    expect(seen.commands).toEqual([
      expect.objectContaining({
        command: '/patch',
        text: 'status',
        user_id: 'U1',
        user_name: 'u1',
        channel_id: 'C1',
        team_id: 'T1',
        response_url: fake.responseUrl('c1'),
      }),
    ]);
    expect(await fake.waitFor((c) => c.method === 'chat.postMessage')).toMatchObject({
      status: 200,
      body: { channel: 'C1', text: 'running status' },
    });
  });

  it('delivers a signed button click to app.action with the button and message', async () => {
    const blocks = [
      section('Plan 12'),
      { ...button('patchops:0', '{"c":"approve plan 12"}'), block_id: 'b1' },
    ];
    const sent = await sender.blockAction({
      userId: 'U2',
      channelId: 'C1',
      messageTs: '1700000000.000100',
      actionId: 'patchops:0',
      value: '{"c":"approve plan 12"}',
      responseUrl: fake.responseUrl('a1'),
      message: { text: 'Plan 12', blocks },
    });
    expect(sent.status).toBe(200);
    expect(seen.actions).toEqual([
      {
        action: expect.objectContaining({
          type: 'button',
          action_id: 'patchops:0',
          block_id: 'b1',
          value: '{"c":"approve plan 12"}',
          text: expect.objectContaining({ text: 'Approve' }),
        }),
        body: expect.objectContaining({
          type: 'block_actions',
          user: expect.objectContaining({ id: 'U2' }),
          container: expect.objectContaining({ message_ts: '1700000000.000100', channel_id: 'C1' }),
          message: expect.objectContaining({ ts: '1700000000.000100', blocks }),
          response_url: fake.responseUrl('a1'),
        }),
      },
    ]);
  });

  it('delivers a signed modal submission to app.view with the typed values', async () => {
    const sent = await sender.viewSubmission({
      userId: 'U3',
      callbackId: 'patchops:reason',
      privateMetadata: '{"c":"reject plan 12"}',
      values: { reason: { value: 'not during the freeze' } },
    });
    expect(sent.status).toBe(200);
    expect(seen.views).toEqual([
      expect.objectContaining({
        callback_id: 'patchops:reason',
        private_metadata: '{"c":"reject plan 12"}',
        state: {
          values: { reason: { value: { type: 'plain_text_input', value: 'not during the freeze' } } },
        },
      }),
    ]);
  });

  it.each([
    ['unsigned', { omit: true }],
    ['signed with the wrong secret', { secret: 'not-the-secret' }],
    ['signed with a made-up signature', { signature: `v0=${'0'.repeat(64)}` }],
    ['six minutes old', { timestampSec: Math.floor(Date.now() / 1000) - 6 * 60 }],
  ])('refuses a request %s with 401 and calls no listener', async (_, signing) => {
    const responseUrl = fake.responseUrl('x');
    const command = await sender.slashCommand({ text: 'status', userId: 'U1', responseUrl }, signing);
    const action = await sender.blockAction(
      {
        userId: 'U1',
        channelId: 'C1',
        messageTs: '1.000100',
        actionId: 'patchops:0',
        value: '{}',
        responseUrl,
      },
      signing,
    );
    expect([command.status, action.status]).toEqual([401, 401]);
    expect(seen).toEqual({ commands: [], actions: [], views: [] });
  });

  it('accepts a timestamp ten minutes ahead: Bolt only refuses stale ones', async () => {
    const timestampSec = Math.floor(Date.now() / 1000) + 10 * 60;
    const sent = await sender.slashCommand(
      { text: 'status', userId: 'U1', responseUrl: fake.responseUrl('f') },
      { timestampSec },
    );
    expect(sent.status).toBe(200);
    expect(seen.commands).toHaveLength(1);
    await fake.waitFor((c) => c.method === 'response_url');
  });
});

describe('FakeSlack in Socket Mode with a real Bolt App', () => {
  let fake: FakeSlack;
  let app: App | undefined;
  let seen: { commands: unknown[]; actions: unknown[] };

  /** A Bolt App in Socket Mode against the fake; a short client ping timeout also makes reconnects quick. */
  async function start(appToken = 'xapp-test', logger?: Logger) {
    fake = await FakeSlack.start();
    seen = { commands: [], actions: [] };
    const clientOptions = { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } };
    const receiver = new SocketModeReceiver({
      appToken,
      clientPingTimeout: 500,
      logLevel: LogLevel.ERROR,
      ...(logger ? { logger } : {}),
      installerOptions: { clientOptions },
    });
    app = new App({ token: 'xoxb-test', receiver, clientOptions, logLevel: LogLevel.ERROR });
    app.command('/patch', async ({ command, ack, respond }) => {
      if (command.text === 'never ack') return;
      await ack(command.text === 'ack with text' ? { text: 'on it' } : undefined);
      seen.commands.push(command);
      await respond({ text: `ran ${command.text}` });
    });
    app.action(/^patchops:/, async ({ action, body, ack }) => {
      await ack();
      seen.actions.push({ action, body });
    });
    await app.start();
  }

  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await fake.close();
  });

  const command = (text: string, responseUrlId = 'c1') =>
    slashCommandPayload({ text, userId: 'U1', responseUrl: fake.responseUrl(responseUrlId) });

  it('hands out the WebSocket through apps.connections.open and delivers a slash command that is acked', async () => {
    await start();
    expect(fake.calls.map((c) => [c.method, c.status])).toContainEqual(['apps.connections.open', 200]);
    expect(fake.socketConnections).toEqual({ open: 1, total: 1 });

    const ack = await fake.socketSend('slash_commands', command('status'));
    expect(ack).toMatchObject({ envelopeId: expect.stringMatching(/^[0-9a-f-]{36}$/), ackPayload: {} });
    expect(ack.ackedInMs).toBeLessThan(3_000);
    expect(seen.commands).toEqual([
      expect.objectContaining({
        command: '/patch',
        text: 'status',
        user_id: 'U1',
        channel_id: 'C1',
        response_url: fake.responseUrl('c1'),
      }),
    ]);
    expect(await fake.waitFor((c) => c.method === 'response_url')).toMatchObject({
      responseUrlId: 'c1',
      body: { text: 'ran status' },
    });
    // What an app puts in its ack comes back as the ack's payload.
    expect((await fake.socketSend('slash_commands', command('ack with text'))).ackPayload).toEqual({
      text: 'on it',
    });
  });

  it('delivers a button click as an interactive envelope', async () => {
    await start();
    const blocks = [{ type: 'actions', elements: [{ type: 'button', action_id: 'patchops:0', value: 'v' }] }];
    const payload = blockActionPayload({
      userId: 'U2',
      channelId: 'C1',
      messageTs: '1700000000.000100',
      actionId: 'patchops:0',
      value: '{"c":"approve plan 12"}',
      responseUrl: fake.responseUrl('a1'),
      message: { text: 'Plan 12', blocks },
    });
    expect((await fake.socketSend('interactive', payload)).ackPayload).toEqual({});
    expect(seen.actions).toEqual([
      {
        action: expect.objectContaining({ action_id: 'patchops:0', value: '{"c":"approve plan 12"}' }),
        body: expect.objectContaining({ type: 'block_actions', response_url: fake.responseUrl('a1') }),
      },
    ]);
  });

  it('fails an envelope not acked within 3 s, as Slack gives up on it', async () => {
    await start();
    const started = Date.now();
    await expect(fake.socketSend('slash_commands', command('never ack'))).rejects.toThrow(
      /was not acked within 3000 ms/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_990);
    // The client pinged every 167 ms meanwhile and drops a connection whose pongs stop: this one held.
    expect(fake.socketConnections).toEqual({ open: 1, total: 1 });
  });

  it('reconnects after a disconnect message, with a new URL, and delivers on the new connection', async () => {
    await start();
    fake.socketDisconnect('refresh_requested');
    await expect.poll(() => fake.socketConnections, { timeout: 5_000 }).toEqual({ open: 1, total: 2 });
    const opened = fake.calls.filter((c) => c.method === 'apps.connections.open');
    expect(opened.map((c) => c.status)).toEqual([200, 200]);
    await fake.socketSend('slash_commands', command('status'));
    expect(seen.commands).toHaveLength(1);
  });

  it('takes only the app-level token for apps.connections.open, and each URL once', async () => {
    // Quiet: the client logs the refusal as an error, which is what this test expects.
    const quiet: Logger = {
      debug() {},
      info() {},
      warn() {},
      error() {},
      setLevel() {},
      getLevel: () => LogLevel.ERROR,
      setName() {},
    };
    await expect(start('xapp-wrong', quiet)).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_auth' },
    });
    expect(fake.calls.map((c) => [c.method, c.error])).toContainEqual([
      'apps.connections.open',
      'invalid_auth',
    ]);

    const open = (token: string) =>
      fetch(`${fake.apiUrl}apps.connections.open`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      }).then((res) => res.json() as Promise<{ ok: boolean; url?: string; error?: string }>);
    expect(await open('xoxb-test')).toEqual({ ok: false, error: 'invalid_auth' });
    const { url } = await open('xapp-test');
    if (!url) throw new Error('no URL');
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/socket-mode\?ticket=/);
    const connect = () =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('message', (data) => {
          resolve(String(data));
          ws.close();
        });
        ws.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
      });
    expect(JSON.parse(await connect())).toMatchObject({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: 'A1' },
    });
    expect(await connect()).toBe('HTTP 401');
  });
});
