import type { EngineEvent } from '../../engine/events/index.js';
import type { BotPorts } from '../core/handle.js';
import { alertView, scanView } from '../core/views/index.js';
import { isFinishedRun, type View } from '../core/views.js';
import { Coalescer } from './coalescer.js';

/** Where an adapter shows a view: a chat message it edits, a terminal it prints to. */
export type ViewSink = (view: View) => Promise<void>;

export interface LiveViewOptions {
  /** At most one edit per view per interval (chat platforms rate-limit edits). */
  intervalMs?: number;
  /** Re-read watched runs this often even without events: an event can be lost if a worker dies. */
  pollMs?: number;
}

/**
 * Keeps every message that shows a running operation up to date: engine events mark a run as changed,
 * the coalescer decides when to re-render it from Postgres, and each watcher gets the new view.
 */
export class LiveViews {
  private readonly watchers = new Map<number, Set<ViewSink>>();
  private readonly alertSinks = new Set<ViewSink>();
  private readonly coalescer: Coalescer<number>;
  private readonly poller: NodeJS.Timeout;
  /** Views rendered and sent, for benchmarks and tests of the rate bound. */
  updatesSent = 0;

  constructor(
    private readonly ports: Pick<BotPorts, 'scanRun'>,
    options: LiveViewOptions = {},
  ) {
    this.coalescer = new Coalescer(options.intervalMs ?? 1000, (runId) => this.render(runId));
    this.poller = setInterval(() => {
      for (const runId of this.watchers.keys()) this.coalescer.touch(runId);
    }, options.pollMs ?? 5000);
    this.poller.unref();
  }

  watch(runId: number, sink: ViewSink): () => void {
    const sinks = this.watchers.get(runId) ?? new Set();
    sinks.add(sink);
    this.watchers.set(runId, sinks);
    // The run may have finished between the reply and this call: look once right away.
    this.coalescer.touch(runId);
    return () => this.unwatch(runId, sink);
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
      await Promise.all([...this.alertSinks].map((sink) => sink(view).catch(() => {})));
      return;
    }
    if (this.watchers.has(event.runId)) this.coalescer.touch(event.runId, event.type === 'scan.finished');
  }

  private async render(runId: number): Promise<void> {
    const sinks = this.watchers.get(runId);
    if (!sinks || sinks.size === 0) return;
    const state = await this.ports.scanRun(runId);
    if (!state) return;
    const view = scanView(state.run, state.hosts);
    this.updatesSent++;
    await Promise.all([...sinks].map((sink) => sink(view).catch(() => {})));
    if (isFinishedRun(state.run)) {
      this.watchers.delete(runId);
      this.coalescer.forget(runId);
    }
  }

  private unwatch(runId: number, sink: ViewSink): void {
    const sinks = this.watchers.get(runId);
    sinks?.delete(sink);
    if (sinks?.size === 0) {
      this.watchers.delete(runId);
      this.coalescer.forget(runId);
    }
  }

  async idle(): Promise<void> {
    await this.coalescer.idle();
  }

  close(): void {
    clearInterval(this.poller);
  }
}
