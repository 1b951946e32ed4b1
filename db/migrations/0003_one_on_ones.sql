CREATE TABLE "one_on_one_action_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pair_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"text" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"due_on" date,
	"done_at" timestamp with time zone,
	"done_meeting_id" uuid,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "one_on_one_agenda_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"text" text NOT NULL,
	"position" integer NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	"added_by_id" uuid,
	"carried_from_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "one_on_one_pairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"manager_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"cadence" text DEFAULT 'biweekly' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "one_on_one_pairs_two_people" CHECK ("one_on_one_pairs"."manager_id" <> "one_on_one_pairs"."report_id")
);
--> statement-breakpoint
CREATE TABLE "one_on_one_private_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"ciphertext" text NOT NULL,
	"iv" text NOT NULL,
	"auth_tag" text NOT NULL,
	"key_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "one_on_ones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pair_id" uuid NOT NULL,
	"manager_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"duration_minutes" smallint DEFAULT 60 NOT NULL,
	"held_at" timestamp with time zone,
	"actual_duration_minutes" smallint,
	"shared_notes" text DEFAULT '' NOT NULL,
	"check_in_score" smallint,
	"check_in_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"summary_sent_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "one_on_ones_duration" CHECK ("one_on_ones"."duration_minutes" between 5 and 480),
	CONSTRAINT "one_on_ones_actual_duration" CHECK ("one_on_ones"."actual_duration_minutes" is null or "one_on_ones"."actual_duration_minutes" between 1 and 480),
	CONSTRAINT "one_on_ones_check_in" CHECK ("one_on_ones"."check_in_score" is null or "one_on_ones"."check_in_score" between 1 and 10)
);
--> statement-breakpoint
ALTER TABLE "one_on_one_action_items" ADD CONSTRAINT "one_on_one_action_items_pair_id_one_on_one_pairs_id_fk" FOREIGN KEY ("pair_id") REFERENCES "public"."one_on_one_pairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_action_items" ADD CONSTRAINT "one_on_one_action_items_meeting_id_one_on_ones_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."one_on_ones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_action_items" ADD CONSTRAINT "one_on_one_action_items_owner_id_people_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_action_items" ADD CONSTRAINT "one_on_one_action_items_done_meeting_id_one_on_ones_id_fk" FOREIGN KEY ("done_meeting_id") REFERENCES "public"."one_on_ones"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_action_items" ADD CONSTRAINT "one_on_one_action_items_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_agenda_items" ADD CONSTRAINT "one_on_one_agenda_items_meeting_id_one_on_ones_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."one_on_ones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_agenda_items" ADD CONSTRAINT "one_on_one_agenda_items_added_by_id_people_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_pairs" ADD CONSTRAINT "one_on_one_pairs_manager_id_people_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_pairs" ADD CONSTRAINT "one_on_one_pairs_report_id_people_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_private_notes" ADD CONSTRAINT "one_on_one_private_notes_meeting_id_one_on_ones_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."one_on_ones"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_one_private_notes" ADD CONSTRAINT "one_on_one_private_notes_author_id_people_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_ones" ADD CONSTRAINT "one_on_ones_pair_id_one_on_one_pairs_id_fk" FOREIGN KEY ("pair_id") REFERENCES "public"."one_on_one_pairs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_ones" ADD CONSTRAINT "one_on_ones_manager_id_people_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_ones" ADD CONSTRAINT "one_on_ones_report_id_people_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_on_ones" ADD CONSTRAINT "one_on_ones_created_by_id_people_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "one_on_one_actions_pair_idx" ON "one_on_one_action_items" USING btree ("pair_id","done_at");--> statement-breakpoint
CREATE INDEX "one_on_one_actions_owner_idx" ON "one_on_one_action_items" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "one_on_one_agenda_meeting_idx" ON "one_on_one_agenda_items" USING btree ("meeting_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "one_on_one_pairs_key" ON "one_on_one_pairs" USING btree ("manager_id","report_id");--> statement-breakpoint
CREATE INDEX "one_on_one_pairs_report_idx" ON "one_on_one_pairs" USING btree ("report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "one_on_one_private_notes_key" ON "one_on_one_private_notes" USING btree ("meeting_id","author_id");--> statement-breakpoint
CREATE INDEX "one_on_one_private_notes_key_id_idx" ON "one_on_one_private_notes" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "one_on_ones_pair_scheduled_idx" ON "one_on_ones" USING btree ("pair_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "one_on_ones_manager_idx" ON "one_on_ones" USING btree ("manager_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "one_on_ones_report_idx" ON "one_on_ones" USING btree ("report_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "one_on_ones_reminder_idx" ON "one_on_ones" USING btree ("scheduled_at") WHERE "one_on_ones"."reminded_at" is null;