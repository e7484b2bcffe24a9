CREATE TABLE "advisories" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"summary" text NOT NULL,
	"aliases" jsonb NOT NULL,
	"cves" jsonb NOT NULL,
	"severity" jsonb NOT NULL,
	"published" timestamp with time zone,
	"modified" timestamp with time zone NOT NULL,
	"withdrawn" timestamp with time zone,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "advisory_affected" (
	"advisory_id" text NOT NULL,
	"ecosystem" text NOT NULL,
	"package" text NOT NULL,
	"ranges" jsonb NOT NULL,
	"versions" jsonb NOT NULL,
	CONSTRAINT "advisory_affected_advisory_id_ecosystem_package_pk" PRIMARY KEY("advisory_id","ecosystem","package")
);
--> statement-breakpoint
CREATE TABLE "epss_scores" (
	"cve" text PRIMARY KEY NOT NULL,
	"probability" real NOT NULL,
	"percentile" real NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feed_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"feed" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"error" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kev_entries" (
	"cve" text PRIMARY KEY NOT NULL,
	"vendor" text NOT NULL,
	"product" text NOT NULL,
	"name" text NOT NULL,
	"date_added" date NOT NULL,
	"due_date" date NOT NULL,
	"known_ransomware" boolean NOT NULL,
	"required_action" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" serial PRIMARY KEY NOT NULL,
	"host_id" integer NOT NULL,
	"package" text NOT NULL,
	"binary_packages" jsonb NOT NULL,
	"vulnerability" text NOT NULL,
	"installed_version" text NOT NULL,
	"fixed_version" text,
	"cves" jsonb NOT NULL,
	"advisories" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"priority" text NOT NULL,
	"decision" text NOT NULL,
	"due_date" date NOT NULL,
	"reasons" jsonb NOT NULL,
	"scores" jsonb NOT NULL,
	"ssvc" jsonb NOT NULL,
	"summary" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "risk_acceptances" (
	"id" serial PRIMARY KEY NOT NULL,
	"cve" text NOT NULL,
	"selector" text NOT NULL,
	"host_ids" jsonb NOT NULL,
	"until" date NOT NULL,
	"reason" text NOT NULL,
	"requested_by" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"deny_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "advisory_affected" ADD CONSTRAINT "advisory_affected_advisory_id_advisories_id_fk" FOREIGN KEY ("advisory_id") REFERENCES "public"."advisories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advisory_affected_lookup_idx" ON "advisory_affected" USING btree ("ecosystem","package");--> statement-breakpoint
CREATE UNIQUE INDEX "findings_identity_idx" ON "findings" USING btree ("host_id","package","vulnerability");--> statement-breakpoint
CREATE INDEX "findings_open_idx" ON "findings" USING btree ("status","priority");--> statement-breakpoint
CREATE INDEX "findings_vulnerability_idx" ON "findings" USING btree ("vulnerability");