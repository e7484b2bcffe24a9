import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ecdsa, ed25519, otherEd25519, rsa } from './fixtures/keys.js';
import {
  decideHostKey,
  fingerprint,
  hostKeyChangedMessage,
  hostKeyUnknownMessage,
  keyTypeOfBlob,
  MemoryHostKeyStore,
  type PinnedKey,
  publicKeyFromBlob,
} from './host-keys.js';

const pin = (key: { type: string; base64: string }, day = '2026-11-21'): PinnedKey => ({
  type: key.type,
  base64: key.base64,
  source: 'first-seen',
  firstSeenAt: new Date(`${day}T10:00:00Z`),
});

describe('host key fingerprints', () => {
  it('match what ssh-keygen -l prints', () => {
    expect(fingerprint(ed25519)).toBe(ed25519.fingerprint);
    expect(fingerprint(ecdsa)).toBe(ecdsa.fingerprint);
    expect(fingerprint(rsa)).toBe(rsa.fingerprint);
  });

  it('read the key type from the blob the server sends', () => {
    const blob = Buffer.from(ed25519.base64, 'base64');
    expect(keyTypeOfBlob(blob)).toBe('ssh-ed25519');
    expect(publicKeyFromBlob(blob)).toEqual({ type: 'ssh-ed25519', base64: ed25519.base64 });
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0]))).toBeUndefined();
    expect(keyTypeOfBlob(Buffer.from([0, 0, 1, 0, 65]))).toBeUndefined();
  });
});

describe('decideHostKey', () => {
  it('accepts a pinned key under either policy', () => {
    expect(decideHostKey('strict', [pin(ed25519)], ed25519)).toBe('accept');
    expect(decideHostKey('accept-new', [pin(ecdsa), pin(ed25519)], ed25519)).toBe('accept');
  });

  it('rejects a different key when keys are pinned, whatever its type', () => {
    expect(decideHostKey('accept-new', [pin(ed25519)], otherEd25519)).toBe('reject-changed');
    expect(decideHostKey('strict', [pin(ed25519)], ecdsa)).toBe('reject-changed');
  });

  it('records a first key under accept-new and refuses it under strict', () => {
    expect(decideHostKey('accept-new', [], ed25519)).toBe('record');
    expect(decideHostKey('strict', [], ed25519)).toBe('reject-unknown');
  });

  it('never accepts a key that is not pinned, once anything is pinned', () => {
    const key = fc.record({ type: fc.constantFrom('ssh-ed25519', 'ssh-rsa'), base64: fc.base64String() });
    fc.assert(
      fc.property(
        fc.array(key, { minLength: 1, maxLength: 4 }),
        key,
        fc.constantFrom('strict', 'accept-new'),
        (pins, presented, policy) => {
          const pinned = pins.map((k) => pin(k));
          const listed = pins.some((k) => k.type === presented.type && k.base64 === presented.base64);
          const decision = decideHostKey(policy as 'strict' | 'accept-new', pinned, presented);
          expect(decision).toBe(listed ? 'accept' : 'reject-changed');
        },
      ),
    );
  });
});

describe('host key messages', () => {
  it('say what changed, since when, and how to accept an expected change', () => {
    const message = hostKeyChangedMessage('lab-03', [pin(ed25519)], otherEd25519);
    expect(message).toBe(
      `lab-03: host key changed since 2026-11-21 (pinned ssh-ed25519 ${ed25519.fingerprint}, got ssh-ed25519 ${fingerprint(otherEd25519)}) — refusing to connect; if the change is expected, remove the pinned key with \`patchops hosts forget-key lab-03\``,
    );
  });

  it('name the key a strict policy refused', () => {
    expect(hostKeyUnknownMessage('web-01', ecdsa)).toContain(
      `presents ecdsa-sha2-nistp256 ${ecdsa.fingerprint}`,
    );
  });
});

describe('MemoryHostKeyStore', () => {
  it('keeps pins per host, once each', async () => {
    const store = new MemoryHostKeyStore();
    await store.record('a', pin(ed25519));
    await store.record('a', pin(ed25519, '2026-12-01'));
    await store.record('a', pin(ecdsa));
    expect((await store.pinned('a')).map((key) => key.type)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
    expect(await store.pinned('b')).toEqual([]);
    store.forget('a');
    expect(await store.pinned('a')).toEqual([]);
  });
});
