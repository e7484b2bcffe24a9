import { describe, expect, it } from 'vitest';
import { promptedCommand } from '../../core/grammar/quote.js';
import { scanView } from '../../core/views/index.js';
import { hostScan, scanRun } from '../../core/views/sample-data.js';
import { sampleViews } from '../../core/views/sample-views.js';
import type { Block, Button, View } from '../../core/views.js';
import { parseButtonValue, renderSlackMessage, validateBlockKit } from './blocks.js';
import { LIMITS } from './limits.js';

const NOW = new Date('2026-11-21T15:30:00Z');

function view(blocks: Block[], overrides: Partial<View> = {}): View {
  return {
    kind: 'error',
    error: { code: 'x', message: 'x' },
    title: 'Test',
    tone: 'info',
    blocks,
    ...overrides,
  } as View;
}

type AnyBlock = Record<string, unknown> & { type: string };
const blocksOf = (v: View) => renderSlackMessage(v).blocks as unknown as AnyBlock[];
const sectionTexts = (v: View) =>
  blocksOf(v)
    .filter((b) => b.type === 'section' && b.text !== undefined)
    .map((b) => (b.text as { text: string }).text);
const buttonsOf = (v: View) =>
  blocksOf(v)
    .filter((b) => b.type === 'actions')
    .flatMap(
      (b) => b.elements as { text: { text: string }; value: string; action_id: string; style?: string }[],
    );

