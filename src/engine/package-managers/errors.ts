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
