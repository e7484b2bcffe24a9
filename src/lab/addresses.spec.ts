import { describe, expect, it } from 'vitest';
import { labHostAddress, labHostIndex, labHostName, maxLabHosts } from './addresses.js';

describe('lab host addresses', () => {
  it('numbers hosts lab-01.. on 127.0.10.1..', () => {
    expect(labHostName(1)).toBe('lab-01');
    expect(labHostName(120)).toBe('lab-120');
    expect(labHostAddress(1)).toBe('127.0.10.1');
    expect(labHostAddress(250)).toBe('127.0.10.250');
    expect(labHostAddress(251)).toBe('127.0.11.1');
  });

  it('gives every host its own loopback address, never 127.0.0.1', () => {
    const all = Array.from({ length: maxLabHosts }, (_, i) => labHostAddress(i + 1));
    expect(new Set(all).size).toBe(maxLabHosts);
    expect(all).not.toContain('127.0.0.1');
    expect(all.every((address) => /^127\.0\.\d{1,3}\.\d{1,3}$/.test(address))).toBe(true);
  });

  it('reads names back and rejects what is not a lab host', () => {
    expect(labHostIndex('lab-07')).toBe(7);
    expect(labHostIndex('lab-7')).toBeUndefined();
    expect(labHostIndex('web-01')).toBeUndefined();
    expect(labHostIndex('lab-00')).toBeUndefined();
    expect(() => labHostAddress(0)).toThrow(RangeError);
  });
});
