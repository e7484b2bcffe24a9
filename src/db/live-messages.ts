import { and, eq, isNull } from 'drizzle-orm';
import type { LiveMessageStore, MessageRef } from '../bot/live/live-messages.js';
import type { Db } from './client.js';
import { liveMessages } from './schema/index.js';

type Platform = (typeof liveMessages.platform.enumValues)[number];

const sameMessage = (platform: Platform, ref: MessageRef) =>
  and(
    eq(liveMessages.platform, platform),
    eq(liveMessages.channel, ref.channel),
    eq(liveMessages.message, ref.message),
  );

/** Live chat messages of one platform, in Postgres. */
export function liveMessageStore(db: Db, platform: Platform): LiveMessageStore {
  return {
    async track(watch, ref) {
      const row = {
        watchKind: watch.kind,
        watchId: watch.id,
        token: ref.token ?? null,
        tokenExpiresAt: ref.tokenExpiresAt ?? null,
        settledAt: null,
      };
      await db
        .insert(liveMessages)
        .values({ platform, channel: ref.channel, message: ref.message, ...row })
        .onConflictDoUpdate({
          target: [liveMessages.platform, liveMessages.channel, liveMessages.message],
          set: row,
        });
    },
    async settle(ref) {
      await db.update(liveMessages).set({ settledAt: new Date() }).where(sameMessage(platform, ref));
    },
    async unsettled() {
      const rows = await db
        .select()
        .from(liveMessages)
        .where(and(eq(liveMessages.platform, platform), isNull(liveMessages.settledAt)));
      return rows.map((row) => ({
        watch: { kind: row.watchKind, id: row.watchId },
        ref: {
          channel: row.channel,
          message: row.message,
          ...(row.token ? { token: row.token } : {}),
          ...(row.tokenExpiresAt ? { tokenExpiresAt: row.tokenExpiresAt } : {}),
        },
      }));
    },
  };
}
