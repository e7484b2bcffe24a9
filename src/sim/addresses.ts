import { isIPv4 } from 'node:net';

function toNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * `count` loopback addresses from `first` up: 127.0.20.1 … 127.0.20.254, then 127.0.21.1 …, skipping
 * .0 and .255 in the last octet so every address also looks like a host address. Every address in
 * 127.0.0.0/8 is loopback on Linux without any setup, so each simulated host gets its own address and
 * the usual SSH port layout; the fleet never leaves 127.0.0.0/8.
 */
export function simAddresses(first: string, count: number): string[] {
  if (!isIPv4(first) || !first.startsWith('127.'))
    throw new RangeError(`firstAddress must be in 127.0.0.0/8, got ${first}`);
  const addresses: string[] = [];
  let value = toNumber(first);
  while (addresses.length < count) {
    if (value % 256 !== 0 && value % 256 !== 255) addresses.push(toAddress(value));
    value += 1;
  }
  const last = addresses.at(-1);
  if (last && !last.startsWith('127.'))
    throw new RangeError(`${count} hosts from ${first} leave 127.0.0.0/8`);
  return addresses;
}
