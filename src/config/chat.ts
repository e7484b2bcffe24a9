import { z } from 'zod';

const slackId = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}[A-Z0-9]{2,30}$`), `a Slack ${what} id (${prefix}…)`);
const snowflake = z.string().regex(/^\d{17,20}$/, 'a Discord id (a snowflake, 17–20 digits)');

/** patchops.yml `slack:` and `discord:`; tokens and secrets stay in the environment. */
export const chatConfigSchemas = {
  slack: z
    .object({
      /** Where failures and alerts go (a channel id, C… or G…). */
      alerts_channel: slackId('[CG]', 'channel').optional(),
      /** The on-call user group (S…) or user (U…) every alert mentions, or `here` / `channel`. */
      alerts_mention: z
        .union([slackId('S', 'user group'), slackId('[UW]', 'user'), z.enum(['here', 'channel'])])
        .optional(),
      /** Slack user group id → patchops group (for `permissions.groups` and approvals). */
      groups: z.record(slackId('S', 'user group'), z.string().min(1)).default({}),
    })
    .strict()
    .prefault({}),
  discord: z
    .object({
      alerts_channel: snowflake.optional(),
      /** The on-call role every alert mentions. */
      alerts_role: snowflake.optional(),
      /** Discord role id → patchops group. */
      roles: z.record(snowflake, z.string().min(1)).default({}),
    })
    .strict()
    .prefault({}),
};

const url = z.url({ protocol: /^https?$/ });

/** The environment variables of the chat adapters; an adapter starts when its credentials are set. */
export const chatEnvShape = {
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'a bot token (xoxb-…)').optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  /** Socket Mode: no public URL needed. */
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'an app-level token (xapp-…)').optional(),
  /** Slack's Web API base (GovSlack, a corporate proxy, tests). */
  SLACK_API_URL: url.optional(),
  /** The HTTP port of Slack's Events API endpoint (`/slack/events`). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APPLICATION_ID: snowflake.optional(),
  /** Register `/patch` in one guild (immediate) rather than globally. */
  DISCORD_GUILD_ID: snowflake.optional(),
  /** Discord's REST base (tests); discord.js adds the API version. */
  DISCORD_API_URL: url.optional(),
};
