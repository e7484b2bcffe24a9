import { describe, expect, it } from 'vitest';
import type { Actor } from '../permissions.js';
import {
  ANY_APPROVER,
  type ApprovalRule,
  approvalRule,
  approvalsConfigSchema,
  checkPlanDecision,
  environmentsOf,
  type PlanDecisionInput,
  type PlanDecisionRecord,
  utcMinute,
} from './index.js';

const config = approvalsConfigSchema.parse({
  default: { required: 1, expires_after: '24h' },
  environments: {
    prod: { users: ['alice'], groups: ['sre-leads'], required: 2, expires_after: '4h' },
    staging: { groups: ['web-team'], expires_after: '8h' },
  },
});

function actor(name: string, groups: string[] = [], id = `U-${name}`): Actor {
  return { id, name, groups };
}

const alice = actor('alice');
const bob = actor('bob', ['sre-leads']);
const carol = actor('carol', ['sre-leads', 'web-team']);
const dave = actor('dave', ['web-team']);
const erin = actor('erin', ['developers']);

const NOW = new Date('2026-11-21T15:00:00Z');

function approval(name: string, at = '2026-11-21T14:30:00Z'): PlanDecisionRecord {
  return { actor: name, decision: 'approve', reason: null, at: new Date(at) };
}

function input(overrides: {
  plan?: Partial<PlanDecisionInput['plan']>;
  actor?: Actor;
  decision?: 'approve' | 'deny';
  now?: Date;
  rule?: ApprovalRule;
}): PlanDecisionInput {
  return {
    plan: {
      id: 'plan-3',
      requestedBy: 'erin',
      status: 'pending',
      expiresAt: new Date('2026-11-21T18:00:00Z'),
      decisions: [],
      rolloutId: null,
      ...overrides.plan,
    },
    actor: overrides.actor ?? bob,
    decision: overrides.decision ?? 'approve',
    now: overrides.now ?? NOW,
    rule: overrides.rule ?? approvalRule(config, ['prod']),
  };
}

function refusal(result: ReturnType<typeof checkPlanDecision>) {
  if (result.ok) throw new Error(`expected a refusal, got ${result.outcome}`);
  expect(result.changed).toBe(false);
  return result.error;
}

