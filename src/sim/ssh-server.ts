import type { AddressInfo } from 'node:net';
import ssh2, { type AuthContext, type Connection, type ParsedKey, type ServerChannel } from 'ssh2';
import type { SimHost, SimReply } from './sim-host.js';

const { Server, utils } = ssh2;
type SshServer = InstanceType<typeof Server>;

export interface SimServerOptions {
  hostKey: ParsedKey;
  latencyMs: number;
  /** Every live connection, so that stopping the fleet can close them. */
  connections: Set<Connection>;
  /** How long a rebooting host refuses connections. */
  rebootDelayMs: number;
  /** Shared with the fleet: once stopped, a rebooting host does not come back; its timer is cleared. */
  lifecycle: { stopped: boolean; timers: Set<NodeJS.Timeout> };
}

/** apt-get update talks to mirrors: much slower than reading local state. */
const slowCommandFactor = 10;

/** One SSH server for one simulated host. */
export function createSimServer(host: SimHost, options: SimServerOptions): SshServer {
  const own = new Set<Connection>();
  let rebooting = false;
  /**
   * A reboot as a client sees one: the command returns, the connection drops, connections are refused
   * (the listener is closed) for `rebootDelayMs`, then the host answers again on the same address and port.
   */
  const reboot = () => {
    if (rebooting || options.lifecycle.stopped) return;
    rebooting = true;
    const { address, port } = server.address() as AddressInfo;
    server.close();
    for (const client of own) client.end();
    host.rebooted();
    const timer = setTimeout(() => {
      options.lifecycle.timers.delete(timer);
      if (options.lifecycle.stopped) return;
      server.listen(port, address, () => {
        rebooting = false;
      });
    }, options.rebootDelayMs);
    options.lifecycle.timers.add(timer);
  };
  const server: SshServer = new Server(
    { hostKeys: [{ key: options.hostKey }], ident: 'OpenSSH_9.2p1 Debian-2+deb12u3' },
    (client) => {
      options.connections.add(client);
      own.add(client);
      let user = '';
      client.on('close', () => {
        options.connections.delete(client);
        own.delete(client);
      });
      // A client that resets the connection must not take the fleet down.
      client.on('error', () => {});
      client.on('authentication', (ctx) => {
        if (authenticate(ctx)) user = ctx.username;
      });
      client.on('ready', () => {
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('env', (accept) => accept?.());
          session.on('pty', (_accept, reject) => reject?.());
          session.on('shell', (_accept, reject) => reject?.());
          session.on('sftp', (_accept, reject) => reject?.());
          session.on('exec', (accept, _reject, info) => {
            const reply = host.respond(info.command, user);
            const delay = reply.code === 0 && /apt-get -q update/.test(info.command) ? slowCommandFactor : 1;
            const channel = accept();
            setTimeout(() => {
              send(channel, reply);
              if (reply.after === 'reboot') setTimeout(reboot, 20);
            }, options.latencyMs * delay);
          });
        });
      });
    },
  );
  return server;
}

/**
 * Any public key is welcome (this is a simulator), but one must be offered and, when signed, the
 * signature must verify: a client that cannot prove it holds its key is refused as sshd would.
 */
function authenticate(ctx: AuthContext): boolean {
  if (ctx.method !== 'publickey') {
    ctx.reject(['publickey']);
    return false;
  }
  if (!ctx.signature || !ctx.blob) {
    ctx.accept(); // the client only asks whether this key would do
    return false;
  }
  const key = utils.parseKey(ctx.key.data);
  if (!(key instanceof Error) && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) {
    ctx.accept();
    return true;
  }
  ctx.reject(['publickey']);
  return false;
}

function send(channel: ServerChannel, reply: SimReply): void {
  if (channel.destroyed) return;
  if (reply.stdout) channel.write(reply.stdout);
  if (reply.stderr) channel.stderr.write(reply.stderr);
  channel.exit(reply.code);
  channel.end();
}
