import { SshError } from './types.js';

export interface HopDescription {
  /** Name used in messages, e.g. "lab-02" or "lab-01 (bastion for lab-02)". */
  label: string;
  /** Host the error is about (the bastion's own name when the bastion fails). */
  host: string;
  user: string;
  address: string;
  port: number;
  /** How we tried to authenticate, for the auth message. */
  credentials: string;
  connectTimeoutMs: number;
}

function errorCode(error: Error): string | undefined {
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function errorLevel(error: Error): string | undefined {
  return 'level' in error && typeof error.level === 'string' ? error.level : undefined;
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTDOWN',
]);
const droppedCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Turn what ssh2 or the socket reported while connecting into an SshError a person can act on. */
export function connectError(hop: HopDescription, error: Error): SshError {
  const where = `${hop.address}:${hop.port}`;
  const code = errorCode(error);
  const level = errorLevel(error);
  const seconds = `${Math.round(hop.connectTimeoutMs / 100) / 10} s`;
  if (code === 'ECONNREFUSED') {
    return new SshError(
      'unreachable',
      hop.host,
      `${hop.label}: connection refused at ${where} (is sshd running?)`,
      {
        cause: error,
      },
    );
  }
  if (code !== undefined && unreachableCodes.has(code)) {
    return new SshError('unreachable', hop.host, `${hop.label}: cannot reach ${where} (${code})`, {
      cause: error,
    });
  }
  if (level === 'client-timeout' || code === 'ETIMEDOUT') {
    return new SshError(
      'connect-timeout',
      hop.host,
      `${hop.label}: no SSH session with ${where} within ${seconds} (connect, handshake and login)`,
      { cause: error },
    );
  }
  if (level === 'client-authentication' || level === 'agent') {
    return new SshError(
      'auth',
      hop.host,
      `${hop.label}: ${hop.user}@${where} rejected our login (${hop.credentials}); is the public key in the user's authorized_keys?`,
      { cause: error },
    );
  }
  if (level === 'client-dns') {
    return new SshError('unreachable', hop.host, `${hop.label}: cannot resolve ${hop.address}`, {
      cause: error,
    });
  }
  if ((code !== undefined && droppedCodes.has(code)) || level === 'client-socket') {
    return new SshError(
      'disconnected',
      hop.host,
      `${hop.label}: ${where} closed the connection (${error.message})`,
      {
        cause: error,
      },
    );
  }
  return new SshError('protocol', hop.host, `${hop.label}: SSH failed with ${where}: ${error.message}`, {
    cause: error,
  });
}
