/**
 * Slack's side of a Bolt HTTP receiver: slash commands, button clicks and modal submissions (payloads from
 * ./slack-payloads.ts) as the forms Slack posts, signed as Slack signs them
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack), over one keep-alive agent so a
 * benchmark's hundreds of requests a second don't each open a connection.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import {
  type BlockActionFields,
  blockActionPayload,
  type SlashCommandFields,
  slashCommandPayload,
  type ViewSubmissionFields,
  viewSubmissionPayload,
} from './slack-payloads.js';

export type { BlockActionFields, SlashCommandFields, ViewSubmissionFields } from './slack-payloads.js';

/** Defaults sign correctly now; a test overrides a part to be refused (or `omit` to send no signature). */
export type Signing = { timestampSec?: number; secret?: string; omit?: boolean; signature?: string };

export interface SentRequest {
  status: number;
  body: string;
  /** From sending to the whole response read. */
  ms: number;
}

export function slackSignature(secret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export class SlackSender {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
  ) {}

  slashCommand(fields: SlashCommandFields, signing?: Signing): Promise<SentRequest> {
    return this.post(new URLSearchParams(slashCommandPayload(fields)).toString(), signing);
  }

  blockAction(fields: BlockActionFields, signing?: Signing): Promise<SentRequest> {
    return this.postPayload(blockActionPayload(fields), signing);
  }

  viewSubmission(fields: ViewSubmissionFields, signing?: Signing): Promise<SentRequest> {
    return this.postPayload(viewSubmissionPayload(fields), signing);
  }

  /** Drops the kept-alive connections, so a test's process can end. */
  close(): void {
    this.agent.destroy();
  }

  /** Interactive payloads come as JSON in a form's one field, `payload`. */
  private postPayload(payload: object, signing?: Signing): Promise<SentRequest> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), signing);
  }

  private post(body: string, signing: Signing = {}): Promise<SentRequest> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      'Content-Length': String(Buffer.byteLength(body)),
    };
    if (!signing.omit) {
      const timestampSec = signing.timestampSec ?? Math.floor(Date.now() / 1000);
      headers['X-Slack-Request-Timestamp'] = String(timestampSec);
      headers['X-Slack-Signature'] =
        signing.signature ?? slackSignature(signing.secret ?? this.signingSecret, timestampSec, body);
    }
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(this.url, { method: 'POST', agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
