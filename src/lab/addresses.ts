/** Lab hosts live on 127.0.10.1 and up: away from 127.0.0.1, where the machine's own services listen. */
const firstThirdOctet = 10;
const hostsPerOctet = 250;
export const maxLabHosts = 1000;

export function labHostName(index: number): string {
  return `lab-${String(index).padStart(2, '0')}`;
}

export function labHostIndex(name: string): number | undefined {
  const match = /^lab-(\d+)$/.exec(name);
  if (!match) return undefined;
  const index = Number(match[1]);
  return index >= 1 && index <= maxLabHosts && labHostName(index) === name ? index : undefined;
}

export function labHostAddress(index: number): string {
  if (!Number.isInteger(index) || index < 1 || index > maxLabHosts) {
    throw new RangeError(`lab host index must be 1..${maxLabHosts}, got ${index}`);
  }
  const zeroBased = index - 1;
  const third = firstThirdOctet + Math.floor(zeroBased / hostsPerOctet);
  const fourth = (zeroBased % hostsPerOctet) + 1;
  return `127.0.${third}.${fourth}`;
}
