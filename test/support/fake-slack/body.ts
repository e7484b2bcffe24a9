import type { IncomingMessage } from 'node:http';

/*
 * Request bodies as Slack's Web API reads them: form-encoded (WebClient's default) or JSON, and the token
 * from an `Authorization: Bearer` header or a `token` field.
 */

export type Body = Record<string, unknown>;

/** Arguments WebClient sends as JSON strings in form bodies, as it does with every non-scalar value. */
const NESTED = new Set(['blocks', 'attachments', 'view', 'metadata']);

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseNested(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    // Left as the string, so validation reports it the way Slack does: not an array, not an object.
    return value;
  }
}

/** The arguments of a request; a body that can't be read gives undefined. */
export function parseBody(
  raw: string,
  contentType: string | undefined,
  query: URLSearchParams,
): Body | undefined {
  const body: Body = Object.fromEntries(query);
  if (raw === '') return body;
  if (contentType?.startsWith('application/json')) {
    try {
      const json: unknown = JSON.parse(raw);
      return isBody(json) ? { ...body, ...json } : undefined;
    } catch {
      return undefined;
    }
  }
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = NESTED.has(key) ? parseNested(value) : value;
  }
  return body;
}

export function tokenOf(req: IncomingMessage, body: Body): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return bearer[1];
  return typeof body.token === 'string' && body.token !== '' ? body.token : undefined;
}
