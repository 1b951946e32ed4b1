ALTER TABLE "import_rejections" ADD COLUMN "code" text;--> statement-breakpoint
ALTER TABLE "import_rejections" ADD COLUMN "params" jsonb;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "phase" text;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "bytes_total" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "bytes_read" bigint DEFAULT 0 NOT NULL;