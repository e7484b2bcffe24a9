import { sql } from 'drizzle-orm';
import { integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A chat message that shows a running operation and is kept up to date. Stored so a restarted bot picks
 * up every live view where the last one left it. `token` is Discord's interaction token, usable to edit
 * the message until `token_expires_at`; after that the bot edits its own message.
 */
export const liveMessages = pgTable(
  'live_messages',
  {
    id: serial('id').primaryKey(),
    platform: text('platform', { enum: ['slack', 'discord'] }).notNull(),
    channel: text('channel').notNull(),
    message: text('message').notNull(),
    watchKind: text('watch_kind', { enum: ['scan', 'rollout'] }).notNull(),
    watchId: integer('watch_id').notNull(),
    token: text('token'),
    tokenExpiresAt: timestamp('token_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`now()`),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('live_messages_message_idx').on(t.platform, t.channel, t.message)],
);
