/**
 * A local Slack Web API for tests, since Slack can't be reached from here: real HTTP on 127.0.0.1 in
 * Slack's wire formats, so a real WebClient (and Bolt's) can point `slackApiUrl` at it. Every call is
 * recorded; message payloads are checked against Block Kit's limits, refused ones land in `invalid`.
 * Socket Mode too: apps.connections.open and its WebSocket, on which `socketSend` delivers envelopes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Body, parseBody, readText, tokenOf } from './fake-slack/body.js';
import { METHODS } from './fake-slack/methods.js';
import { fail, ok, type Reply, rejected } from './fake-slack/reply.js';
import {
  type DisconnectReason,
  type EnvelopeType,
  type SocketAck,
  SocketModeServer,
} from './fake-slack/socket-mode.js';
import { type FakeSlackOptions, SlackState } from './fake-slack/state.js';

export type { DisconnectReason, EnvelopeType, SocketAck } from './fake-slack/socket-mode.js';
export type { FakeSlackOptions, StoredMessage } from './fake-slack/state.js';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
  status: number;
  error?: string;
  /** For method 'response_url': the id given to `responseUrl(id)`. */
  responseUrlId?: string;
}

interface Waiter {
  predicate: (call: SlackCall) => boolean;
  resolve: (call: SlackCall) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  private origin = '';
  private readonly socketMode: SocketModeServer;

  private constructor(private readonly state: SlackState) {
    this.socketMode = new SocketModeServer(state.appToken);
    this.server.on('upgrade', (req, socket, head) => this.socketMode.upgrade(req, socket, head));
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(new SlackState(options));
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = fake.server.address() as AddressInfo;
    fake.origin = `http://127.0.0.1:${port}`;
    return fake;
  }

  /** WebClient's `slackApiUrl`: it appends the method name (`…/api/chat.postMessage`). */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  /** A response_url for a slash command or action; POSTs to it are recorded as method 'response_url'. */
  responseUrl(id: string): string {
    return `${this.origin}/response/${encodeURIComponent(id)}`;
  }

  /**
   * Delivers a Socket Mode envelope of this type to the connected app; resolves when the app acks it, fails
   * after Slack's 3 s. A slash command's payload is its fields as an object, an interaction's its payload.
   */
  socketSend(type: EnvelopeType, payload: object): Promise<SocketAck> {
    return this.socketMode.send(type, payload);
  }

  /** Sends Slack's `disconnect` message on every Socket Mode connection. */
  socketDisconnect(reason: DisconnectReason = 'refresh_requested'): void {
    this.socketMode.disconnect(reason);
  }

  /** Socket Mode connections: open now, and accepted in all. */
  get socketConnections(): { open: number; total: number } {
    return { open: this.socketMode.open, total: this.socketMode.connections };
  }

  get invalid() {
    return this.state.invalid;
  }
  get messages() {
    return this.state.messages;
  }
  get ephemeral() {
    return this.state.ephemeral;
  }
  get views() {
    return this.state.views;
  }

  /** The first call matching, already made or still to come; fails after timeoutMs with the calls seen. */
  waitFor(predicate: (call: SlackCall) => boolean, timeoutMs = 5_000): Promise<SlackCall> {
    const made = this.calls.find(predicate);
    if (made) return Promise.resolve(made);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.calls.map((c) => `${c.method} ${c.status}${c.error ? ` ${c.error}` : ''}`);
          reject(new Error(`no matching Slack call in ${timeoutMs} ms; calls: ${seen.join(', ') || 'none'}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('FakeSlack closed before a matching call'));
    }
    this.waiters.clear();
    await this.socketMode.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // WebClient and Bolt keep connections alive; close() alone would wait for them to time out.
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const raw = await readText(req);
    const body = parseBody(raw, req.headers['content-type'], url.searchParams);
    if (url.pathname.startsWith('/api/')) {
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      this.send(
        res,
        { method, body: body ?? {} },
        body ? this.callMethod(req, method, body) : fail('invalid_json'),
      );
    } else if (url.pathname.startsWith('/response/')) {
      const responseUrlId = decodeURIComponent(url.pathname.slice('/response/'.length));
      const call = { method: 'response_url', body: body ?? {}, responseUrlId };
      this.send(res, call, body ? this.respond(body) : fail('invalid_json'));
    } else {
      res.writeHead(404).end();
    }
  }

  private callMethod(req: IncomingMessage, method: string, body: Body): Reply {
    const token = tokenOf(req, body);
    if (token === undefined) return fail('not_authed');
    // The one method that takes the app-level token rather than the bot's.
    if (method === 'apps.connections.open') return this.socketMode.connectionsOpen(token, this.origin);
    if (token !== this.state.token) return fail('invalid_auth');
    const handler = METHODS[method];
    return handler ? handler(this.state, body, token) : fail('unknown_method');
  }

  /** A response_url takes a message (or `delete_original`) without a token: the URL is the credential. */
  private respond(body: Body): Reply {
    if (body.delete_original === true || body.delete_original === 'true') return ok();
    const rejection = this.state.rejectMessage('response_url', body);
    return rejection ? rejected(rejection) : ok();
  }

  private send(res: ServerResponse, call: Omit<SlackCall, 'at' | 'status'>, reply: Reply): void {
    const error = reply.json.ok === false ? String(reply.json.error) : undefined;
    const recorded: SlackCall = {
      ...call,
      at: Date.now(),
      status: reply.status,
      ...(error ? { error } : {}),
    };
    this.calls.push(recorded);
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(JSON.stringify(reply.json));
    for (const waiter of this.waiters) {
      if (!waiter.predicate(recorded)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(recorded);
    }
  }
}
