import { ButtonStyle, ComponentType, MessageFlags } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { alertView, errorView, planView, rolloutView, scanView } from '../../core/views/index.js';
import { hostScan, scanRun } from '../../core/views/sample-data.js';
import { planSummary, rolloutHosts, rolloutSummary } from '../../core/views/sample-rollout-data.js';
import { failedRolloutHosts, sampleViews } from '../../core/views/sample-views.js';
import type { Button, View } from '../../core/views.js';
import {
  type DiscordMessage,
  decodeCustomId,
  embedLength,
  encodeCustomId,
  LIMITS,
  renderDiscordMessage,
  TONE_COLORS,
  validateDiscordMessage,
} from './render.js';

const NOW = new Date('2026-11-21T15:30:00Z');

/** A raw view, as a later core view might build: one huge table and several texts around it. */
function rawView(overrides: Partial<View> = {}): View {
  return {
    kind: 'hosts',
    selector: 'all',
    hosts: [],
    title: 'Raw',
    tone: 'info',
    blocks: [],
    ...overrides,
  } as View;
}

describe('renderDiscordMessage', () => {
  it.each(sampleViews(NOW))('renders the %s view as a valid message', (_, view) => {
    const message = renderDiscordMessage(view);
    expect(validateDiscordMessage(message)).toEqual([]);
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds[0]?.color).toBe(TONE_COLORS[view.tone]);
    expect(embedLength(message.embeds[0] ?? {})).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('renders a scan: title, progress bar, table in a code block, retry button', () => {
    const run = scanRun({ status: 'running', total: 20, succeeded: 11, failed: 1, finishedAt: null });
    const message = renderDiscordMessage(scanView(run, [hostScan('web-01')]));
    const embed = message.embeds[0];
    expect(embed?.title).toBe('Scan scan-42 · web-\\* · running');
    expect(embed?.description).toContain('`[██████░░░░] 12/20 (1 failed)`');
    expect(embed?.description).toMatch(/```\nhost +/);
    expect(message.flags).toBeUndefined();
  });

  it('turns fields blocks into inline embed fields', () => {
    const message = renderDiscordMessage(planView(planSummary(), NOW));
    expect(message.embeds[0]?.fields?.[0]).toEqual({
      name: 'requested by',
      value: 'erin, 2026-11-21 14:00',
      inline: true,
    });
  });

  it('cuts a long table by rows and says how many are left and where to see them', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`host-${i}`, 'x'.repeat(30), String(i)]);
    const view = rawView({
      blocks: [
        { type: 'text', text: 'before' },
        { type: 'table', columns: ['host', 'note', 'n'], rows, more: 20 },
        { type: 'text', text: 'after', muted: true },
      ],
    });
    const message = renderDiscordMessage(view);
    const description = message.embeds[0]?.description ?? '';
    expect(validateDiscordMessage(message)).toEqual([]);
    expect(description.startsWith('before\n```\n')).toBe(true);
    expect(description.endsWith('\n*after*')).toBe(true);
    const shown = description.split('\n').filter((line) => line.startsWith('host-')).length;
    expect(shown).toBeGreaterThan(10);
    expect(description).toContain(`*… ${520 - shown} more (see /patch hosts all)*`);
    expect(description.length).toBeLessThanOrEqual(LIMITS.embedDescription);
  });

  it('says "see /patch status <id>" for a rollout with many failures', () => {
    const failed = failedRolloutHosts(150);
    const message = renderDiscordMessage(rolloutView(rolloutSummary({ status: 'halted' }), failed, NOW));
    expect(message.embeds[0]?.description).toMatch(/… [\d,]+ more \(see \/patch status rollout-2\)/);
  });

  it('escapes markdown and mentions and keeps backticks out of code blocks', () => {
    const view = rawView({
      blocks: [
        { type: 'text', text: '# not a heading\n**bold** <@&1> [link](http://x)' },
        { type: 'table', columns: ['a'], rows: [['```evil```']] },
      ],
    });
    const description = renderDiscordMessage(view).embeds[0]?.description ?? '';
    expect(description).toContain('\\# not a heading\n\\*\\*bold\\*\\* \\<@&1\\> \\[link\\](http://x)');
    expect(description.match(/```/g)).toHaveLength(2);
  });

  it('puts the full title in the description when it is cut', () => {
    const message = renderDiscordMessage(errorView({ code: 'invalid_value', message: 'e'.repeat(400) }));
    expect(message.embeds[0]?.title).toHaveLength(256);
    expect(message.embeds[0]?.description).toContain('e'.repeat(400));
  });

  it('sets the ephemeral flag on ephemeral views', () => {
    const message = renderDiscordMessage(errorView({ code: 'invalid_value', message: 'nope' }));
    expect(message.flags).toBe(MessageFlags.Ephemeral);
  });

  it('pings a mapped on-call role in content, and nothing otherwise', () => {
    const alert = alertView({ severity: 'warning', subject: 's', message: 'm', mention: 'sre-oncall' });
    expect(renderDiscordMessage(alert, { roles: { 'sre-oncall': '123456789012345678' } }).content).toBe(
      '<@&123456789012345678>',
    );
    expect(renderDiscordMessage(alert).content).toBeUndefined();
    expect(renderDiscordMessage(alert, { roles: { 'sre-oncall': '@everyone' } }).content).toBeUndefined();
  });

  it('renders plan buttons with styles and ids', () => {
    const message = renderDiscordMessage(planView(planSummary(), NOW));
    expect(message.components).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: 'Approve',
            custom_id: 'patchops:run:approve:plan-3',
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Danger,
            label: 'Deny',
            custom_id: 'patchops:ask-reason:deny:plan-3',
          },
        ],
      },
    ]);
  });

  it('splits 6+ buttons into rows of at most 5, caps rows at 5 and drops duplicates and misfits', () => {
    const buttons: Button[] = [
      ...Array.from({ length: 7 }, (_, i) => ({ label: `Pause ${i}`, command: `pause rollout-${i + 1}` })),
      { label: 'Pause again', command: 'pause rollout-1' }, // pause rollout-2 is the rollout's own Pause too
      { label: 'Too long', command: `scan ${Array.from({ length: 30 }, (_, i) => `web-${i}`).join(',')}` },
      { label: 'Quoted', command: "deny plan-3 --reason 'no way'" },
    ];
    const rollout = rolloutView(rolloutSummary(), rolloutHosts(), NOW);
    const view: View = { ...rollout, blocks: [...rollout.blocks, { type: 'actions', buttons }] };
    const message = renderDiscordMessage(view);
    expect(validateDiscordMessage(message)).toEqual([]);
    expect(message.components.map((row) => row.components.length)).toEqual([5, 3]);
    const labels = message.components.flatMap((row) =>
      row.components.map((b) => ('label' in b ? b.label : '')),
    );
    expect(labels).not.toContain('Pause again');
    expect(labels).not.toContain('Too long');
    expect(labels).not.toContain('Quoted');

    const many = Array.from({ length: 40 }, (_, i) => ({
      label: `b${i}`,
      command: `pause rollout-${i + 1}`,
    }));
    const capped = renderDiscordMessage(rawView({ blocks: [{ type: 'actions', buttons: many }] }));
    expect(capped.components).toHaveLength(5);
    expect(validateDiscordMessage(capped)).toEqual([]);
  });

  it('cuts a button label to 80 characters but never its command', () => {
    const message = renderDiscordMessage(
      rawView({
        blocks: [{ type: 'actions', buttons: [{ label: 'L'.repeat(200), command: 'approve plan-3' }] }],
      }),
    );
    const button = message.components[0]?.components[0];
    expect(button && 'label' in button ? button.label?.length : 0).toBe(80);
  });
});

describe('encodeCustomId / decodeCustomId', () => {
  const buttons: Button[] = [
    { label: 'Approve', command: 'approve plan-3' },
    { label: 'Deny', command: 'deny plan-3', prompt: { flag: '--reason', label: 'Why deny?' } },
    { label: 'Pause', command: 'pause rollout-2' },
    { label: 'Roll back', command: '/patch rollback rollout-2' },
    { label: 'Scan', command: 'scan web-01,web-02' },
    { label: 'Scan group', command: 'scan group:web' },
    { label: 'Findings', command: 'findings all --cve CVE-2024-3094' },
    { label: 'Status', command: 'status' },
  ];

  it.each(buttons)('round-trips $command', (button) => {
    const id = encodeCustomId(button);
    expect(id).toBeDefined();
    expect(id?.length).toBeLessThanOrEqual(100);
    const decoded = decodeCustomId(id);
    expect(decoded?.command).toBe(button.command.replace(/^\/patch /, ''));
    expect(decoded?.prompt?.flag).toBe(button.prompt?.flag);
  });

  it('encodes the documented shape', () => {
    expect(encodeCustomId({ command: 'approve plan-3' })).toBe('patchops:run:approve:plan-3');
    expect(decodeCustomId('patchops:ask-reason:deny:plan-3')).toEqual({
      command: 'deny plan-3',
      prompt: { flag: '--reason', label: 'Reason' },
    });
  });

  it.each([
    ['an unknown verb', 'rm -rf /'],
    ['an empty command', ''],
    ['a quoted argument', "deny plan-3 --reason 'x y'"],
    ['a control character', 'approve plan-3\n'],
    ['a trailing space', 'approve plan-3 '],
    ['two spaces', 'approve  plan-3'],
    ['a command over 100 characters', `scan ${'web-01,'.repeat(20)}web-02`],
  ])('leaves out %s', (_, command) => {
    expect(encodeCustomId({ command })).toBeUndefined();
  });

  it('leaves out a prompt flag it cannot carry', () => {
    expect(
      encodeCustomId({ command: 'deny plan-3', prompt: { flag: 'reason', label: 'x' } }),
    ).toBeUndefined();
    expect(
      encodeCustomId({ command: 'deny plan-3', prompt: { flag: '--Re ason', label: 'x' } }),
    ).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['approve plan-3', 'no prefix'],
    ['other:run:approve:plan-3', 'foreign prefix'],
    ['patchops:exec:approve:plan-3', 'unknown kind'],
    ['patchops:run:format:disk', 'unknown verb'],
    ['patchops:run:APPROVE:plan-3', 'upper-case verb'],
    ['patchops:run:approve:plan-3; rm', 'shell junk'],
    ['patchops:run:approve:plan-3  x', 'double space'],
    ["patchops:run:deny:plan-3 --reason 'x'", 'quotes'],
    ['patchops:run:approve:plan-3\u0000', 'control character'],
    ['patchops:ask-:deny:plan-3', 'empty flag'],
    ['patchops:run:approve', 'missing id segment'],
    [`patchops:run:scan:${'a'.repeat(100)}`, 'over 100 characters'],
  ])('rejects %j (%s)', (id) => {
    expect(decodeCustomId(id)).toBeUndefined();
  });

  it('rejects values that are not strings', () => {
    expect(decodeCustomId(42)).toBeUndefined();
    expect(decodeCustomId(null)).toBeUndefined();
    expect(decodeCustomId({ custom_id: 'patchops:run:approve:plan-3' })).toBeUndefined();
  });
});

describe('validateDiscordMessage', () => {
  const good = (): DiscordMessage => renderDiscordMessage(planView(planSummary(), NOW));
  const button = (id: string, label = 'x') => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    label,
    custom_id: id,
  });
  const row = (...ids: string[]) => ({
    type: ComponentType.ActionRow as const,
    components: ids.map((id) => button(id)),
  });

  it('accepts a rendered message', () => {
    expect(validateDiscordMessage(good())).toEqual([]);
  });

  it.each<[string, (m: DiscordMessage) => void, RegExp]>([
    ['a long title', (m) => Object.assign(m.embeds[0] ?? {}, { title: 't'.repeat(257) }), /title is 257/],
    [
      'a long description',
      (m) => Object.assign(m.embeds[0] ?? {}, { description: 'd'.repeat(4097) }),
      /description is 4097/,
    ],
    [
      'too many fields',
      (m) =>
        Object.assign(m.embeds[0] ?? {}, {
          fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })),
        }),
      /26 fields/,
    ],
    [
      'a long field name',
      (m) => Object.assign(m.embeds[0] ?? {}, { fields: [{ name: 'n'.repeat(257), value: 'v' }] }),
      /name is 257/,
    ],
    [
      'a long field value',
      (m) => Object.assign(m.embeds[0] ?? {}, { fields: [{ name: 'n', value: 'v'.repeat(1025) }] }),
      /value is 1025/,
    ],
    [
      'an empty field value',
      (m) => Object.assign(m.embeds[0] ?? {}, { fields: [{ name: 'n', value: '' }] }),
      /value is empty/,
    ],
    [
      'over 6,000 characters in all',
      (m) =>
        Object.assign(m.embeds[0] ?? {}, {
          description: 'd'.repeat(4000),
          fields: Array.from({ length: 3 }, () => ({ name: 'n', value: 'v'.repeat(1000) })),
        }),
      /total \d+ characters \(max 6000\)/,
    ],
    [
      'over 6,000 across embeds',
      (m) => m.embeds.push(...Array.from({ length: 2 }, () => ({ description: 'd'.repeat(4000) }))),
      /total/,
    ],
    [
      'more than 10 embeds',
      (m) => m.embeds.push(...Array.from({ length: 10 }, () => ({ title: 't' }))),
      /11 embeds/,
    ],
    ['a long content', (m) => Object.assign(m, { content: 'c'.repeat(2001) }), /content is 2001/],
    [
      'more than 5 rows',
      (m) => m.components.push(...Array.from({ length: 5 }, (_, i) => row(`r${i}`))),
      /6 action rows/,
    ],
    [
      'more than 5 buttons in a row',
      (m) => m.components.push(row('a', 'b', 'c', 'd', 'e', 'f')),
      /6 buttons/,
    ],
    ['an empty row', (m) => m.components.push(row()), /row is empty/],
    [
      'a long label',
      (m) => m.components.push({ type: ComponentType.ActionRow, components: [button('l', 'L'.repeat(81))] }),
      /label is 81/,
    ],
    ['a long custom_id', (m) => m.components.push(row('i'.repeat(101))), /custom_id is 101/],
    ['a missing custom_id', (m) => m.components.push(row('')), /custom_id is missing/],
    ['a duplicate custom_id', (m) => m.components.push(row('patchops:run:approve:plan-3')), /not unique/],
    ['a bad colour', (m) => Object.assign(m.embeds[0] ?? {}, { color: -1 }), /24-bit/],
  ])('catches %s', (_, spoil, expected) => {
    const message = good();
    spoil(message);
    const violations = validateDiscordMessage(message);
    expect(violations.some((v) => expected.test(v))).toBe(true);
  });

  it('catches an empty message', () => {
    expect(validateDiscordMessage({ embeds: [], components: [] })).toEqual(['message is empty']);
  });
});
