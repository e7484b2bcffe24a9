import type { HostRecord } from '../../db/hosts.js';
import type { SshTarget } from '../ssh/client.js';

export interface TargetDefaults {
  user: string;
  keyFile?: string;
}

export class TargetError extends Error {
  readonly code = 'config';
  override readonly name = 'TargetError';
}

/** How to reach a host: its own settings over the defaults, through its bastion when it has one. */
export function sshTargetFor(
  host: HostRecord,
  inventory: ReadonlyMap<string, HostRecord>,
  defaults: TargetDefaults,
  seen: string[] = [],
): SshTarget {
  if (seen.includes(host.name)) throw new TargetError(`bastion loop: ${[...seen, host.name].join(' → ')}`);
  let bastion: SshTarget | undefined;
  if (host.bastion) {
    const jumpHost = inventory.get(host.bastion);
    if (jumpHost) {
      bastion = sshTargetFor(jumpHost, inventory, defaults, [...seen, host.name]);
    } else {
      const jump = parseBastion(host.bastion);
      if (!jump)
        throw new TargetError(
          `${host.name}: bastion '${host.bastion}' is neither an inventory host nor user@host[:port]`,
        );
      bastion = { ...jump, user: jump.user ?? defaults.user, ...keyFileOf(undefined, defaults) };
    }
  }
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user ?? defaults.user,
    ...keyFileOf(host.keyFile, defaults),
    ...(host.become !== undefined ? { become: host.become } : {}),
    ...(bastion ? { bastion } : {}),
  };
}

function keyFileOf(own: string | undefined, defaults: TargetDefaults): { keyFile?: string } {
  const keyFile = own ?? defaults.keyFile;
  return keyFile ? { keyFile } : {};
}

/** `user@host:port` written in place of an inventory host name. */
function parseBastion(
  text: string,
): { name: string; address: string; port: number; user?: string } | undefined {
  const match = /^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const address = match[2]!.replace(/^\[|\]$/g, '');
  return {
    name: text,
    address,
    port: match[3] ? Number(match[3]) : 22,
    ...(match[1] ? { user: match[1] } : {}),
  };
}
