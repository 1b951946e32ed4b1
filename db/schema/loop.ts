import { sql } from 'drizzle-orm'
import { bigint, check, date, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { people, teams } from './people'
import { answers, surveyRounds, surveys } from './surveys'

/**
 * Closing the loop (issue 7): actions taken on results, early-warning signals, replies to comments
 * and the scheduled reports' delivery ledger.
 */

export const actionStatuses = ['planned', 'in_progress', 'done'] as const
export type ActionStatus = (typeof actionStatuses)[number]
export const actionSources = ['driver', 'enps', 'signal', 'manual'] as const

export const signalKinds = ['sentiment_and_kpi', 'response_rate', 'overdue_one_on_ones'] as const
export type SignalKind = (typeof signalKinds)[number]
export const signalStatuses = ['open', 'dismissed', 'actioned'] as const

/**
 * An early-warning signal for one team and one period. (team, kind, period) is unique so the
 * detection job can run any number of times, on any number of workers, and raise a signal once.
 * It is raised only from figures that passed the thresholds, so a suppressed team has none.
 */
export const signals = pgTable(
  'signals',
  {
    id: uuid().primaryKey().defaultRandom(),
    teamId: uuid()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    kind: text({ enum: signalKinds }).notNull(),
    /** 'month' or 'quarter': the period unit the comparison was made in. */
    periodUnit: text({ enum: ['week', 'month', 'quarter'] }).notNull(),
    /** First day (org time zone) of the later of the two periods compared. */
    period: date({ mode: 'string' }).notNull(),
    /** The figures behind it (before/after values, the KPI, the drop), for screens, emails and the API. */
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    status: text({ enum: signalStatuses }).notNull().default('open'),
    dismissedReason: text(),
    dismissedById: uuid().references(() => people.id, { onDelete: 'set null' }),
    dismissedAt: timestamp({ withTimezone: true }),
    /** When hr, leaders and the team's manager were emailed about it (claimed once). */
    notifiedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('signals_team_kind_period_key').on(t.teamId, t.kind, t.periodUnit, t.period),
    index('signals_status_idx').on(t.status, t.createdAt),
    check('signals_dismissed_reason', sql`${t.status} <> 'dismissed' or length(trim(${t.dismissedReason})) > 0`),
  ],
)
export type Signal = typeof signals.$inferSelect

/** An action taken on a result: what will be done, by whom, by when, and what it aims to move. */
export const actions = pgTable(
  'actions',
  {
    id: uuid().primaryKey().defaultRandom(),
    title: text().notNull(),
    description: text().notNull().default(''),
    ownerId: uuid().references(() => people.id, { onDelete: 'set null' }),
    /** The team it is for; null means the whole organisation. */
    teamId: uuid().references(() => teams.id, { onDelete: 'cascade' }),
    /** A driver key (app/responses/drivers.ts) or 'enps'. */
    driver: text(),
    /** A KPI key of the overlay (app/insights/overlay.ts KPI_KEYS). */
    kpi: text(),
    dueOn: date({ mode: 'string' }),
    status: text({ enum: actionStatuses }).notNull().default('planned'),
    source: text({ enum: actionSources }).notNull().default('manual'),
    sourceSurveyId: uuid().references(() => surveys.id, { onDelete: 'set null' }),
    sourceRoundId: uuid().references(() => surveyRounds.id, { onDelete: 'set null' }),
    signalId: uuid().references(() => signals.id, { onDelete: 'set null' }),
    /** "You said, we did": what the team is told on the next round's page and invitation. */
    outcome: text().notNull().default(''),
    startedAt: timestamp({ withTimezone: true }),
    doneAt: timestamp({ withTimezone: true }),
    createdById: uuid().references(() => people.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('actions_team_idx').on(t.teamId, t.status),
    index('actions_owner_idx').on(t.ownerId),
    index('actions_survey_idx').on(t.sourceSurveyId),
    uniqueIndex('actions_signal_key').on(t.signalId),
    check('actions_title', sql`length(trim(${t.title})) between 1 and 200`),
  ],
)
export type Action = typeof actions.$inferSelect

/**
 * A reply from hr or the team's manager to a comment (a text answer). It names the author; the
 * respondent stays unknown to the replier: the comment is addressed through an opaque reference,
 * and the respondent reads replies through the private link of their response.
 */
export const commentReplies = pgTable(
  'comment_replies',
  {
    id: uuid().primaryKey().defaultRandom(),
    answerId: bigint({ mode: 'number' })
      .notNull()
      .references(() => answers.id, { onDelete: 'cascade' }),
    authorId: uuid().references(() => people.id, { onDelete: 'set null' }),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('comment_replies_answer_idx').on(t.answerId), check('comment_replies_body', sql`length(trim(${t.body})) between 1 and 4000`)],
)

/**
 * One row per scheduled report sent: (kind, period, person) is unique, so the weekly digest and the
 * monthly leadership report reach each person once per period whatever the number of workers.
 */
export const reportDeliveries = pgTable(
  'report_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text({ enum: ['weekly_digest', 'leadership_report'] }).notNull(),
    /** First day of the week or month reported on (org time zone). */
    period: date({ mode: 'string' }).notNull(),
    personId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('report_deliveries_key').on(t.kind, t.period, t.personId)],
)
