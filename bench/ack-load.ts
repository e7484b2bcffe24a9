/**
 * The load of bench:ack, in a process of its own so that its timings are not delayed by the fake Slack
 * API's work: sends signed `/patch <command>` at a steady rate, prints one JSON line with every latency.
 * Arguments: events URL, signing secret, rate per second, seconds, command, response_url base.
 */
import { SlackSender } from '../test/support/slack-requests.js';

const [url = '', secret = '', rate = '200', seconds = '30', command = 'status', responseBase = ''] =
  process.argv.slice(2);
const sender = new SlackSender(url, secret);
const latencies: number[] = [];
let refused = 0;
const sent: Promise<void>[] = [];
const total = Number(rate) * Number(seconds);
const started = performance.now();
for (let i = 0; i < total; i++) {
  const wait = started + (i * 1000) / Number(rate) - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  sent.push(
    sender
      .slashCommand({
        text: command,
        userId: `U0USER${i % 50}`,
        channelId: 'C0BENCH',
        responseUrl: `${responseBase}load${i}`,
      })
      .then((answer) => {
        latencies.push(answer.ms);
        if (answer.status !== 200) refused++;
      }),
  );
}
await Promise.all(sent);
sender.close();
process.stdout.write(
  `${JSON.stringify({ latencies, refused, seconds: (performance.now() - started) / 1000 })}\n`,
);
