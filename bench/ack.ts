/**
 * npm run bench:ack — how fast the Slack adapter acknowledges while a rollout runs, and what a rollout
 * costs in Slack Web API calls. The bot is `patchops bot` (the built CLI, Slack over HTTP) and the worker
 * `patchops worker`, each its own process, against 1,000 simulated hosts; Slack's side is the fake Web
 * API of the tests (Tier-3 limit on chat.update: 50 a minute) and a sender of signed requests.
 *  1. 200 signed `/patch status` commands a second for 30 s (BENCH_ACK_COMMAND, _RATE, _SECONDS), sent while the rollout runs: p50/p99/max
 *     time to the HTTP answer (the ack). Goals: p99 < 50 ms, none over 3 s.
 *  2. Web API calls the rollout cost: its plan card, the approval, every live edit (and 429s), alerts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../test/support/cli.js';
import { FakeSlack, type StoredMessage } from '../test/support/fake-slack.js';
import { buttonOf } from '../test/support/slack-patchops.js';
import { SlackSender } from '../test/support/slack-requests.js';
import { fmt, startCliProcess, startScannedSimFleet } from './support.js';

const hosts = Number(process.env.BENCH_SIM_HOSTS ?? 1000);
const latencyMs = Number(process.env.BENCH_SIM_LATENCY_MS ?? 30);
const rate = Number(process.env.BENCH_ACK_RATE ?? 200);
const seconds = Number(process.env.BENCH_ACK_SECONDS ?? 30);
const loadCommand = process.env.BENCH_ACK_COMMAND ?? 'status';
const SECRET = 'bench-signing-secret';
const CHANNEL = 'C0BENCH';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function until<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const work = mkdtempSync(join(tmpdir(), 'patchops-bench-ack-'));
const fleet = await startScannedSimFleet(hosts, latencyMs, work);
const fake = await FakeSlack.start();
const port = await freePort();
const env = {
  ...fleet.env,
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: fake.apiUrl,
  PORT: String(port),
};
const worker = await startCliProcess(
  ['worker'],
  { ...env, PATCHOPS_PATCH_CONCURRENCY: '100' },
  'worker started',
);
const bot = await startCliProcess(['bot'], env, 'slack adapter started');
const sender = new SlackSender(`http://127.0.0.1:${port}/slack/events`, SECRET);
let responses = 0;
const command = (user: string, text: string) =>
  sender.slashCommand({
    text,
    userId: user,
    channelId: CHANNEL,
    responseUrl: fake.responseUrl(`r${++responses}`),
  });
const cardOf = (pattern: RegExp) => () =>
  [...fake.messages.values()].find((m) => m.channel === CHANNEL && pattern.test(JSON.stringify(m.blocks)));

try {
  await command('U0ALICE', 'plan all --waves 1,10%,50%,100% --reboot never');
  const plan = await until(cardOf(/Plan plan-\d+/), 60_000, 'the plan card');
  const approvedAt = performance.now();
  await sender.blockAction({
    userId: 'U0BOB',
    channelId: CHANNEL,
    messageTs: plan.ts,
    ...buttonOf(plan, 'Approve'),
    responseUrl: fake.responseUrl('approve'),
    message: { text: plan.text, blocks: plan.blocks },
  });
  await until(cardOf(/Rollout rollout-\d+ · all · running/), 30_000, 'the rollout to start');

  const load = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./ack-load.ts', import.meta.url).pathname,
      `http://127.0.0.1:${port}/slack/events`,
      SECRET,
      String(rate),
      String(seconds),
      loadCommand,
      fake.responseUrl(''),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: load.stdout! }).once('line', resolve);
    load.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
  });
  const {
    latencies,
    refused,
    seconds: loadSeconds,
  } = JSON.parse(line) as {
    latencies: number[];
    refused: number;
    seconds: number;
  };
  const runningAfterLoad = cardOf(/Rollout rollout-\d+ · all · running/)() !== undefined;

  const settled = (m: StoredMessage | undefined) =>
    m && /Rollout rollout-\d+ · all · (done|halted)/.test(JSON.stringify(m.blocks));
  const card = await until(
    () => {
      const m = fake.messages.get(`${CHANNEL}:${plan.ts}`);
      return settled(m) ? m : undefined;
    },
    600_000,
    'the rollout to end',
  );
  const rolloutSeconds = (performance.now() - approvedAt) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 2000));

  const sorted = [...latencies].sort((a, b) => a - b);
  const edits = fake.calls.filter((c) => c.method === 'chat.update' && c.body.ts === plan.ts);
  const alerts = fake.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel !== CHANNEL);
  console.log(
    `\n== Slack acks: ${rate} signed /patch ${loadCommand} a second for ${seconds} s, during a ${hosts}-host rollout ==`,
  );
  console.log(`sent ${latencies.length} in ${fmt(loadSeconds, 1)} s; answered non-200: ${refused}`);
  console.log(
    `ack latency p50 ${fmt(percentile(sorted, 0.5), 1)} ms, p99 ${fmt(percentile(sorted, 0.99), 1)} ms, max ${fmt(sorted.at(-1) ?? 0, 1)} ms (goal p99 < 50 ms, none > 3 s: ${sorted.filter((ms) => ms > 3000).length} over)`,
  );
  console.log(`rollout still running when the load ended: ${runningAfterLoad ? 'yes' : 'no'}`);
  console.log(`\n== Web API calls for one ${hosts}-host rollout (${card.text}) ==`);
  console.log(`approval → end ${fmt(rolloutSeconds, 1)} s`);
  console.log(
    `plan card 1 chat.postMessage; live card ${edits.length} chat.update (${edits.filter((c) => c.status === 429).length} answered 429 and retried later); alerts ${alerts.length}`,
  );
  console.log(
    `total for the rollout: ${1 + edits.length + alerts.length} calls (${1 + edits.filter((c) => c.status !== 429).length + alerts.length} accepted)`,
  );
} finally {
  sender.close();
  await bot.stop();
  await worker.stop();
  await fake.close();
  await fleet.close();
}
