import { describe, expect, it } from 'vitest';
import { speaker } from './index.js';

describe('speaker', () => {
  it('runs `as <user> <command>` as that user', () => {
    expect(speaker('as bob approve plan-3', 'alice')).toEqual({ user: 'bob', command: 'approve plan-3' });
    expect(speaker('as  bob   /patch deny plan-3 --reason "not now"', 'alice')).toEqual({
      user: 'bob',
      command: '/patch deny plan-3 --reason "not now"',
    });
  });

  it('leaves everything else to the typing user', () => {
    expect(speaker('approve plan-3', 'alice')).toEqual({ user: 'alice', command: 'approve plan-3' });
    expect(speaker('as', 'alice')).toEqual({ user: 'alice', command: 'as' });
    expect(speaker('as bob', 'alice')).toEqual({ user: 'alice', command: 'as bob' });
    expect(speaker('as b;ob approve plan-3', 'alice')).toEqual({
      user: 'alice',
      command: 'as b;ob approve plan-3',
    });
  });
});
