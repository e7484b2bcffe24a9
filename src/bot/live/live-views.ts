import type { EngineEvent } from '../../engine/events/index.js';
import type { Watch } from '../core/handle.js';
import { alertView } from '../core/views/index.js';
import type { View } from '../core/views.js';
import { Coalescer } from './coalescer.js';

/**
 * Where an adapter shows a view: a chat message it edits, a terminal it prints to. `settled`: the last
 * update this watcher gets (alerts are always settled).
 */
export type ViewSink = (view: View, settled: boolean) => Promise<void>;

/** A watched operation as it is now; `settled`: it will not change without a new command. */
export type LiveRender = (watch: Watch) => Promise<{ view: View; settled: boolean } | undefined>;

export interface LiveViewOptions {
  /** At most one edit per view per interval (chat platforms rate-limit edits). */
  intervalMs?: number;
  /** Re-read watched operations this often even without events: an event can be lost if a worker dies. */
  pollMs?: number;
}

const keyOf = (watch: Watch) => `${watch.kind}-${watch.id}`;

function eventKey(event: EngineEvent): { key: string; now: boolean } | undefined {
  switch (event.type) {
    case 'scan.progress':
      return { key: `scan-${event.runId}`, now: false };
    case 'scan.finished':
      return { key: `scan-${event.runId}`, now: true };
    case 'rollout.changed':
      return { key: `rollout-${event.rolloutId}`, now: event.final };
    case 'plan.changed':
      return { key: `plan-${event.planId}`, now: false };
    case 'alert':
      return undefined;
  }
}

/**
 * Keeps every message that shows a running operation (a scan, a rollout) up to date: engine events mark
 * it as changed, the coalescer decides when to re-render it from Postgres, and each watcher gets the view.
 */
export class LiveViews {
  private readonly watchers = new Map<string, { watch: Watch; sinks: Set<ViewSink> }>();
  private readonly alertSinks = new Set<ViewSink>();
  private readonly coalescer: Coalescer<string>;
  private readonly poller: NodeJS.Timeout;
  /** Views rendered and sent, for benchmarks and tests of the rate bound. */
  updatesSent = 0;

  constructor(
    private readonly render: LiveRender,
    options: LiveViewOptions = {},
  ) {
    this.coalescer = new Coalescer(options.intervalMs ?? 1000, (key) => this.refresh(key));
    this.poller = setInterval(() => {
      for (const key of this.watchers.keys()) this.coalescer.touch(key);
    }, options.pollMs ?? 5000);
    this.poller.unref();
  }

  watch(watch: Watch, sink: ViewSink): () => void {
    const key = keyOf(watch);
    const entry = this.watchers.get(key) ?? { watch, sinks: new Set() };
    entry.sinks.add(sink);
    this.watchers.set(key, entry);
    // The operation may have settled between the reply and this call: look once right away.
    this.coalescer.touch(key);
    return () => this.unwatch(key, sink);
  }

  onAlert(sink: ViewSink): () => void {
    this.alertSinks.add(sink);
    return () => {
      this.alertSinks.delete(sink);
    };
  }

  async onEvent(event: EngineEvent): Promise<void> {
    if (event.type === 'alert') {
      const view = alertView(event);
      await Promise.all([...this.alertSinks].map((sink) => sink(view, true).catch(() => {})));
      return;
    }
    const target = eventKey(event);
    if (target && this.watchers.has(target.key)) this.coalescer.touch(target.key, target.now);
  }

  private async refresh(key: string): Promise<void> {
    const entry = this.watchers.get(key);
    if (!entry || entry.sinks.size === 0) return;
    const state = await this.render(entry.watch);
    if (!state) return;
    this.updatesSent++;
    await Promise.all([...entry.sinks].map((sink) => sink(state.view, state.settled).catch(() => {})));
    if (state.settled) {
      this.watchers.delete(key);
      this.coalescer.forget(key);
    }
  }

  private unwatch(key: string, sink: ViewSink): void {
    const entry = this.watchers.get(key);
    entry?.sinks.delete(sink);
    if (entry?.sinks.size === 0) {
      this.watchers.delete(key);
      this.coalescer.forget(key);
    }
  }

  async idle(): Promise<void> {
    await this.coalescer.idle();
  }

  close(): void {
    clearInterval(this.poller);
  }
}
