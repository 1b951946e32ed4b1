import { sql } from 'drizzle-orm'
import { bigint, bigserial, boolean, check, date, index, integer, jsonb, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { people, teams } from './people'

export const crmSources = ['salesforce', 'hubspot', 'pipedrive', 'api', 'csv'] as const
export type CrmSource = (typeof crmSources)[number]
export const opportunityStatuses = ['open', 'won', 'lost'] as const
export const importKinds = ['opportunities', 'leads'] as const
export type ImportKind = (typeof importKinds)[number]
export const importStatuses = ['uploaded', 'previewing', 'mapping', 'previewed', 'committing', 'committed', 'failed'] as const
export type ImportStatus = (typeof importStatuses)[number]
/** reading: the file into the staging table; checking: counts against stored rows; merging: the commit's writes. */
export const importPhases = ['reading', 'checking', 'merging'] as const
export type ImportPhase = (typeof importPhases)[number]

/**
 * One upload (or API batch): its counts, progress and outcome. Rejected rows are in import_rejections.
 * kind and source stay null until the file has been recognised.
 */
export const importRuns = pgTable('import_runs', {
  id: uuid().primaryKey().defaultRandom(),
  kind: text({ enum: importKinds }),
  source: text({ enum: crmSources }),
  filename: text(),
  /** The uploaded file under DATA_DIR/uploads, read again at commit; deleted once committed. */
  filePath: text(),
  /** The export's own date (from the file name) — stage changes seen by this import are dated so. */
  exportedAt: timestamp({ withTimezone: true }),
  status: text({ enum: importStatuses }).notNull().default('uploaded'),
  rowsTotal: integer().notNull().default(0),
  rowsProcessed: integer().notNull().default(0),
  /** Live progress, written outside the import's transaction: the step in progress and how far into the file it is. */
  phase: text({ enum: importPhases }),
  bytesTotal: bigint({ mode: 'number' }).notNull().default(0),
  bytesRead: bigint({ mode: 'number' }).notNull().default(0),
  created: integer().notNull().default(0),
  updated: integer().notNull().default(0),
  unchanged: integer().notNull().default(0),
  rejected: integer().notNull().default(0),
  error: text(),
  details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  createdById: uuid().references(() => people.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp({ withTimezone: true }),
})

export const importRejections = pgTable(
  'import_rejections',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    runId: uuid()
      .notNull()
      .references(() => importRuns.id, { onDelete: 'cascade' }),
    line: integer().notNull(),
    /** In English, naming the file's column: what the API and rows written before codes existed show. */
    reason: text().notNull(),
    /** The reason as a code and its parameters, rendered in the viewer's language; null on older rows. */
    code: text(),
    params: jsonb().$type<Record<string, string | number>>(),
  },
  (t) => [index('import_rejections_run_idx').on(t.runId, t.line)],
)

/** A saved column mapping per source and kind, reused for the next upload. */
export const columnMappings = pgTable(
  'column_mappings',
  {
    id: uuid().primaryKey().defaultRandom(),
    source: text().notNull(),
    kind: text({ enum: ['opportunities', 'leads'] }).notNull(),
    mapping: jsonb().$type<Record<string, string>>().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('column_mappings_source_kind_key').on(t.source, t.kind)],
)

/** CRM owner key (lower-cased name, email or id as the export shows it) → person. */
export const ownerMappings = pgTable(
  'owner_mappings',
  {
    ownerKey: text().primaryKey(),
    personId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('owner_mappings_person_idx').on(t.personId)],
)

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    cost: numeric({ precision: 16, scale: 2 }),
    currency: text().notNull().default('EUR'),
    startedOn: date({ mode: 'string' }),
    endedOn: date({ mode: 'string' }),
  },
  (t) => [uniqueIndex('campaigns_name_key').on(sql`lower(${t.name})`), check('campaigns_cost', sql`${t.cost} is null or ${t.cost} >= 0`)],
)

