import { describe, expect, it } from 'vitest';
import type { Command } from './grammar/commands.js';
import { parseCommand } from './grammar/parse.js';
import { type Actor, authorize, type PermissionConfig, permissionConfigSchema } from './permissions.js';

function command(text: string): Command {
  const parsed = parseCommand(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.command;
}

const alice: Actor = { id: 'U01ALICE', name: 'alice', groups: [] };
const bob: Actor = { id: 'U02BOB', name: 'bob', groups: ['sre'] };
const carol: Actor = { id: 'U03CAROL', name: 'carol', groups: ['security'] };
const stranger: Actor = { id: 'U99', name: 'mallory', groups: ['constructor'] };

const config: PermissionConfig = permissionConfigSchema.parse({
  users: { U01ALICE: ['admin'] },
  groups: { sre: ['operator'], security: ['approver'] },
  defaultRoles: ['viewer'],
});

describe('authorize', () => {
  it('lets everyone do everything when nothing is configured (local mode)', () => {
    expect(authorize(stranger, command('scan all'), undefined)).toEqual({ ok: true });
  });

  it('lets viewers read and only operators and admins scan', () => {
    expect(authorize(stranger, command('hosts'), config)).toEqual({ ok: true });
    expect(authorize(stranger, command('status scan-1'), config)).toEqual({ ok: true });
    expect(authorize(bob, command('scan web-*'), config)).toEqual({ ok: true });
    expect(authorize(alice, command('scan web-*'), config)).toEqual({ ok: true });
  });

  it('lets viewers read findings, operators ask for risk acceptance, approvers decide on it', () => {
    const allowed = (actor: Actor, text: string) => authorize(actor, command(text), config).ok;
    for (const read of ['findings', 'cve CVE-2024-3094', 'advisories']) {
      expect(allowed(stranger, read)).toBe(true);
    }
    const request = 'accept CVE-2024-3094 web-01 --until 2030-01-01 --reason "vendor fix in Q3"';
    expect([stranger, bob, carol, alice].map((actor) => allowed(actor, request))).toEqual([
      false,
      true,
      false,
      true,
    ]);
    for (const decision of ['approve accept-1', 'deny accept-1 --reason "no mitigation"']) {
      expect([stranger, bob, carol, alice].map((actor) => allowed(actor, decision))).toEqual([
        false,
        false,
        true,
        true,
      ]);
    }
    expect(authorize(bob, command('approve accept-1'), config)).toMatchObject({
      error: { message: 'approve needs the approver or admin role; you have viewer and operator' },
    });
  });

  it('names the role needed and the roles held', () => {
    expect(authorize(stranger, command('scan all'), config)).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'scan needs the operator or admin role; you have viewer',
        hint: 'ask an admin to grant you operator',
      },
    });
    expect(authorize(carol, command('scan all'), config)).toMatchObject({
      error: { message: 'scan needs the operator or admin role; you have viewer and approver' },
    });
  });

  it('matches users by id or by handle', () => {
    const byName = permissionConfigSchema.parse({ users: { bob: ['admin'] } });
    expect(authorize(bob, command('scan all'), byName)).toEqual({ ok: true });
  });

  it('denies even reading to someone with no role at all', () => {
    const empty = permissionConfigSchema.parse({});
    expect(authorize(stranger, command('hosts'), empty)).toMatchObject({
      ok: false,
      error: { message: 'hosts needs the viewer, operator, approver or admin role; you have no role' },
    });
  });

  it('ignores names that collide with Object.prototype', () => {
    const empty = permissionConfigSchema.parse({});
    expect(
      authorize({ id: 'toString', name: '__proto__', groups: ['constructor'] }, command('help'), empty).ok,
    ).toBe(false);
  });

  it('rejects unknown roles in config', () => {
    const parsed = permissionConfigSchema.safeParse({ users: { alice: ['root'] } });
    expect(parsed.success).toBe(false);
  });
});
