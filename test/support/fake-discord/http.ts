/** Request parsing, routing and Discord-shaped errors for the fake's REST API. */
import type { IncomingMessage } from 'node:http';
import type { FakeState } from './state.js';

export interface DiscordCall {
  method: string;
  /** Without `/api/v10` and without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON (or multipart `payload_json`); undefined without a body. */
  body: unknown;
  /** The `Authorization` header as sent, if any. */
  authorization: string | undefined;
  at: number;
  status: number;
}

export interface UploadedFile {
  field: string;
  name: string;
  size: number;
  contentType: string;
}

export interface RouteRequest {
  method: string;
  path: string;
  params: string[];
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
}

export interface RouteReply {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  /** Segments after /api/v10; `:name` captures one segment into `params`, in order. */
  template: string;
  /** Bot routes need `Authorization: Bot <token>`; interaction callbacks and webhook routes need none. */
  auth: boolean;
  handle(request: RouteRequest, state: FakeState): RouteReply | Promise<RouteReply>;
}

/** Thrown by handlers; becomes Discord's JSON error body, which @discordjs/rest turns into DiscordAPIError. */
export class DiscordHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: unknown,
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.errors ? { errors: this.errors } : {}) };
  }
}

export const unknownMessage = () => new DiscordHttpError(404, 10008, 'Unknown Message');
export const unknownInteraction = () => new DiscordHttpError(404, 10062, 'Unknown interaction');
export const invalidWebhookToken = () => new DiscordHttpError(401, 50027, 'Invalid Webhook Token');

/** Records the payload in `invalid` and returns the 50035 Discord answers with. */
export function invalidForm(state: FakeState, path: string, problems: string[]): DiscordHttpError {
  state.invalid.push({ path, problems });
  const errors = { body: { _errors: problems.map((message) => ({ code: 'BASE_TYPE_INVALID', message })) } };
  return new DiscordHttpError(400, 50035, 'Invalid Form Body', errors);
}

export function matchRoute(routes: Route[], method: string, path: string) {
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.template.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: string[] = [];
    const matches = parts.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) params.push(segment);
      return part.startsWith(':') || part === segment;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, or multipart with `payload_json` (what @discordjs/rest sends when there are files). */
export async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const raw = await readRaw(req);
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    // undici's Response parses multipart the way Discord documents it; no parser of our own to get wrong.
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (field === 'payload_json' && typeof value === 'string') body = parseJson(value);
      else if (typeof value !== 'string') {
        files.push({ field, name: value.name, size: value.size, contentType: value.type });
      }
    }
    return { body, files };
  }
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DiscordHttpError(400, 50109, 'The request body contains invalid JSON.');
  }
}
