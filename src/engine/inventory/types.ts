/** A host as the inventory describes it: where it is and how to reach it. */
export interface InventoryHost {
  name: string;
  address: string;
  port: number;
  user?: string;
  /** Path to a private key file; absent = default key or the SSH agent. */
  keyFile?: string;
  /** Use `sudo -n` for commands that need root (ansible_become). */
  become?: boolean;
  /** Name of another inventory host, or user@host:port, to jump through. */
  bastion?: string;
  /** Network zone: a worker pinned to this zone reaches the host. */
  zone?: string;
  groups: string[];
  tags: Record<string, string>;
  /** Remaining host variables, kept for later features (reboot command, health checks...). */
  vars: Record<string, unknown>;
}
