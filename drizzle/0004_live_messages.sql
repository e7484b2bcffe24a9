CREATE TABLE "live_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"channel" text NOT NULL,
	"message" text NOT NULL,
	"watch_kind" text NOT NULL,
	"watch_id" integer NOT NULL,
	"token" text,
	"token_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "live_messages_message_idx" ON "live_messages" USING btree ("platform","channel","message");