/** Discord's Gateway v10, JSON encoding, uncompressed: enough for discord.js to log in and get events. */
import type { Server } from 'node:http';
import { GatewayDispatchEvents, GatewayOpcodes } from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeState } from './state.js';

interface Session {
  id: string;
  seq: number;
  socket?: WebSocket;
}

const heartbeatInterval = 41_250;

export class FakeGateway {
  private readonly server: WebSocketServer;
  /** By session id, kept after the socket closes so a RESUME can pick the session up again. */
  private readonly sessions = new Map<string, Session>();
  /** The token each IDENTIFY or RESUME carried, in order. */
  readonly tokens: string[] = [];

  constructor(
    http: Server,
    private readonly state: FakeState,
  ) {
    this.server = new WebSocketServer({ server: http });
    this.server.on('connection', (socket, request) => {
      const query = new URL(request.url ?? '/', 'ws://127.0.0.1').searchParams;
      // discord.js asks for compression only when zlib-sync is installed; fail loudly rather than garble.
      if (query.get('v') !== '10' || query.get('encoding') !== 'json' || query.has('compress')) {
        state.invalid.push({ path: 'gateway', problems: [`unsupported connection ${request.url}`] });
        socket.close(4012, 'the fake speaks v=10, encoding=json, no compress');
        return;
      }
      this.send(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: heartbeatInterval } });
      socket.on('message', (raw) => this.receive(socket, raw.toString()));
    });
  }

  private send(socket: WebSocket, payload: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  }

  private dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    if (session.socket) this.send(session.socket, { op: GatewayOpcodes.Dispatch, t, s: session.seq, d });
  }

  private receive(socket: WebSocket, text: string): void {
    let payload: { op?: number; d?: { token?: string; session_id?: string; compress?: boolean } };
    try {
      payload = JSON.parse(text);
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.send(socket, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.identify(socket, payload.d ?? {});
        return;
      case GatewayOpcodes.Resume: {
        const session = this.sessions.get(payload.d?.session_id ?? '');
        this.tokens.push(payload.d?.token ?? '');
        if (!session || !payload.d?.token) {
          this.send(socket, { op: GatewayOpcodes.InvalidSession, d: false });
          return;
        }
        session.socket = socket;
        socket.on('close', () => this.detach(session, socket));
        this.dispatchTo(session, GatewayDispatchEvents.Resumed, null);
        return;
      }
      default:
        return;
    }
  }

  private identify(socket: WebSocket, d: { token?: string; compress?: boolean }): void {
    this.tokens.push(d.token ?? '');
    if (!d.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    if (d.compress) {
      this.state.invalid.push({ path: 'gateway', problems: ['IDENTIFY asked for payload compression'] });
      socket.close(4012, 'the fake does not compress payloads');
      return;
    }
    const session: Session = { id: this.state.snowflake(), seq: 0, socket };
    this.sessions.set(session.id, session);
    socket.on('close', () => this.detach(session, socket));
    const url = this.state.gatewayUrl;
    this.dispatchTo(session, GatewayDispatchEvents.Ready, {
      v: 10,
      user: this.state.botUser,
      // No guilds, so discord.js does not wait for GUILD_CREATEs and is ready at once.
      guilds: [],
      session_id: session.id,
      resume_gateway_url: url,
      shard: [0, 1],
      application: { id: this.state.applicationId, flags: 0 },
    });
  }

  private detach(session: Session, socket: WebSocket): void {
    if (session.socket === socket) session.socket = undefined;
  }

  /** Sends a dispatch to every connected session; returns how many got it. */
  dispatch(t: string, d: unknown): number {
    const live = [...this.sessions.values()].filter((session) => session.socket);
    for (const session of live) this.dispatchTo(session, t, d);
    return live.length;
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
