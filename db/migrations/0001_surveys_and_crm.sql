CREATE TABLE "answers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"response_id" uuid NOT NULL,
	"question_key" text NOT NULL,
	"type" text NOT NULL,
	"driver" text,
	"value_number" smallint,
	"value_text" text
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"delivery_status" text DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"reminders_sent" smallint DEFAULT 0 NOT NULL,
	"last_reminded_at" timestamp with time zone,
	"responded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_tokenHash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"person_id" uuid,
	"invitation_id" uuid,
	"team_id" uuid,
	"submitted_on" date NOT NULL,
	"imported" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"type" text NOT NULL,
	"driver" text,
	"required" boolean DEFAULT true NOT NULL,
	"text" jsonb NOT NULL,
	"options" jsonb,
	"bank_key" text,
	CONSTRAINT "survey_questions_at_most_ten" CHECK ("survey_questions"."position" between 1 and 10)
);
--> statement-breakpoint
CREATE TABLE "survey_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"questions" jsonb NOT NULL,
	"privacy" text NOT NULL,
	"threshold_scores" smallint NOT NULL,
	"threshold_comments" smallint NOT NULL,
	"audience_size" integer DEFAULT 0 NOT NULL,
	"imported" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"privacy" text DEFAULT 'confidential' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"cadence" text DEFAULT 'once' NOT NULL,
	"send_day" smallint DEFAULT 1 NOT NULL,
	"send_time" text DEFAULT '09:00' NOT NULL,
	"starts_on" date,
	"response_window_days" smallint DEFAULT 5 NOT NULL,
	"reminder_days" smallint[] DEFAULT '{2,4}'::smallint[] NOT NULL,
	"quiet_periods" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"audience" jsonb DEFAULT '{"type":"everyone"}'::jsonb NOT NULL,
	"next_due_at" timestamp with time zone,
	"imported" boolean DEFAULT false NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "surveys_window" CHECK ("surveys"."response_window_days" between 1 and 90),
	CONSTRAINT "surveys_send_time" CHECK ("surveys"."send_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "benchmarks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"metric" text NOT NULL,
	"value" numeric(16, 4) NOT NULL,
	"unit" text NOT NULL,
	"segment" text,
	"source" text NOT NULL,
	"source_url" text,
	"year" smallint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"cost" numeric(16, 2),
	"currency" text DEFAULT 'EUR' NOT NULL,
	"started_on" date,
	"ended_on" date,
	CONSTRAINT "campaigns_cost" CHECK ("campaigns"."cost" is null or "campaigns"."cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "column_mappings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "funnel_stages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pipeline" text DEFAULT 'default' NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"position" smallint NOT NULL,
	"probability" numeric(5, 4) NOT NULL,
	"labels" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_rejections" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" uuid NOT NULL,
	"line" integer NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"filename" text,
	"status" text DEFAULT 'uploaded' NOT NULL,
	"rows_total" integer DEFAULT 0 NOT NULL,
	"rows_processed" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"error" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kpi_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid,
	"team_id" uuid,
	"period" text NOT NULL,
	"period_start" date NOT NULL,
	"metric" text DEFAULT 'won_amount' NOT NULL,
	"value" numeric(16, 2) NOT NULL,
	"currency" text DEFAULT 'EUR' NOT NULL,
	CONSTRAINT "kpi_targets_one_owner" CHECK (("kpi_targets"."person_id" is null) <> ("kpi_targets"."team_id" is null))
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"owner_key" text NOT NULL,
	"owner_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"converted_at" timestamp with time zone,
	"status" text,
	"lead_source" text,
	"industry" text,
	"campaign" text,
	"last_import_run_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leads_converted_after_created" CHECK ("leads"."converted_at" is null or "leads"."converted_at" >= "leads"."created_at")
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"owner_key" text NOT NULL,
	"owner_id" uuid,
	"name" text,
	"account" text,
	"amount" numeric(16, 2) NOT NULL,
	"currency" text NOT NULL,
	"stage" text,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"expected_close_on" date,
	"lead_source" text,
	"industry" text,
	"campaign" text,
	"probability" numeric(5, 4),
	"pipeline" text DEFAULT 'default' NOT NULL,
	"last_import_run_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunities_amount_not_negative" CHECK ("opportunities"."amount" >= 0),
	CONSTRAINT "opportunities_closed_after_created" CHECK ("opportunities"."closed_at" is null or "opportunities"."closed_at" >= "opportunities"."created_at"),
	CONSTRAINT "opportunities_closed_has_date" CHECK ("opportunities"."status" = 'open' or "opportunities"."closed_at" is not null),
	CONSTRAINT "opportunities_currency" CHECK ("opportunities"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "opportunities_probability" CHECK ("opportunities"."probability" is null or "opportunities"."probability" between 0 and 1)
);
--> statement-breakpoint
CREATE TABLE "owner_mappings" (
	"owner_key" text PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opportunity_stage_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_round_id_survey_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_round_id_survey_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questions" ADD CONSTRAINT "survey_questions_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_rounds" ADD CONSTRAINT "survey_rounds_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surveys" ADD CONSTRAINT "surveys_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rejections" ADD CONSTRAINT "import_rejections_run_id_import_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."import_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_targets" ADD CONSTRAINT "kpi_targets_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_targets" ADD CONSTRAINT "kpi_targets_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "owner_mappings" ADD CONSTRAINT "owner_mappings_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_stage_history" ADD CONSTRAINT "opportunity_stage_history_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answers_response_idx" ON "answers" USING btree ("response_id");--> statement-breakpoint
CREATE INDEX "answers_driver_idx" ON "answers" USING btree ("driver");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_round_person_key" ON "invitations" USING btree ("round_id","person_id");--> statement-breakpoint
CREATE INDEX "invitations_person_idx" ON "invitations" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "responses_invitation_key" ON "responses" USING btree ("invitation_id");--> statement-breakpoint
CREATE INDEX "responses_round_idx" ON "responses" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "responses_person_idx" ON "responses" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "responses_team_day_idx" ON "responses" USING btree ("team_id","submitted_on");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_questions_position_key" ON "survey_questions" USING btree ("survey_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_rounds_due_key" ON "survey_rounds" USING btree ("survey_id","due_at");--> statement-breakpoint
CREATE INDEX "survey_rounds_closes_idx" ON "survey_rounds" USING btree ("status","closes_at");--> statement-breakpoint
CREATE INDEX "surveys_next_due_idx" ON "surveys" USING btree ("next_due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_name_key" ON "campaigns" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "column_mappings_source_kind_key" ON "column_mappings" USING btree ("source","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "funnel_stages_pipeline_key" ON "funnel_stages" USING btree ("pipeline","key");--> statement-breakpoint
CREATE UNIQUE INDEX "funnel_stages_pipeline_position" ON "funnel_stages" USING btree ("pipeline","position");--> statement-breakpoint
CREATE INDEX "import_rejections_run_idx" ON "import_rejections" USING btree ("run_id","line");--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_targets_key" ON "kpi_targets" USING btree (coalesce("person_id", "team_id"),"period","period_start","metric");--> statement-breakpoint
CREATE UNIQUE INDEX "leads_source_external_key" ON "leads" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "leads_owner_created_idx" ON "leads" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "leads_owner_key_idx" ON "leads" USING btree ("owner_key");--> statement-breakpoint
CREATE UNIQUE INDEX "opportunities_source_external_key" ON "opportunities" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "opportunities_owner_created_idx" ON "opportunities" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "opportunities_owner_closed_idx" ON "opportunities" USING btree ("owner_id","closed_at");--> statement-breakpoint
CREATE INDEX "opportunities_owner_key_idx" ON "opportunities" USING btree ("owner_key");--> statement-breakpoint
CREATE INDEX "owner_mappings_person_idx" ON "owner_mappings" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "stage_history_opportunity_idx" ON "opportunity_stage_history" USING btree ("opportunity_id","changed_at");