describe('renderSlackMessage', () => {
  it.each(sampleViews(NOW))('renders %s as valid Block Kit', (_, v) => {
    const message = renderSlackMessage(v);
    expect(validateBlockKit(message)).toEqual([]);
    // The fallback text is the title, cut to a section's length when a title is longer than that.
    if (v.title.length <= LIMITS.sectionText) expect(message.text).toBe(v.title);
    else expect(message.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
  });

  it('puts the tone emoji and the title in the header', () => {
    const [header] = blocksOf(view([], { title: 'Wave 2 halted', tone: 'error' }));
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':x: Wave 2 halted', emoji: true },
    });
    const long = blocksOf(view([], { title: 't'.repeat(400) }))[0] as unknown as { text: { text: string } };
    expect(long.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    expect(long.text.text.endsWith('…')).toBe(true);
  });

  it('escapes &, < and > so host text cannot mention or link', () => {
    const v = view([
      { type: 'text', text: 'ping <@U123> & <!channel> > done' },
      { type: 'fields', fields: [{ label: 'a<b', value: '<https://evil|click>' }] },
    ]);
    const [text] = sectionTexts(v);
    expect(text).toBe('ping &lt;@U123&gt; &amp; &lt;!channel&gt; &gt; done');
    const fields = blocksOf(v).find((b) => b.fields !== undefined)?.fields as { text: string }[];
    expect(fields[0]?.text).toBe('*a&lt;b*\n&lt;https://evil|click&gt;');
    expect(JSON.stringify(renderSlackMessage(v).blocks)).not.toMatch(/<[@!h]/);
  });

  it('renders muted text as a context block and drops empty text', () => {
    const blocks = blocksOf(
      view([
        { type: 'text', text: 'cc @sre', muted: true },
        { type: 'text', text: '  \n ' },
      ]),
    );
    expect(blocks.slice(1)).toEqual([{ type: 'context', elements: [{ type: 'mrkdwn', text: 'cc @sre' }] }]);
  });

  it('splits a very long text into sections at line breaks, without cutting it', () => {
    const line = `${'word & '.repeat(20)}end`;
    const text = Array.from({ length: 200 }, () => line).join('\n');
    const v = view([{ type: 'text', text }]);
    const texts = sectionTexts(v);
    expect(texts.length).toBeGreaterThan(5);
    expect(validateBlockKit(renderSlackMessage(v))).toEqual([]);
    expect(texts.join('\n')).toBe(text.replaceAll('&', '&amp;'));
    const oneLine = view([{ type: 'text', text: '<'.repeat(5000) }]);
    const pieces = sectionTexts(oneLine);
    expect(pieces.every((p) => p.length <= LIMITS.sectionText && !/&(?!lt;)/.test(p))).toBe(true);
    expect(pieces.join('')).toBe('&lt;'.repeat(5000));
  });

  it('puts at most 10 fields in a section, each as *label* and value', () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `f${i}`, value: `v${i}` }));
    const sections = blocksOf(view([{ type: 'fields', fields }])).filter((b) => b.type === 'section');
    expect(sections.map((s) => (s.fields as unknown[]).length)).toEqual([10, 10, 3]);
    expect((sections[0]?.fields as { text: string }[] | undefined)?.[0]).toEqual({
      type: 'mrkdwn',
      text: '*f0*\nv0',
    });
    const long = blocksOf(view([{ type: 'fields', fields: [{ label: 'x', value: '&'.repeat(3000) }] }]));
    expect(validateBlockKit({ blocks: long })).toEqual([]);
  });

  it('renders a table as padded monospace, right-aligning counts, and notes the rows left out', () => {
    const v = view([
      {
        type: 'table',
        columns: ['host', 'updates'],
        rows: [
          ['web-01', '3'],
          ['db-01', '12'],
        ],
        more: 1200,
      },
    ]);
    expect(blocksOf(v).slice(1)).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '```\nhost    updates\n──────  ───────\nweb-01        3\ndb-01        12\n```',
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '… and 1,200 more' }] },
    ]);
  });

  it('splits a long table into sections under 3,000 characters, each with the header', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [`host-${i}`, 'x'.repeat(70), `${i}`]);
    const v = view([{ type: 'table', columns: ['host', 'note', 'n'], rows }]);
    const texts = sectionTexts(v);
    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(text.startsWith('```\nhost ')).toBe(true);
      expect(text.endsWith('\n```')).toBe(true);
    }
    expect(validateBlockKit(renderSlackMessage(v))).toEqual([]);
  });

  it('renders progress as a text bar with its label', () => {
    const v = view([{ type: 'progress', label: 'Scanning', done: 12, total: 20, failed: 1 }]);
    expect(sectionTexts(v)).toEqual(['Scanning `[██████░░░░] 12/20 (1 failed)`']);
  });

  it('renders buttons five to an actions block with numbered action_ids and styles', () => {
    const buttons: Button[] = Array.from({ length: 7 }, (_, i) => ({
      label: `B${i}`,
      command: `approve plan-${i}`,
      ...(i === 0 ? { style: 'primary' as const } : {}),
    }));
    const v = view([{ type: 'actions', buttons }]);
    const actions = blocksOf(v).filter((b) => b.type === 'actions');
    expect(actions.map((a) => (a.elements as unknown[]).length)).toEqual([5, 2]);
    expect(buttonsOf(v)[0]).toEqual({
      type: 'button',
      text: { type: 'plain_text', text: 'B0', emoji: true },
      action_id: 'patchops:0',
      value: '{"c":"approve plan-0"}',
      style: 'primary',
    });
    expect(buttonsOf(v).map((b) => b.action_id)).toEqual(buttons.map((_, i) => `patchops:${i}`));
  });

  it('round-trips buttons through parseButtonValue, prompt included', () => {
    const deny: Button = {
      label: 'Deny',
      command: '/patch deny plan-3 "quoted" \'x\'',
      style: 'danger',
      prompt: { flag: '--reason', label: 'Why deny?' },
    };
    const approve: Button = { label: 'Approve', command: 'approve plan-3', style: 'primary' };
    const [a, d] = buttonsOf(view([{ type: 'actions', buttons: [approve, deny] }]));
    expect(parseButtonValue(a?.value ?? '')).toEqual({ command: 'approve plan-3' });
    const parsed = parseButtonValue(d?.value ?? '');
    expect(parsed).toEqual({ command: deny.command, prompt: deny.prompt });
    expect(promptedCommand({ label: '', ...parsed! }, "it's late")).toBe(promptedCommand(deny, "it's late"));
  });

  it('cuts a long label but drops a button whose command does not fit, never cutting it', () => {
    const v = view([
      {
        type: 'actions',
        buttons: [
          { label: 'L'.repeat(200), command: 'scan all' },
          { label: 'Too long', command: `scan ${'a'.repeat(2100)}` },
        ],
      },
    ]);
    const buttons = buttonsOf(v);
    expect(buttons).toHaveLength(1);
    expect(buttons[0]?.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
    expect(parseButtonValue(buttons[0]?.value ?? '')).toEqual({ command: 'scan all' });
    expect(
      blocksOf(view([{ type: 'actions', buttons: [{ label: 'x', command: 'y'.repeat(2100) }] }])),
    ).toHaveLength(1);
  });

  it('keeps 50 blocks at most: the first ones, a note, and the buttons', () => {
    const blocks: Block[] = Array.from({ length: 80 }, (_, i) => ({ type: 'text', text: `line ${i}` }));
    blocks.push({ type: 'actions', buttons: [{ label: 'Abort', command: 'abort rollout-2' }] });
    const rendered = blocksOf(view(blocks));
    expect(rendered).toHaveLength(LIMITS.blocks);
    expect(validateBlockKit({ blocks: rendered })).toEqual([]);
    expect(rendered[47]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'line 46' } });
    expect(rendered[48]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '… 33 more blocks; see `/patch status`' }],
    });
    expect(rendered[49]?.type).toBe('actions');

    const plain: Block[] = Array.from({ length: 60 }, (_, i) => ({ type: 'text', text: `line ${i}` }));
    const scan = scanView(scanRun(), [hostScan('web-01')]);
    const out = blocksOf({ ...scan, blocks: plain });
    expect(out).toHaveLength(50);
    expect(out[48]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'line 47' } });
    expect(JSON.stringify(out[49])).toContain('… 12 more blocks; see `/patch status scan-42`');
  });
});