export const leads = pgTable(
  'leads',
  {
    id: uuid().primaryKey().defaultRandom(),
    source: text({ enum: crmSources }).notNull(),
    externalId: text().notNull(),
    ownerKey: text().notNull(),
    /** Resolved from owner_mappings or people.crm_owner_keys; null while the owner is unmapped. */
    ownerId: uuid().references(() => people.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    /** Converted to an opportunity; true whenever convertedAt is set (some exports give only the flag). */
    converted: boolean().notNull().default(false),
    convertedAt: timestamp({ withTimezone: true }),
    status: text(),
    leadSource: text(),
    industry: text(),
    campaign: text(),
    lastImportRunId: uuid(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('leads_source_external_key').on(t.source, t.externalId),
    index('leads_owner_created_idx').on(t.ownerId, t.createdAt),
    index('leads_owner_key_idx').on(t.ownerKey),
    check('leads_converted_after_created', sql`${t.convertedAt} is null or ${t.convertedAt} >= ${t.createdAt}`),
    check('leads_converted_has_flag', sql`${t.convertedAt} is null or ${t.converted}`),
  ],
)

export const opportunities = pgTable(
  'opportunities',
  {
    id: uuid().primaryKey().defaultRandom(),
    source: text({ enum: crmSources }).notNull(),
    externalId: text().notNull(),
    ownerKey: text().notNull(),
    ownerId: uuid().references(() => people.id, { onDelete: 'set null' }),
    name: text(),
    account: text(),
    amount: numeric({ precision: 16, scale: 2 }).notNull(),
    currency: text().notNull(),
    /** funnel_stages.key when the CRM label maps to a configured stage, else the label as exported. */
    stage: text(),
    /** The stage label exactly as the CRM exported it. */
    stageLabel: text(),
    status: text({ enum: opportunityStatuses }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    closedAt: timestamp({ withTimezone: true }),
    expectedCloseOn: date({ mode: 'string' }),
    leadSource: text(),
    industry: text(),
    campaign: text(),
    probability: numeric({ precision: 5, scale: 4 }),
    pipeline: text().notNull().default('default'),
    lastImportRunId: uuid(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('opportunities_source_external_key').on(t.source, t.externalId),
    index('opportunities_owner_created_idx').on(t.ownerId, t.createdAt),
    index('opportunities_owner_closed_idx').on(t.ownerId, t.closedAt),
    index('opportunities_owner_key_idx').on(t.ownerKey),
    check('opportunities_amount_not_negative', sql`${t.amount} >= 0`),
    check('opportunities_closed_after_created', sql`${t.closedAt} is null or ${t.closedAt} >= ${t.createdAt}`),
    check('opportunities_closed_has_date', sql`${t.status} = 'open' or ${t.closedAt} is not null`),
    check('opportunities_currency', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('opportunities_probability', sql`${t.probability} is null or ${t.probability} between 0 and 1`),
  ],
)
export type Opportunity = typeof opportunities.$inferSelect

/**
 * The funnel rollups (docs/decisions/0007-funnel-rollups-by-statement-triggers.md): per owner, currency and organisation-local day and month, kept by
 * statement triggers on opportunities (migration 0009) in the same transaction as every write —
 * imports, the API, owner mapping, erasure — and rebuilt when the time zone or the stage
 * probabilities change. The KPI engine reads them instead of every deal.
 *
 * A deal adds to its created day (created_*) and, once closed, to its closed day (won/lost figures
 * and closed_*, what leaves the open pipeline), so the pipeline open at the end of a day is the sum
 * of created_* minus closed_* up to it. Weighted figures use the stage probability in force.
 */
const opportunityFigures = () => ({
  createdCount: integer().notNull().default(0),
  /** Of the deals created in the bucket, those won (whenever they closed): the "won ÷ created" convention. */
  createdWon: integer().notNull().default(0),
  createdAmount: numeric().notNull().default('0'),
  createdWeighted: numeric().notNull().default('0'),
  won: integer().notNull().default(0),
  lost: integer().notNull().default(0),
  wonAmount: numeric().notNull().default('0'),
  /** Sum over the deals won in the bucket of their sales cycle in days (for the mean). */
  wonCycleDays: numeric().notNull().default('0'),
  closedCount: integer().notNull().default(0),
  closedAmount: numeric().notNull().default('0'),
  closedWeighted: numeric().notNull().default('0'),
})

export const opportunityDaily = pgTable(
  'opportunity_daily',
  { ownerId: uuid().notNull(), currency: text().notNull(), day: date({ mode: 'string' }).notNull(), ...opportunityFigures() },
  (t) => [primaryKey({ columns: [t.ownerId, t.currency, t.day] }), index('opportunity_daily_day_idx').on(t.day)],
)

/** The same figures per calendar month (month = its first day): whole months of a window are read from here. */
export const opportunityMonthly = pgTable(
  'opportunity_monthly',
  { ownerId: uuid().notNull(), currency: text().notNull(), month: date({ mode: 'string' }).notNull(), ...opportunityFigures() },
  (t) => [primaryKey({ columns: [t.ownerId, t.currency, t.month] }), index('opportunity_monthly_month_idx').on(t.month)],
)

/** Leads per owner and organisation-local day (and month), kept like opportunity_daily. */
export const leadDaily = pgTable(
  'lead_daily',
  { ownerId: uuid().notNull(), day: date({ mode: 'string' }).notNull(), created: integer().notNull().default(0), converted: integer().notNull().default(0) },
  (t) => [primaryKey({ columns: [t.ownerId, t.day] }), index('lead_daily_day_idx').on(t.day)],
)

export const leadMonthly = pgTable(
  'lead_monthly',
  { ownerId: uuid().notNull(), month: date({ mode: 'string' }).notNull(), created: integer().notNull().default(0), converted: integer().notNull().default(0) },
  (t) => [primaryKey({ columns: [t.ownerId, t.month] }), index('lead_monthly_month_idx').on(t.month)],
)

/** A stage change seen between two imports, dated when it was seen (or by the CRM when it says). */
export const stageHistory = pgTable(
  'opportunity_stage_history',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    opportunityId: uuid()
      .notNull()
      .references(() => opportunities.id, { onDelete: 'cascade' }),
    fromStage: text(),
    toStage: text().notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index('stage_history_opportunity_idx').on(t.opportunityId, t.changedAt)],
)

/** The configured funnel per pipeline: order, probability, and the CRM labels that map to each stage. */
export const funnelStages = pgTable(
  'funnel_stages',
  {
    id: uuid().primaryKey().defaultRandom(),
    pipeline: text().notNull().default('default'),
    key: text().notNull(),
    name: text().notNull(),
    position: smallint().notNull(),
    probability: numeric({ precision: 5, scale: 4 }).notNull(),
    labels: text().array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [uniqueIndex('funnel_stages_pipeline_key').on(t.pipeline, t.key), uniqueIndex('funnel_stages_pipeline_position').on(t.pipeline, t.position)],
)

/** A target per person or team, per month or quarter (quota attainment = won amount ÷ target). */
export const kpiTargets = pgTable(
  'kpi_targets',
  {
    id: uuid().primaryKey().defaultRandom(),
    personId: uuid().references(() => people.id, { onDelete: 'cascade' }),
    teamId: uuid().references(() => teams.id, { onDelete: 'cascade' }),
    period: text({ enum: ['month', 'quarter'] }).notNull(),
    periodStart: date({ mode: 'string' }).notNull(),
    metric: text().notNull().default('won_amount'),
    value: numeric({ precision: 16, scale: 2 }).notNull(),
    currency: text().notNull().default('EUR'),
  },
  (t) => [
    check('kpi_targets_one_owner', sql`(${t.personId} is null) <> (${t.teamId} is null)`),
    uniqueIndex('kpi_targets_key').on(sql`coalesce(${t.personId}, ${t.teamId})`, t.period, t.periodStart, t.metric),
  ],
)

/** Published industry figures shown beside the organisation's own; each with its source. */
export const benchmarks = pgTable('benchmarks', {
  id: uuid().primaryKey().defaultRandom(),
  metric: text().notNull(),
  value: numeric({ precision: 16, scale: 4 }).notNull(),
  unit: text().notNull(),
  segment: text(),
  source: text().notNull(),
  sourceUrl: text(),
  year: smallint(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
})
