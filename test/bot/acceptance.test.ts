import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotPorts } from '../../src/app/bot-ports.js';
import { handleCommand } from '../../src/bot/core/handle.js';
import type { PermissionConfig } from '../../src/bot/core/permissions.js';
import type { View } from '../../src/bot/core/views.js';
import { loadConfig } from '../../src/config/index.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { writeHostFindings } from '../../src/db/findings.js';
import { listHosts, syncInventory } from '../../src/db/hosts.js';
import { auditLog, riskAcceptances } from '../../src/db/schema/index.js';
import { EngineClient } from '../../src/engine/client.js';
import { addDays, utcDay } from '../../src/engine/prioritize/index.js';
import { EngineQueues } from '../../src/engine/queues/index.js';
import { uniquePrefix } from '../support/cli.js';
import { opensslFinding } from '../support/findings.js';
import { createTestDatabase } from '../support/postgres.js';

const permissions: PermissionConfig = {
  users: {
    alice: ['operator'],
    bob: ['approver'],
    carol: ['approver', 'operator'],
    erin: ['approver'],
    dave: ['viewer'],
  },
  groups: {},
  defaultRoles: [],
};

describe('risk acceptance: requests, approvals and their rules', () => {
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let redis: Redis;
  let queues: EngineQueues;
  let run: (user: string, text: string) => Promise<View>;
  const today = utcDay(new Date());

  const idOf = (view: View) =>
    view.kind === 'acceptance' ? view.acceptance.id : `not an acceptance: ${JSON.stringify(view)}`;
  const errorOf = (view: View) => (view.kind === 'error' ? view.error.message : `no error: ${view.kind}`);

  beforeAll(async () => {
    target = await createTestDatabase();
    database = await openDatabase({ url: target.url });
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    queues = new EngineQueues({ connection: redis, prefix: uniquePrefix(), scanAttempts: 1 });
    const ports = createBotPorts(database.db, new EngineClient(database.db, queues), loadConfig({}));
    run = async (user, text) =>
      (await handleCommand(text, { id: user, name: user, groups: [] }, ports, permissions)).view;
    await syncInventory(database.db, [
      { name: 'web-01', address: '10.0.0.1', port: 22, groups: ['web'], tags: {}, vars: {} },
      { name: 'web-02', address: '10.0.0.2', port: 22, groups: ['web'], tags: {}, vars: {} },
    ]);
    for (const host of await listHosts(database.db)) {
      await writeHostFindings(
        database.db,
        host.id,
        [opensslFinding(today, { installed: '3.0.11-1', fixed: '3.0.13-1' })],
        new Date(),
      );
    }
  });

  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    await database?.close();
    await target?.drop();
  });

  const until = addDays(today, 30);

  it('records a request, refuses self-approval and non-approvers, approves once, then refuses any later decision', async () => {
    const requested = await run(
      'alice',
      `/patch accept CVE-2099-0001 web-01 --until ${until} --reason "WAF rule blocks the vector"`,
    );
    expect(requested).toMatchObject({
      kind: 'acceptance',
      acceptance: { state: 'pending', hosts: ['web-01'], until, requestedBy: 'alice' },
    });
    const id = idOf(requested);
    expect(errorOf(await run('dave', `/patch approve ${id}`))).toMatch(/approver/);
    expect(errorOf(await run('alice', `/patch approve ${id}`))).toMatch(/approver/); // alice is no approver at all

    const own = idOf(
      await run(
        'carol',
        `/patch accept CVE-2099-0001 web-02 --until ${until} --reason "decommissioned next week"`,
      ),
    );
    expect(errorOf(await run('carol', `/patch approve ${own}`))).toBe(
      `${own} was requested by you: another approver must decide it`,
    );

    expect(await run('bob', `/patch approve ${id}`)).toMatchObject({
      acceptance: { state: 'approved', decidedBy: 'bob' },
    });
    expect(errorOf(await run('bob', `/patch approve ${id}`))).toMatch(
      new RegExp(`^${id} was already approved by bob at `),
    );
    expect(errorOf(await run('carol', `/patch deny ${id} --reason "too long"`))).toMatch(
      /already approved by bob/,
    );

    const findings = await run('dave', '/patch findings all');
    expect(findings.kind === 'findings' && findings.totals.accepted).toBe(1);
    expect(
      findings.kind === 'findings' && findings.findings.find((f) => f.host === 'web-01')?.accepted,
    ).toMatchObject({ id, state: 'approved' });
    const actions = (await database.db.select().from(auditLog).where(eq(auditLog.subject, id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(['acceptance.requested', 'acceptance.approved']);
  });

  it('decides a double click by two approvers exactly once', async () => {
    const id = idOf(
      await run(
        'alice',
        `/patch accept CVE-2099-0001 web-02 --until ${until} --reason "vendor says not exploitable here"`,
      ),
    );
    const [first, second] = await Promise.all([
      run('bob', `/patch approve ${id}`),
      run('erin', `/patch deny ${id} --reason "no evidence"`),
    ]);
    const decided = [first, second].filter((v) => v.kind === 'acceptance');
    const refused = [first, second].filter((v) => v.kind === 'error');
    expect(decided).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(errorOf(refused[0]!)).toMatch(/was already (approved|denied) by (bob|erin)/);
    const [row] = await database.db
      .select()
      .from(riskAcceptances)
      .where(eq(riskAcceptances.id, Number(id.slice(7))));
    expect(['approved', 'denied']).toContain(row?.status);
  });

  it('refuses approvals after expiry, dates in the past or too far ahead, and a deny without a reason', async () => {
    const [expired] = await database.db
      .insert(riskAcceptances)
      .values({
        cve: 'CVE-2099-0001',
        selector: 'web-01',
        hostIds: [1],
        until: addDays(today, -1),
        reason: 'old',
        requestedBy: 'alice',
      })
      .returning();
    expect(errorOf(await run('bob', `/patch approve accept-${expired!.id}`))).toBe(
      `accept-${expired!.id} expired on ${addDays(today, -1)}: request a new acceptance`,
    );
    expect(
      errorOf(await run('alice', `/patch accept CVE-2099-0001 web-01 --until ${today} --reason "x y z"`)),
    ).toMatch(/not in the future/);
    expect(
      errorOf(
        await run(
          'alice',
          `/patch accept CVE-2099-0001 web-01 --until ${addDays(today, 400)} --reason "x y z"`,
        ),
      ),
    ).toMatch(/at most 365 days/);
    expect(errorOf(await run('bob', `/patch deny accept-${expired!.id}`))).toMatch(/--reason/);
    expect(errorOf(await run('bob', '/patch approve accept-999999'))).toBe("no acceptance 'accept-999999'");
  });
});
