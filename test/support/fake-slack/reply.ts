import type { Body } from './body.js';
import type { Rejection, SlackState } from './state.js';

export interface Reply {
  status: number;
  json: Body;
  headers?: Record<string, string>;
}

/** A Web API method: its arguments and the token that called it (already checked) → Slack's answer. */
export type Method = (state: SlackState, body: Body, token: string) => Reply;

export const ok = (json: Body = {}): Reply => ({ status: 200, json: { ok: true, ...json } });

// Slack answers errors with HTTP 200 and ok: false; only rate limits get their own status (429).
export const fail = (error: string, extra: Body = {}): Reply => ({
  status: 200,
  json: { ok: false, error, ...extra },
});

export const rejected = (rejection: Rejection): Reply =>
  fail(rejection.error, { errors: rejection.problems });

export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