describe('renderSlackMessage with a mention', () => {
  const alert = sampleViews(NOW).find(([, v]) => v.kind === 'alert')?.[1];
  if (!alert) throw new Error('sample views have an alert');

  it('pings the on-call group in the notification text and under the header', () => {
    const message = renderSlackMessage(alert, { mention: '<!subteam^S0123ABC>' });
    expect(message.text.startsWith('<!subteam^S0123ABC> ')).toBe(true);
    expect(message.blocks[1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '<!subteam^S0123ABC>' }],
    });
    expect(validateBlockKit(message)).toEqual([]);
  });

  it('drops a mention that is not Slack mention syntax', () => {
    const message = renderSlackMessage(alert, { mention: '<https://evil|click>' });
    expect(message).toEqual(renderSlackMessage(alert));
  });
});

describe('parseButtonValue', () => {
  it.each([
    ['not JSON', 'approve plan-3'],
    ['an array', '["approve"]'],
    ['no command', '{}'],
    ['an empty command', '{"c":"  "}'],
    ['a number command', '{"c":3}'],
    ['an unknown key', '{"c":"approve plan-3","x":1}'],
    ['a flag without a label', '{"c":"deny plan-3","p":"--reason"}'],
    ['a label without a flag', '{"c":"deny plan-3","l":"Why?"}'],
    ['null', 'null'],
    ['too long', JSON.stringify({ c: 'a'.repeat(2100) })],
  ])('rejects %s', (_, value) => {
    expect(parseButtonValue(value)).toBeUndefined();
  });
});

describe('validateBlockKit', () => {
  const text = (t: string) => ({ type: 'mrkdwn', text: t });
  const plain = (t: string) => ({ type: 'plain_text', text: t });
  const button = (over: Record<string, unknown> = {}) => ({
    type: 'button',
    text: plain('OK'),
    action_id: 'a',
    value: 'v',
    ...over,
  });
  const one = (block: unknown) => validateBlockKit({ blocks: [block] });

  it('accepts a valid message', () => {
    expect(
      validateBlockKit({
        blocks: [
          { type: 'header', text: plain('Title') },
          { type: 'section', text: text('hi'), fields: [text('*a*\nb')] },
          { type: 'context', elements: [text('muted')] },
          { type: 'actions', elements: [button(), button({ action_id: 'b', style: 'danger' })] },
          { type: 'divider' },
        ],
      }),
    ).toEqual([]);
  });

  it.each<[string, unknown[], RegExp]>([
    ['too many blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), /51 blocks, over 50/],
    ['a long section', [{ type: 'section', text: text('x'.repeat(3001)) }], /text is 3001 chars, over 3000/],
    ['an empty section', [{ type: 'section' }], /needs text or fields/],
    ['empty text', [{ type: 'section', text: text('') }], /empty text/],
    [
      '11 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => text('f')) }],
      /11 fields, over 10/,
    ],
    ['a long field', [{ type: 'section', fields: [text('f'.repeat(2001))] }], /field 0: text is 2001 chars/],
    ['a long header', [{ type: 'header', text: plain('h'.repeat(151)) }], /text is 151 chars, over 150/],
    ['a mrkdwn header', [{ type: 'header', text: text('h') }], /expected plain_text/],
    ['a long button', [{ type: 'actions', elements: [button({ text: plain('b'.repeat(76)) })] }], /over 75/],
    [
      'a mrkdwn button',
      [{ type: 'actions', elements: [button({ text: text('b') })] }],
      /expected plain_text/,
    ],
    ['a long value', [{ type: 'actions', elements: [button({ value: 'v'.repeat(2001) })] }], /value is 2001/],
    [
      'a long action_id',
      [{ type: 'actions', elements: [button({ action_id: 'a'.repeat(256) })] }],
      /action_id is 256/,
    ],
    ['duplicate action_ids', [{ type: 'actions', elements: [button(), button()] }], /duplicate action_id a/],
    ['a bad style', [{ type: 'actions', elements: [button({ style: 'green' })] }], /style green/],
    [
      '26 buttons',
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button({ action_id: `a${i}` })) }],
      /26 elements, over 25/,
    ],
    ['empty actions', [{ type: 'actions', elements: [] }], /needs elements/],
    [
      '11 context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => text('c')) }],
      /11 elements, over 10/,
    ],
    ['not a block', ['section'], /block 0: not an object/],
  ])('catches %s', (_, blocks, violation) => {
    const found = validateBlockKit({ blocks });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(violation);
  });

  it('names the block of each violation', () => {
    expect(one({ type: 'section', text: text('x'.repeat(3001)) })).toEqual([
      'block 0 (section): text is 3001 chars, over 3000',
    ]);
  });
});
