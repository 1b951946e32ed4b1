import { sql } from 'drizzle-orm'
import { check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

export const locales = ['en', 'it'] as const
export type Locale = (typeof locales)[number]

/** The organisation's settings: exactly one row (id = 1). */
export const settings = pgTable(
  'settings',
  {
    id: integer().primaryKey().default(1),
    orgName: text().notNull().default('Pulseboard'),
    defaultLocale: text({ enum: locales }).notNull().default('en'),
    timezone: text().notNull().default('Europe/Rome'),
    currency: text().notNull().default('EUR'),
    enpsScale: text({ enum: ['1-10', '0-10'] }).notNull().default('1-10'),
    thresholdScores: integer().notNull().default(5),
    thresholdComments: integer().notNull().default(5),
    winRateConvention: text({ enum: ['closed', 'created'] }).notNull().default('closed'),
    /** Early-warning signals: eNPS fall in points, funnel KPI fall in percent, response-rate fall in points. */
    signalEnpsDrop: integer().notNull().default(15),
    signalKpiDropPct: integer().notNull().default(10),
    signalResponseRateDrop: integer().notNull().default(25),
    /** Data retention in months for responses and comments; null = keep (off by default). */
    retentionMonths: integer(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('settings_singleton', sql`${t.id} = 1`),
    check('settings_threshold_scores', sql`${t.thresholdScores} between 3 and 10`),
    check('settings_threshold_comments', sql`${t.thresholdComments} between 3 and 10 and ${t.thresholdComments} >= ${t.thresholdScores}`),
    check('settings_currency', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('settings_signal_enps_drop', sql`${t.signalEnpsDrop} between 1 and 200`),
    check('settings_signal_kpi_drop', sql`${t.signalKpiDropPct} between 1 and 100`),
    check('settings_signal_response_rate_drop', sql`${t.signalResponseRateDrop} between 1 and 100`),
    check('settings_retention_months', sql`${t.retentionMonths} is null or ${t.retentionMonths} between 6 and 120`),
  ],
)
export type Settings = typeof settings.$inferSelect
