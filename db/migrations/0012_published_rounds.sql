CREATE TABLE "round_cells" (
	"round_id" uuid NOT NULL,
	"group_key" text NOT NULL,
	"measure" text NOT NULL,
	"n" integer NOT NULL,
	"answers" integer NOT NULL,
	"total" double precision NOT NULL,
	"favourable" integer NOT NULL,
	"promoters" integer NOT NULL,
	"passives" integer NOT NULL,
	"detractors" integer NOT NULL,
	"y_squares" double precision NOT NULL,
	"y_times_m" double precision NOT NULL,
	"m_squares" double precision NOT NULL,
	"distribution" jsonb,
	"shown" boolean NOT NULL,
	"reason" text,
	CONSTRAINT "round_cells_round_id_group_key_measure_pk" PRIMARY KEY("round_id","group_key","measure")
);
--> statement-breakpoint
CREATE TABLE "round_groups" (
	"round_id" uuid NOT NULL,
	"group_key" text NOT NULL,
	"kind" text NOT NULL,
	"team_id" uuid,
	"parent_key" text,
	"name" text NOT NULL,
	"depth" integer NOT NULL,
	"invited" integer NOT NULL,
	"respondents" integer NOT NULL,
	"shown" boolean NOT NULL,
	"reason" text,
	"comments_shown" boolean NOT NULL,
	"comments_reason" text,
	CONSTRAINT "round_groups_round_id_group_key_pk" PRIMARY KEY("round_id","group_key")
);
--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "group_path" text[];--> statement-breakpoint
ALTER TABLE "survey_rounds" ADD COLUMN "frozen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "round_cells" ADD CONSTRAINT "round_cells_round_id_survey_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_groups" ADD CONSTRAINT "round_groups_round_id_survey_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."survey_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "round_cells_group_idx" ON "round_cells" USING btree ("group_key","measure","round_id");--> statement-breakpoint
CREATE INDEX "round_cells_shown_idx" ON "round_cells" USING btree ("round_id") WHERE "round_cells"."shown";--> statement-breakpoint
CREATE INDEX "round_groups_group_idx" ON "round_groups" USING btree ("group_key","round_id");--> statement-breakpoint
CREATE INDEX "survey_rounds_unfrozen_idx" ON "survey_rounds" USING btree ("closes_at") WHERE "survey_rounds"."status" = 'closed' and "survey_rounds"."frozen_at" is null;