import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { InventoryHost } from '../src/engine/inventory/types.js';

export const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface Timed {
  code: number | null;
  seconds: number;
  /** Peak RSS of the measured process, from GNU time. */
  maxRssMb: number;
  stdout: string;
  stderr: string;
}

/** Run a command under GNU time: wall seconds and peak RSS of exactly that process tree's leader. */
export function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '@@time %M', command, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const kb = Number(/@@time (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ code, seconds, maxRssMb: kb / 1024, stdout, stderr: stderr.replace(/@@time \d+\n?/, '') });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** A patchops inventory of these hosts (root and the given key by default), each with these variables. */
export function inventoryYaml(
  hosts: Pick<InventoryHost, 'name' | 'address' | 'port' | 'user' | 'become'>[],
  keyFile: string,
  vars?: Record<string, unknown>,
): string {
  const entries = Object.fromEntries(
    hosts.map((h) => [
      h.name,
      {
        address: h.address,
        port: h.port,
        ...(h.user ? { user: h.user } : {}),
        ...(h.become ? { become: true } : {}),
        ...(vars ? { vars } : {}),
      },
    ]),
  );
  // Written out per host: YAML aliases for the shared vars would trip the loader's alias limit at 1,000 hosts.
  return stringify(
    { defaults: { user: 'root', key_file: keyFile }, hosts: entries },
    { aliasDuplicateObjects: false },
  );
}
