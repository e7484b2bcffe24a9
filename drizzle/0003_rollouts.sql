CREATE TABLE "plan_decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL,
	"actor" text NOT NULL,
	"decision" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_hosts" (
	"plan_id" integer NOT NULL,
	"host_id" integer NOT NULL,
	"wave" integer NOT NULL,
	"packages" jsonb NOT NULL,
	CONSTRAINT "plan_hosts_plan_id_host_id_pk" PRIMARY KEY("plan_id","host_id")
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"selector" text NOT NULL,
	"requested_by" text NOT NULL,
	"filters" jsonb NOT NULL,
	"scope" text NOT NULL,
	"wave_spec" text NOT NULL,
	"wave_sizes" jsonb NOT NULL,
	"concurrency" integer,
	"bake_seconds" integer NOT NULL,
	"max_failures" text NOT NULL,
	"max_total_failures" text NOT NULL,
	"reboot" text NOT NULL,
	"auto_rollback" boolean NOT NULL,
	"window" text,
	"skipped" jsonb NOT NULL,
	"environments" jsonb NOT NULL,
	"approvals_required" integer NOT NULL,
	"approvers" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "rollout_hosts" (
	"rollout_id" integer NOT NULL,
	"host_id" integer NOT NULL,
	"wave" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"phase" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"before" jsonb,
	"rebooted" boolean DEFAULT false NOT NULL,
	"error_code" text,
	"error_message" text,
	"failed_check" text,
	"rollback" text,
	"rollback_error" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "rollout_hosts_rollout_id_host_id_pk" PRIMARY KEY("rollout_id","host_id")
);
--> statement-breakpoint
CREATE TABLE "rollouts" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" integer NOT NULL,
	"status" text NOT NULL,
	"current_wave" integer DEFAULT 0 NOT NULL,
	"bake_until" timestamp with time zone,
	"status_reason" text,
	"override" boolean DEFAULT false NOT NULL,
	"acknowledged_failures" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "rollouts_plan_id_unique" UNIQUE("plan_id")
);
--> statement-breakpoint
ALTER TABLE "scan_runs" ADD COLUMN "purpose" text DEFAULT 'scan' NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_decisions" ADD CONSTRAINT "plan_decisions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_hosts" ADD CONSTRAINT "plan_hosts_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_hosts" ADD CONSTRAINT "plan_hosts_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_hosts" ADD CONSTRAINT "rollout_hosts_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_hosts" ADD CONSTRAINT "rollout_hosts_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_decisions_actor_idx" ON "plan_decisions" USING btree ("plan_id","actor","decision");--> statement-breakpoint
CREATE INDEX "rollout_hosts_status_idx" ON "rollout_hosts" USING btree ("rollout_id","status");