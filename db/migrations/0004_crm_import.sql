ALTER TABLE "import_runs" ALTER COLUMN "kind" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "import_runs" ALTER COLUMN "source" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "file_path" text;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "exported_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "converted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "opportunities" ADD COLUMN "stage_label" text;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_converted_has_flag" CHECK ("leads"."converted_at" is null or "leads"."converted");