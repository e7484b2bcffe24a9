import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { fail, ok, type Reply } from './reply.js';

/*
 * Socket Mode as https://docs.slack.dev/apis/events-api/using-socket-mode describes it and
 * @slack/socket-mode 3.x speaks it: apps.connections.open, called with the app-level token, hands out a
 * one-time WebSocket URL; on it Slack says hello, pings, delivers envelopes and waits for an ack that
 * names the envelope_id.
 */

export const SOCKET_MODE_PATH = '/socket-mode';

/** Slack's deadline for acknowledging an envelope, the same 3 s as for an HTTP request. */
export const ACK_DEADLINE_MS = 3_000;

export type EnvelopeType = 'slash_commands' | 'interactive';

/** Slack's reasons: `warning` comes about 10 s before a `refresh_requested`; `link_disabled` is for good. */
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled';

export interface SocketAck {
  envelopeId: string;
  /** From sending the envelope to reading its ack. */
  ackedInMs: number;
  /** The ack's `payload`; @slack/socket-mode sends `{}` for a bare `ack()`. */
  ackPayload?: unknown;
}

interface PendingAck {
  sentAt: number;
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const APP_ID = 'A1';
const DEBUG_INFO = { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18_060 };

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('utf8');
}

/**
 * With a close handshake, so an app that was just stopped (Bolt's stop() does not wait for its own
 * handshake) sees a clean close rather than a broken connection; cut after a second if it does not answer.
 */
function closeGracefully(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const cut = setTimeout(() => ws.terminate(), 1_000);
    ws.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    ws.close(1001, 'going away');
  });
}

export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, PendingAck>();
  /** WebSocket connections accepted so far (a reconnect adds one). */
  connections = 0;

  constructor(
    private readonly appToken: string,
    // The client starts watching for pings at the first one and drops a connection silent for 30 s.
    private readonly pingIntervalMs = 5_000,
  ) {}

  /** apps.connections.open, for the token it was called with (already known to be there). */
  connectionsOpen(token: string, origin: string): Reply {
    if (token !== this.appToken) return fail('invalid_auth');
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return ok({ url: `ws://${new URL(origin).host}${SOCKET_MODE_PATH}?ticket=${ticket}` });
  }

  /** An HTTP upgrade request: a WebSocket for a ticket not used yet, refused otherwise. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let refusal: string | undefined;
    if (url.pathname !== SOCKET_MODE_PATH) refusal = '404 Not Found';
    else if (!this.tickets.delete(url.searchParams.get('ticket') ?? '')) refusal = '401 Unauthorized';
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
  }

  /**
   * Sends an envelope on the newest open connection; resolves when the client acks its envelope_id, fails
   * after Slack's 3 s. Slack's examples mark slash commands and interactive payloads as taking a response.
   */
  send(type: EnvelopeType, payload: object): Promise<SocketAck> {
    const ws = [...this.sockets].at(-1);
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error('no Socket Mode connection is open'));
    }
    const envelopeId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`envelope ${envelopeId} (${type}) was not acked within ${ACK_DEADLINE_MS} ms`));
      }, ACK_DEADLINE_MS);
      this.pending.set(envelopeId, { sentAt: performance.now(), resolve, reject, timer });
      ws.send(JSON.stringify({ envelope_id: envelopeId, type, accepts_response_payload: true, payload }));
    });
  }

  /** Asks every connected client to go away, as Slack does before recycling a connection. */
  disconnect(reason: DisconnectReason): void {
    const message = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: DEBUG_INFO.host } });
    for (const ws of this.sockets) ws.send(message);
  }

  /** Connections open now. */
  get open(): number {
    return this.sockets.size;
  }

  async close(): Promise<void> {
    for (const [envelopeId, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new Error(`FakeSlack closed before envelope ${envelopeId} was acked`));
    }
    this.pending.clear();
    await Promise.all([...this.sockets].map(closeGracefully));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private connected(ws: WebSocket): void {
    this.sockets.add(ws);
    this.connections += 1;
    const pinging = setInterval(() => ws.ping(), this.pingIntervalMs);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.acked(textOf(data));
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(pinging);
      this.sockets.delete(ws);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: DEBUG_INFO,
        connection_info: { app_id: APP_ID },
      }),
    );
  }

  /** An ack is `{ envelope_id, payload? }`; Slack ignores anything else, and acks after the deadline. */
  private acked(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || !('envelope_id' in message)) return;
    const envelopeId = String(message.envelope_id);
    const waiting = this.pending.get(envelopeId);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.pending.delete(envelopeId);
    waiting.resolve({
      envelopeId,
      ackedInMs: performance.now() - waiting.sentAt,
      ...('payload' in message ? { ackPayload: message.payload } : {}),
    });
  }
}
