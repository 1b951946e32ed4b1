CREATE TABLE "actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_id" uuid,
	"team_id" uuid,
	"driver" text,
	"kpi" text,
	"due_on" date,
	"status" text DEFAULT 'planned' NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"source_survey_id" uuid,
	"source_round_id" uuid,
	"signal_id" uuid,
	"outcome" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actions_title" CHECK (length(trim("actions"."title")) between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "comment_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"answer_id" bigint NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comment_replies_body" CHECK (length(trim("comment_replies"."body")) between 1 and 4000)
);
--> statement-breakpoint
CREATE TABLE "report_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"period" date NOT NULL,
	"person_id" uuid NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"period_unit" text NOT NULL,
	"period" date NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"dismissed_reason" text,
	"dismissed_by_id" uuid,
	"dismissed_at" timestamp with time zone,
	"notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signals_dismissed_reason" CHECK ("signals"."status" <> 'dismissed' or length(trim("signals"."dismissed_reason")) > 0)
);
--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "signal_enps_drop" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "signal_kpi_drop_pct" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "signal_response_rate_drop" integer DEFAULT 25 NOT NULL;--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "retention_months" integer;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "weekly_digest" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "reply_token_hash" text;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_source_survey_id_surveys_id_fk" FOREIGN KEY ("source_survey_id") REFERENCES "public"."surveys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_source_round_id_survey_rounds_id_fk" FOREIGN KEY ("source_round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_signal_id_signals_id_fk" FOREIGN KEY ("signal_id") REFERENCES "public"."signals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "actions" ADD CONSTRAINT "actions_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_replies" ADD CONSTRAINT "comment_replies_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comment_replies" ADD CONSTRAINT "comment_replies_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_deliveries" ADD CONSTRAINT "report_deliveries_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signals" ADD CONSTRAINT "signals_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signals" ADD CONSTRAINT "signals_dismissed_by_id_people_id_fk" FOREIGN KEY ("dismissed_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "actions_team_idx" ON "actions" USING btree ("team_id","status");--> statement-breakpoint
CREATE INDEX "actions_owner_idx" ON "actions" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "actions_survey_idx" ON "actions" USING btree ("source_survey_id");--> statement-breakpoint
CREATE UNIQUE INDEX "actions_signal_key" ON "actions" USING btree ("signal_id");--> statement-breakpoint
CREATE INDEX "comment_replies_answer_idx" ON "comment_replies" USING btree ("answer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "report_deliveries_key" ON "report_deliveries" USING btree ("kind","period","person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signals_team_kind_period_key" ON "signals" USING btree ("team_id","kind","period_unit","period");--> statement-breakpoint
CREATE INDEX "signals_status_idx" ON "signals" USING btree ("status","created_at");--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_replyTokenHash_unique" UNIQUE("reply_token_hash");--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_signal_enps_drop" CHECK ("settings"."signal_enps_drop" between 1 and 200);--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_signal_kpi_drop" CHECK ("settings"."signal_kpi_drop_pct" between 1 and 100);--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_signal_response_rate_drop" CHECK ("settings"."signal_response_rate_drop" between 1 and 100);--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_retention_months" CHECK ("settings"."retention_months" is null or "settings"."retention_months" between 6 and 120);