import type { Watch } from '../core/handle.js';
import type { View } from '../core/views.js';
import { EditQueue, RateLimitedError } from './edit-queue.js';
import type { LiveViews } from './live-views.js';

/** A chat message the bot posted and can edit; `token`: Discord's interaction token, while it lasts. */
export interface MessageRef {
  channel: string;
  message: string;
  token?: string;
  tokenExpiresAt?: Date;
}

/** Where live messages are kept so a restarted bot resumes them (Postgres, see src/db/live-messages.ts). */
export interface LiveMessageStore {
  track(watch: Watch, ref: MessageRef): Promise<void>;
  settle(ref: MessageRef): Promise<void>;
  unsettled(): Promise<{ watch: Watch; ref: MessageRef }[]>;
}

/** Edits the message to show the view; throws RateLimitedError when the platform answers 429. */
export type EditMessage = (ref: MessageRef, view: View) => Promise<void>;

const keyOf = (ref: MessageRef) => `${ref.channel}/${ref.message}`;

/**
 * The chat side of live views: each tracked message follows one watched operation, edited through an
 * EditQueue (one edit in flight, latest wins, 429 back-off) and stored until the operation settles.
 * A message that starts following another operation (a button on a card) stops following the first.
 */
export class LiveMessages {
  private readonly following = new Map<string, () => void>();
  private readonly edits: EditQueue<{ ref: MessageRef; view: View; settled: boolean }>;

  constructor(
    private readonly live: LiveViews,
    private readonly store: LiveMessageStore,
    edit: EditMessage,
    onError: (error: unknown) => void,
  ) {
    this.edits = new EditQueue(
      async (_key, { ref, view, settled }) => {
        try {
          await edit(ref, view);
        } catch (error) {
          // A message that cannot take its last state (deleted, say) is not retried at every restart.
          if (settled && !(error instanceof RateLimitedError)) await this.store.settle(ref);
          throw error;
        }
        if (settled) await this.store.settle(ref);
      },
      (_key, error) => onError(error),
    );
  }

  get rateLimited(): number {
    return this.edits.rateLimited;
  }

  async track(watch: Watch, ref: MessageRef): Promise<void> {
    await this.store.track(watch, ref);
    this.follow(watch, ref);
  }

  /**
   * The message now shows `view` (a button's answer replacing its card): it follows `watch` if there is
   * one, or nothing any more.
   */
  async show(ref: MessageRef, view: View, watch?: Watch): Promise<void> {
    this.forget(ref);
    if (watch) await this.track(watch, ref);
    else this.edits.submit(keyOf(ref), { ref, view, settled: true });
  }

  /** Pick up the messages a previous bot process left following unsettled operations. */
  async resume(): Promise<number> {
    const open = await this.store.unsettled();
    for (const { watch, ref } of open) this.follow(watch, ref);
    return open.length;
  }

  /** The message shows something else now (an error, a new card): leave it alone. */
  forget(ref: MessageRef): void {
    const key = keyOf(ref);
    this.following.get(key)?.();
    this.following.delete(key);
  }

  private follow(watch: Watch, ref: MessageRef): void {
    const key = keyOf(ref);
    this.forget(ref);
    const stop = this.live.watch(watch, async (view, settled) => {
      this.edits.submit(key, { ref, view, settled });
      if (settled) this.following.delete(key);
    });
    this.following.set(key, stop);
  }

  async idle(): Promise<void> {
    await this.live.idle();
    await this.edits.idle();
  }

  close(): void {
    for (const stop of this.following.values()) stop();
    this.following.clear();
    this.edits.close();
  }
}
