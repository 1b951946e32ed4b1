CREATE TABLE "lead_daily" (
	"owner_id" uuid NOT NULL,
	"day" date NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"converted" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "lead_daily_owner_id_day_pk" PRIMARY KEY("owner_id","day")
);
--> statement-breakpoint
CREATE TABLE "lead_monthly" (
	"owner_id" uuid NOT NULL,
	"month" date NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"converted" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "lead_monthly_owner_id_month_pk" PRIMARY KEY("owner_id","month")
);
--> statement-breakpoint
CREATE TABLE "opportunity_daily" (
	"owner_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"day" date NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"created_won" integer DEFAULT 0 NOT NULL,
	"created_amount" numeric DEFAULT '0' NOT NULL,
	"created_weighted" numeric DEFAULT '0' NOT NULL,
	"won" integer DEFAULT 0 NOT NULL,
	"lost" integer DEFAULT 0 NOT NULL,
	"won_amount" numeric DEFAULT '0' NOT NULL,
	"won_cycle_days" numeric DEFAULT '0' NOT NULL,
	"closed_count" integer DEFAULT 0 NOT NULL,
	"closed_amount" numeric DEFAULT '0' NOT NULL,
	"closed_weighted" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "opportunity_daily_owner_id_currency_day_pk" PRIMARY KEY("owner_id","currency","day")
);
--> statement-breakpoint
CREATE TABLE "opportunity_monthly" (
	"owner_id" uuid NOT NULL,
	"currency" text NOT NULL,
	"month" date NOT NULL,
	"created_count" integer DEFAULT 0 NOT NULL,
	"created_won" integer DEFAULT 0 NOT NULL,
	"created_amount" numeric DEFAULT '0' NOT NULL,
	"created_weighted" numeric DEFAULT '0' NOT NULL,
	"won" integer DEFAULT 0 NOT NULL,
	"lost" integer DEFAULT 0 NOT NULL,
	"won_amount" numeric DEFAULT '0' NOT NULL,
	"won_cycle_days" numeric DEFAULT '0' NOT NULL,
	"closed_count" integer DEFAULT 0 NOT NULL,
	"closed_amount" numeric DEFAULT '0' NOT NULL,
	"closed_weighted" numeric DEFAULT '0' NOT NULL,
	CONSTRAINT "opportunity_monthly_owner_id_currency_month_pk" PRIMARY KEY("owner_id","currency","month")
);
--> statement-breakpoint
CREATE INDEX "lead_daily_day_idx" ON "lead_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "lead_monthly_month_idx" ON "lead_monthly" USING btree ("month");--> statement-breakpoint
CREATE INDEX "opportunity_daily_day_idx" ON "opportunity_daily" USING btree ("day");--> statement-breakpoint
CREATE INDEX "opportunity_monthly_month_idx" ON "opportunity_monthly" USING btree ("month");