const keptWarnings = 50;

/**
 * Non-fatal oddities (an unparsable CVSS vector, a dangling `fixed` event). A feed with thousands of the
 * same oddity must not turn the summary into megabytes, so only the first ones are kept verbatim.
 */
export class WarningLog {
  private readonly kept: string[] = [];
  private dropped = 0;

  add(message: string): void {
    if (this.kept.length < keptWarnings) this.kept.push(message);
    else this.dropped++;
  }

  list(): string[] {
    return this.dropped === 0 ? [...this.kept] : [...this.kept, `... and ${this.dropped} more warnings`];
  }
}
