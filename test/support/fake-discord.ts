/**
 * A local Discord for integration tests of the Discord adapter: REST (`/api/v10`) and Gateway on one port
 * of 127.0.0.1, speaking Discord's wire formats so the real discord.js Client logs in and is driven through
 * it. It holds Discord's rules the adapter must live with: the 3-second deadline for the first response,
 * one response per interaction, token expiry, documented message and modal limits, command rules.
 * Every REST call is recorded in `calls`; every rejected payload also in `invalid`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type APIInteraction, GatewayDispatchEvents } from 'discord-api-types/v10';
import { FakeGateway } from './fake-discord/gateway.js';
import {
  type DiscordCall,
  DiscordHttpError,
  matchRoute,
  type RouteReply,
  readBody,
} from './fake-discord/http.js';
import {
  type ButtonSpec,
  buttonInteraction,
  type ChatInputSpec,
  chatInputInteraction,
  type ModalSubmitSpec,
  modalSubmitInteraction,
} from './fake-discord/interactions.js';
import { routes } from './fake-discord/rest.js';
import { createState, type FakeDiscordOptions, type FakeState } from './fake-discord/state.js';

export type { RegisteredCommand } from './fake-discord/commands.js';
export type { DiscordCall } from './fake-discord/http.js';
export type {
  ButtonSpec,
  ChatInputSpec,
  InteractionUser,
  ModalSubmitSpec,
} from './fake-discord/interactions.js';
export type { FakeDiscordOptions, InvalidPayload, StoredMessage } from './fake-discord/state.js';

interface Waiter {
  predicate: (call: DiscordCall) => boolean;
  resolve: (call: DiscordCall) => void;
}

const apiPrefix = '/api/v10';

export class FakeDiscord {
  readonly apiUrl: string;
  readonly calls: DiscordCall[] = [];
  private readonly waiters = new Set<Waiter>();

  private constructor(
    private readonly server: Server,
    private readonly gateway: FakeGateway,
    private readonly state: FakeState,
  ) {
    const { port } = server.address() as AddressInfo;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    state.gatewayUrl = `ws://127.0.0.1:${port}`;
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const state = createState(options);
    let fake: FakeDiscord | undefined;
    const server = createServer((req, res) => {
      void fake?.serve(req, res);
    });
    const gateway = new FakeGateway(server, state);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    fake = new FakeDiscord(server, gateway, state);
    return fake;
  }

  get applicationId(): string {
    return this.state.applicationId;
  }
  get botUserId(): string {
    return this.state.botUser.id;
  }
  /** The guild and channel interactions come from unless a builder is told otherwise. */
  get guildId(): string {
    return this.state.guildId;
  }
  get channelId(): string {
    return this.state.channelId;
  }
  get messages() {
    return this.state.messages;
  }
  get invalid() {
    return this.state.invalid;
  }
  /** The last command set registered (global or guild), with the ids Discord gave them. */
  get commands(): unknown[] {
    return this.state.commands;
  }
  /** Tokens the Gateway was given on IDENTIFY and RESUME. */
  get gatewayTokens(): readonly string[] {
    return this.gateway.tokens;
  }

  chatInputInteraction(spec: ChatInputSpec) {
    return chatInputInteraction(this.state, spec);
  }
  buttonInteraction(spec: ButtonSpec) {
    return buttonInteraction(this.state, spec);
  }
  modalSubmitInteraction(spec: ModalSubmitSpec) {
    return modalSubmitInteraction(this.state, spec);
  }

  /** Dispatches INTERACTION_CREATE to every connected session; the response deadline starts now. */
  sendInteraction(payload: APIInteraction): void {
    this.state.interactions.set(payload.id, { payload, dispatchedAt: Date.now() });
    if (this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload) === 0) {
      throw new Error('no gateway session to send the interaction to: log a client in first');
    }
  }

  /** The first call matching `predicate`, already made or still to come. */
  waitFor(predicate: (call: DiscordCall) => boolean, timeoutMs = 2000): Promise<DiscordCall> {
    const made = this.calls.find(predicate);
    if (made) return Promise.resolve(made);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.calls.map((call) => `${call.method} ${call.path} ${call.status}`).join('\n  ');
        reject(new Error(`no matching Discord call within ${timeoutMs} ms; calls:\n  ${seen}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async reply(req: IncomingMessage, call: DiscordCall): Promise<RouteReply> {
    if (!call.path.startsWith(`${apiPrefix}/`)) throw new DiscordHttpError(404, 0, '404: Not Found');
    call.path = call.path.slice(apiPrefix.length);
    const { body, files } = await readBody(req);
    call.body = body;
    const match = matchRoute(routes, call.method, call.path);
    if (!match) throw new DiscordHttpError(404, 0, '404: Not Found');
    if (match.route.auth && !/^Bot \S+$/.test(call.authorization ?? '')) {
      throw new DiscordHttpError(401, 0, '401: Unauthorized');
    }
    const request = {
      method: call.method,
      path: call.path,
      params: match.params,
      query: call.query,
      body,
      files,
    };
    return match.route.handle(request, this.state);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const call: DiscordCall = {
      method: req.method ?? 'GET',
      // @discordjs/rest sends `@original` as `%40original`; Discord (and `calls`) see the decoded segment.
      path: url.pathname.split('/').map(decodeURIComponent).join('/'),
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      authorization: req.headers.authorization,
      at: Date.now(),
      status: 0,
    };
    let reply: RouteReply;
    try {
      reply = await this.reply(req, call);
    } catch (error) {
      if (error instanceof DiscordHttpError) reply = { status: error.status, body: error.toJSON() };
      else {
        // A bug in the fake: answer so the client does not hang, and make the test's `invalid` check fail.
        this.state.invalid.push({ path: call.path, problems: [`the fake failed: ${String(error)}`] });
        reply = { status: 500, body: { code: 0, message: `500: ${String(error)}` } };
      }
    }
    call.status = reply.status;
    this.calls.push(call);
    for (const waiter of this.waiters) if (waiter.predicate(call)) waiter.resolve(call);
    if (reply.body === undefined) {
      res.writeHead(reply.status).end();
    } else {
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    }
  }
}
