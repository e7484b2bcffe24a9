/** A line of command output that a parser cannot read. Parsers are pure, so they do not know the host. */
export class OutputParseError extends Error {
  readonly lineNumber: number;
  readonly line: string;
  constructor(what: string, lineNumber: number, line: string, reason: string) {
    super(`cannot parse ${what} output, line ${lineNumber} (${reason}): ${JSON.stringify(line)}`);
    this.name = 'OutputParseError';
    this.lineNumber = lineNumber;
    this.line = line;
  }
}

/** A scan that cannot give a trustworthy result on one host; the message starts with the host name. */
export class PackageScanError extends Error {
  readonly host: string;
  constructor(host: string, message: string, options?: { cause?: unknown }) {
    super(`${host}: ${message}`, options);
    this.name = 'PackageScanError';
    this.host = host;
  }
}

/**
 * A package name, architecture or version that is not a Debian one, refused before any command is built.
 * The value is quoted in the message with JSON.stringify, so no control character reaches a chat unescaped.
 */
export class InvalidPackageSpecError extends Error {
  readonly code = 'invalid-package-spec' as const;
  readonly field: string;
  readonly value: unknown;
  constructor(field: string, value: unknown, reason: string) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : typeof value;
    super(`invalid package ${field} ${shown}: ${reason}`);
    this.name = 'InvalidPackageSpecError';
    this.field = field;
    this.value = value;
  }
}

/** A read-only package-manager command (precheck, package states, reboot flag) that failed on a host. */
export class PackageCommandError extends Error {
  readonly code = 'command-failed' as const;
  readonly host: string;
  readonly operation: 'precheck' | 'package-states' | 'reboot-required';
  constructor(
    host: string,
    operation: PackageCommandError['operation'],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${host}: ${operation}: ${message}`, options);
    this.name = 'PackageCommandError';
    this.host = host;
    this.operation = operation;
  }
}

/**
 * Why an install failed, as far as apt's words tell: the lock stayed taken past the wait, a pinned version
 * (or package) is unknown even after `apt-get update`, dpkg failed in a maintainer script or on a file,
 * apt refused (dependencies, a removal it was told not to make), or apt succeeded and yet the packages
 * are not at the pinned versions afterwards.
 */
export type InstallFailureReason =
  | 'lock-timeout'
  | 'version-not-found'
  | 'dpkg-failed'
  | 'apt-failed'
  | 'not-at-pinned-version'
  | 'output-unreadable';

/** apt-get install failed on a host; `output` is the tail of apt's log, for the audit log. */
export class PackageInstallError extends Error {
  readonly code = 'install-failed' as const;
  readonly host: string;
  readonly reason: InstallFailureReason;
  readonly exitCode: number;
  readonly output: string;
  /** The log file on the host that holds apt's whole output. */
  readonly logPath: string | undefined;
  constructor(
    host: string,
    details: {
      reason: InstallFailureReason;
      exitCode: number;
      output: string;
      logPath?: string;
      message: string;
    },
    options?: { cause?: unknown },
  ) {
    super(
      `${host}: apt-get install failed (${details.reason}, exit ${details.exitCode}): ${details.message}`,
      options,
    );
    this.name = 'PackageInstallError';
    this.host = host;
    this.reason = details.reason;
    this.exitCode = details.exitCode;
    this.output = details.output;
    this.logPath = details.logPath;
  }
}
