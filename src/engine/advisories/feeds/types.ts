import type { EpssScore, KevEntry, NormalizedAdvisory } from '../types.js';

export type FeedKind = 'osv' | 'kev' | 'epss';

/**
 * Receives parsed items in batches. Awaited before more input is read (backpressure), so a handler that
 * writes to a database keeps memory flat. Batches arrive before the input is known to be whole: stage them
 * (a transaction, a staging table) and commit only once `readFeed` has resolved.
 */
export type BatchHandler<T> = (batch: T[]) => void | Promise<void>;

export interface FeedHandlers {
  osv?: BatchHandler<NormalizedAdvisory>;
  kev?: BatchHandler<KevEntry>;
  epss?: BatchHandler<EpssScore>;
}

/** Size and time bounds on untrusted input; every one of them fails the import with a FeedError. */
export interface FeedLimits {
  /** One OSV record: a zip entry, or a .json file holding one record. */
  maxRecordBytes: number;
  /** Anything held whole in memory (a KEV catalog, a .json file holding a list of records). */
  maxDocumentBytes: number;
  /** One line of a CSV feed. */
  maxLineBytes: number;
  /** A file fetched from a URL. */
  maxDownloadBytes: number;
  /** The whole download, connection to last byte. */
  downloadTimeoutMs: number;
}

export const defaultFeedLimits: FeedLimits = {
  maxRecordBytes: 10 * 1024 * 1024,
  maxDocumentBytes: 50 * 1024 * 1024,
  maxLineBytes: 50 * 1024 * 1024,
  // OSV's Ubuntu all.zip is several hundred MB; this only stops a runaway or hostile server.
  maxDownloadBytes: 4 * 1024 * 1024 * 1024,
  downloadTimeoutMs: 10 * 60 * 1000,
};

export interface ReadOptions {
  limits: FeedLimits;
  batchSize: number;
  signal?: AbortSignal;
}

export interface OsvSummary {
  feed: 'osv';
  source: string;
  /** JSON documents read: files or zip entries. */
  documents: number;
  records: number;
  /** Records passed to the handler (withdrawn ones included: the caller must retire them). */
  advisories: number;
  withdrawn: number;
  /** Records with no affected package in a supported ecosystem, by reason. */
  skipped: { unsupportedEcosystem: number; noAffectedPackages: number };
  /** Affected entries dropped because of their ecosystem, counted per ecosystem. */
  skippedEcosystems: Record<string, number>;
  /** Files or zip entries that are not .json (README, directories...). */
  ignoredFiles: number;
  warnings: string[];
}

export interface KevSummary {
  feed: 'kev';
  source: string;
  format: 'json' | 'csv';
  /** Only the JSON catalog carries these. */
  catalogVersion?: string;
  dateReleased?: string;
  entries: number;
  warnings: string[];
}

export interface EpssSummary {
  feed: 'epss';
  source: string;
  rows: number;
  /** From the leading `#model_version:...,score_date:...` line, when present. */
  modelVersion?: string;
  scoreDate?: string;
  compressed: boolean;
  warnings: string[];
}

export type FeedSummary = OsvSummary | KevSummary | EpssSummary;
