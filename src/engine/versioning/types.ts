/** The sign of a comparison: -1 when the first version is older, 0 when equal, 1 when newer. */
export type Ordering = -1 | 0 | 1;

/** One version scheme (dpkg, rpm, apk): a total order over strings and a syntax check. */
export interface Versioning {
  /**
   * Orders any two strings, valid or not, the way the scheme's own tool does wherever that tool compares
   * them at all. Never throws and never allocates, so matching can call it millions of times.
   */
  compare(a: string, b: string): Ordering;
  /** True when the scheme's tooling accepts the version as written (see the scheme's readme). */
  isValid(version: string): boolean;
}
