CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "available_updates" (
	"host_id" integer NOT NULL,
	"name" text NOT NULL,
	"arch" text NOT NULL,
	"installed_version" text NOT NULL,
	"version" text NOT NULL,
	"origin" text NOT NULL,
	"security" boolean NOT NULL,
	CONSTRAINT "available_updates_host_id_name_arch_pk" PRIMARY KEY("host_id","name","arch")
);
--> statement-breakpoint
CREATE TABLE "host_groups" (
	"host_id" integer NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "host_groups_host_id_name_pk" PRIMARY KEY("host_id","name")
);
--> statement-breakpoint
CREATE TABLE "host_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"host_id" integer NOT NULL,
	"key_type" text NOT NULL,
	"key_base64" text NOT NULL,
	"source" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "host_scans" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"host_id" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"os_pretty" text,
	"package_manager" text,
	"installed_count" integer,
	"update_count" integer,
	"security_count" integer,
	"reboot_required" boolean,
	"refreshed" boolean,
	"warnings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "host_tags" (
	"host_id" integer NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "host_tags_host_id_key_pk" PRIMARY KEY("host_id","key")
);
--> statement-breakpoint
CREATE TABLE "hosts" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"port" integer DEFAULT 22 NOT NULL,
	"user" text,
	"key_file" text,
	"become" boolean DEFAULT false NOT NULL,
	"bastion" text,
	"zone" text,
	"vars" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" text DEFAULT 'inventory' NOT NULL,
	"retired_at" timestamp with time zone,
	"os_id" text,
	"os_version" text,
	"os_pretty" text,
	"package_manager" text,
	"last_scan_id" integer,
	"last_scan_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hosts_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "installed_packages" (
	"host_id" integer NOT NULL,
	"name" text NOT NULL,
	"arch" text NOT NULL,
	"version" text NOT NULL,
	"source_name" text NOT NULL,
	"source_version" text NOT NULL,
	CONSTRAINT "installed_packages_host_id_name_arch_version_pk" PRIMARY KEY("host_id","name","arch","version")
);
--> statement-breakpoint
CREATE TABLE "scan_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"selector" text NOT NULL,
	"requested_by" text NOT NULL,
	"refresh" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"total" integer NOT NULL,
	"succeeded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "available_updates" ADD CONSTRAINT "available_updates_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_groups" ADD CONSTRAINT "host_groups_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_keys" ADD CONSTRAINT "host_keys_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_scans" ADD CONSTRAINT "host_scans_run_id_scan_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."scan_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_scans" ADD CONSTRAINT "host_scans_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_tags" ADD CONSTRAINT "host_tags_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "installed_packages" ADD CONSTRAINT "installed_packages_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_subject_idx" ON "audit_log" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "host_groups_name_idx" ON "host_groups" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "host_keys_host_key_idx" ON "host_keys" USING btree ("host_id","key_type","key_base64");--> statement-breakpoint
CREATE UNIQUE INDEX "host_scans_run_host_idx" ON "host_scans" USING btree ("run_id","host_id");--> statement-breakpoint
CREATE INDEX "host_scans_host_idx" ON "host_scans" USING btree ("host_id");--> statement-breakpoint
CREATE INDEX "installed_source_idx" ON "installed_packages" USING btree ("source_name");