describe('approvalsConfigSchema', () => {
  it('defaults everything when the section is absent or empty', () => {
    for (const section of [undefined, null, {}]) {
      const parsed = approvalsConfigSchema.parse(section);
      expect(parsed.environmentTag).toBe('env');
      expect(parsed.default).toEqual({ users: [], groups: [], required: 1, expiresAfterSeconds: 86_400 });
      expect(parsed.environments.size).toBe(0);
    }
  });

  it('reads environments, which inherit what they leave out from default', () => {
    const parsed = approvalsConfigSchema.parse({
      environment_tag: 'stage',
      default: { users: ['alice'], required: 2, expires_after: '12h' },
      environments: { prod: { groups: ['sre-leads'], expires_after: '1h30m' }, dev: null },
    });
    expect(parsed.environmentTag).toBe('stage');
    expect(parsed.environments.get('prod')).toEqual({
      users: [],
      groups: ['sre-leads'],
      required: 2,
      expiresAfterSeconds: 5400,
    });
    expect(parsed.environments.get('dev')).toEqual(parsed.default);
  });

  it('inherits approvers only when an entry names neither users nor groups', () => {
    const parsed = approvalsConfigSchema.parse({
      default: { users: ['alice'], groups: ['ops'] },
      environments: { prod: { required: 2 }, edge: { users: ['zed'] } },
    });
    expect(parsed.environments.get('prod')).toMatchObject({ users: ['alice'], groups: ['ops'] });
    expect(parsed.environments.get('edge')).toMatchObject({ users: ['zed'], groups: [] });
  });

  it.each([
    [{ default: { required: 0 } }, 'default.required'],
    [{ default: { required: 11 } }, 'default.required'],
    [{ default: { required: 1.5 } }, 'default.required'],
    [{ default: { expires_after: 'soon' } }, 'default.expires_after'],
    [{ default: { expires_after: '0m' } }, 'default.expires_after'],
    [{ default: { expires_after: '8d' } }, 'default.expires_after'],
    [{ default: { expires_after: '30s' } }, 'default.expires_after'],
    [{ default: { expires_after: 4 } }, 'default.expires_after'],
    [{ default: { users: [''] } }, 'default.users.0'],
    [{ default: { approvers: ['alice'] } }, 'default'],
    [{ environments: { 'bad name!': {} } }, 'environments.bad name!'],
    [{ environment_tag: '' }, 'environment_tag'],
    [{ extra: true }, ''],
  ])('refuses %j at %s', (section, path) => {
    const result = approvalsConfigSchema.safeParse(section);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('environmentsOf', () => {
  it('reads the configured tag, null when a host lacks it', () => {
    const hosts: { tags: Record<string, string> }[] = [
      { tags: { env: 'prod' } },
      { tags: {} },
      { tags: { env: 'staging', role: 'web' } },
    ];
    expect(environmentsOf(hosts, config)).toEqual(['prod', null, 'staging']);
    expect(environmentsOf([{ tags: {} }], { environmentTag: 'constructor' })).toEqual([null]);
  });
});

describe('approvalRule', () => {
  it('uses default for hosts without the tag and for environments without an entry', () => {
    for (const environments of [[], [null], [''], ['qa'], ['qa', null]]) {
      const rule = approvalRule(config, environments);
      expect(rule).toMatchObject({ required: 1, expiresAfterSeconds: 86_400, describe: ANY_APPROVER });
      expect(rule.isEligible(erin)).toBe(true);
    }
    expect(approvalRule(config, ['qa', null]).environments).toEqual(['qa']);
  });

  it('applies an environment entry', () => {
    const rule = approvalRule(config, ['prod', 'prod']);
    expect(rule).toMatchObject({
      required: 2,
      expiresAfterSeconds: 4 * 3600,
      environments: ['prod'],
      describe: 'group sre-leads or user alice',
    });
  });

  it('matches an actor by id, by name or by group', () => {
    const rule = approvalRule(config, ['prod']);
    expect(rule.isEligible(actor('someone', [], 'alice'))).toBe(true);
    expect(rule.isEligible(actor('alice', [], 'U999'))).toBe(true);
    expect(rule.isEligible(bob)).toBe(true);
    expect(rule.isEligible(erin)).toBe(false);
    expect(rule.isEligible(actor('Alice'))).toBe(false);
  });

  it('takes the strictest rule over several environments', () => {
    const rule = approvalRule(config, ['staging', 'prod', null]);
    expect(rule.required).toBe(2);
    expect(rule.expiresAfterSeconds).toBe(4 * 3600);
    expect(rule.environments).toEqual(['prod', 'staging']);
    expect(rule.describe).toBe('group sre-leads or user alice (prod) and also group web-team (staging)');
    // Eligible for every environment, not just one.
    expect(rule.isEligible(carol)).toBe(true);
    expect(rule.isEligible(bob)).toBe(false);
    expect(rule.isEligible(dave)).toBe(false);
    expect(rule.isEligible(alice)).toBe(false);
  });

  it('names environments sharing the same approvers once', () => {
    const shared = approvalsConfigSchema.parse({
      default: { groups: ['ops'] },
      environments: { prod: { groups: ['ops'], required: 3 }, edge: { users: ['zed'] } },
    });
    expect(approvalRule(shared, ['prod', 'qa']).describe).toBe('group ops');
    expect(approvalRule(shared, ['prod', 'edge', null]).describe).toBe(
      'user zed (edge) and also group ops (prod, hosts without env)',
    );
    expect(approvalRule(shared, ['prod', 'qa']).required).toBe(3);
  });

  it('does not let prototype keys match by accident', () => {
    const rule = approvalRule(config, ['prod']);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(rule.isEligible(actor(name, [name], name)), name).toBe(false);
    }
    const odd = approvalRule(config, ['constructor', '__proto__']);
    expect(odd.required).toBe(1);
    expect(odd.describe).toBe(ANY_APPROVER);
  });

  it('lets a configured group or user named like a prototype key match only itself', () => {
    const named = approvalsConfigSchema.parse({ default: { users: ['constructor'], groups: ['__proto__'] } });
    const rule = approvalRule(named, []);
    expect(rule.isEligible(actor('constructor'))).toBe(true);
    expect(rule.isEligible(actor('x', ['__proto__']))).toBe(true);
    expect(rule.isEligible(actor('toString', ['valueOf']))).toBe(false);
  });
});

describe('checkPlanDecision', () => {
  it('records a first approval and completes on the second distinct approver (2 of N)', () => {
    expect(checkPlanDecision(input({ actor: bob }))).toEqual({ ok: true, outcome: 'recorded' });
    const once = { decisions: [approval('bob')] };
    expect(refusal(checkPlanDecision(input({ plan: once, actor: bob })))).toEqual({
      code: 'invalid_value',
      message: 'you already approved plan-3 (1 of 2 approvals)',
    });
    expect(checkPlanDecision(input({ plan: once, actor: alice }))).toEqual({ ok: true, outcome: 'approved' });
  });

  it('approves at once when one approval is required', () => {
    const rule = approvalRule(config, []);
    expect(checkPlanDecision(input({ actor: dave, rule }))).toEqual({ ok: true, outcome: 'approved' });
  });

  it('treats the same person under their id or their name as one approver (double click)', () => {
    const byId = input({ plan: { decisions: [approval('U-bob')] }, actor: bob });
    expect(refusal(checkPlanDecision(byId)).message).toBe('you already approved plan-3 (1 of 2 approvals)');
  });

  it('refuses self-approval, but lets the requester withdraw by denying', () => {
    const mine = { requestedBy: 'bob' };
    expect(refusal(checkPlanDecision(input({ plan: mine, actor: bob })))).toEqual({
      code: 'forbidden',
      message: 'plan-3 was requested by you: another approver must approve it',
    });
    const byId = { requestedBy: 'U-bob' };
    expect(refusal(checkPlanDecision(input({ plan: byId, actor: bob }))).code).toBe('forbidden');
    expect(checkPlanDecision(input({ plan: mine, actor: bob, decision: 'deny' }))).toEqual({
      ok: true,
      outcome: 'denied',
    });
    // Even a requester who could not approve prod may withdraw.
    expect(checkPlanDecision(input({ actor: erin, decision: 'deny' }))).toEqual({
      ok: true,
      outcome: 'denied',
    });
  });

  it('refuses an approver who is not eligible, naming who is', () => {
    expect(refusal(checkPlanDecision(input({ actor: dave })))).toEqual({
      code: 'forbidden',
      message: 'plan-3 touches prod: it needs an approval from group sre-leads or user alice',
    });
    expect(refusal(checkPlanDecision(input({ actor: dave, decision: 'deny' }))).message).toBe(
      'plan-3 touches prod: it can be denied only by group sre-leads or user alice or its requester',
    );
    const rule = approvalRule(approvalsConfigSchema.parse({ default: { users: ['alice'] } }), [null]);
    expect(refusal(checkPlanDecision(input({ actor: bob, rule }))).message).toBe(
      'plan-3 needs an approval from user alice',
    );
  });

  it('needs approvers eligible for every environment of a multi-environment plan', () => {
    const rule = approvalRule(config, ['prod', 'staging']);
    expect(refusal(checkPlanDecision(input({ actor: bob, rule }))).message).toBe(
      'plan-3 touches prod and staging: it needs an approval from ' +
        'group sre-leads or user alice (prod) and also group web-team (staging)',
    );
    expect(checkPlanDecision(input({ actor: carol, rule }))).toEqual({ ok: true, outcome: 'recorded' });
  });

  it('refuses after expiry, by status or by clock', () => {
    const expired = 'plan-3 expired at 2026-11-21 18:00 UTC: make a new plan';
    expect(refusal(checkPlanDecision(input({ plan: { status: 'expired' } }))).message).toBe(expired);
    expect(refusal(checkPlanDecision(input({ now: new Date('2026-11-21T18:00:00Z') }))).message).toBe(
      expired,
    );
    expect(
      refusal(checkPlanDecision(input({ decision: 'deny', now: new Date('2026-11-22T00:00:00Z') }))),
    ).toMatchObject({ code: 'invalid_value', message: expired });
    expect(checkPlanDecision(input({ now: new Date('2026-11-21T17:59:59Z') })).ok).toBe(true);
  });

  it('refuses approving after a deny, with who denied, when and why', () => {
    const denied = {
      status: 'denied' as const,
      decisions: [
        approval('alice'),
        {
          actor: 'bob',
          decision: 'deny' as const,
          reason: 'freeze week',
          at: new Date('2026-11-21T14:05:00Z'),
        },
      ],
    };
    expect(refusal(checkPlanDecision(input({ plan: denied, actor: carol })))).toEqual({
      code: 'invalid_value',
      message: 'plan-3 was denied by bob at 2026-11-21 14:05 UTC: freeze week',
    });
    expect(refusal(checkPlanDecision(input({ plan: denied, actor: carol, decision: 'deny' }))).message).toBe(
      'plan-3 was denied by bob at 2026-11-21 14:05 UTC: freeze week',
    );
  });

  it('says a plan was withdrawn when its requester denied it', () => {
    const withdrawn = {
      status: 'denied' as const,
      decisions: [
        { actor: 'erin', decision: 'deny' as const, reason: null, at: new Date('2026-11-21T14:05:00Z') },
      ],
    };
    expect(refusal(checkPlanDecision(input({ plan: withdrawn }))).message).toBe(
      'plan-3 was withdrawn by erin at 2026-11-21 14:05 UTC',
    );
  });

  it('refuses denying (or approving) after approval, naming the rollout', () => {
    const approved = {
      status: 'approved' as const,
      rolloutId: 'rollout-2',
      decisions: [approval('bob'), approval('alice')],
    };
    for (const decision of ['approve', 'deny'] as const) {
      expect(refusal(checkPlanDecision(input({ plan: approved, actor: carol, decision })))).toEqual({
        code: 'invalid_value',
        message: 'plan-3 is already approved (rollout-2)',
      });
    }
    expect(refusal(checkPlanDecision(input({ plan: { status: 'approved' }, actor: carol }))).message).toBe(
      'plan-3 is already approved',
    );
  });

  it('refuses a cancelled plan', () => {
    const cancelled = { status: 'cancelled' as const, expiresAt: new Date('2026-11-21T10:00:00Z') };
    expect(refusal(checkPlanDecision(input({ plan: cancelled }))).message).toBe(
      'plan-3 was cancelled: make a new plan',
    );
  });

  it('checks state before who clicks: a stale plan is refused even to its requester', () => {
    const result = checkPlanDecision(input({ plan: { status: 'expired', requestedBy: 'bob' }, actor: bob }));
    expect(refusal(result).message).toContain('expired');
  });

  it('lets an approver who approved change their mind and deny while pending', () => {
    const once = { decisions: [approval('bob')] };
    expect(checkPlanDecision(input({ plan: once, actor: bob, decision: 'deny' }))).toEqual({
      ok: true,
      outcome: 'denied',
    });
  });

  it('counts distinct approvers toward a larger requirement', () => {
    const strict = approvalsConfigSchema.parse({ default: { required: 3 } });
    const rule = approvalRule(strict, []);
    const two = { decisions: [approval('bob'), approval('bob'), approval('carol')] };
    expect(checkPlanDecision(input({ plan: { decisions: [approval('bob')] }, actor: carol, rule }))).toEqual({
      ok: true,
      outcome: 'recorded',
    });
    expect(checkPlanDecision(input({ plan: two, actor: dave, rule }))).toEqual({
      ok: true,
      outcome: 'approved',
    });
    expect(refusal(checkPlanDecision(input({ plan: two, actor: carol, rule }))).message).toBe(
      'you already approved plan-3 (2 of 3 approvals)',
    );
  });
});

describe('utcMinute', () => {
  it('formats to the minute in UTC', () => {
    expect(utcMinute(new Date('2026-11-21T14:05:59.999+02:00'))).toBe('2026-11-21 12:05 UTC');
  });
});
