import { sql } from 'drizzle-orm'
import { bigserial, boolean, check, date, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { people, teams } from './people'

export const surveyKinds = ['pulse', 'enps'] as const
export const privacyModes = ['anonymous', 'confidential', 'identified'] as const
export const cadences = ['once', 'weekly', 'biweekly', 'monthly', 'quarterly'] as const
export const questionTypes = ['enps', 'agreement', 'rating', 'choice', 'text'] as const
export type PrivacyMode = (typeof privacyModes)[number]
export type QuestionType = (typeof questionTypes)[number]

/** Text in both languages. */
export type Bilingual = { en: string; it: string }
export type Audience = { type: 'everyone' } | { type: 'teams'; teamIds: string[] } | { type: 'people'; personIds: string[] }
export type QuietPeriod = { from: string; to: string; label?: string }
/** A question as frozen into a round at launch. */
export type FrozenQuestion = { id: string; position: number; type: QuestionType; driver: string | null; required: boolean; text: Bilingual; options?: Bilingual[]; bankKey?: string | null; scale?: '1-10' | '0-10' }

export const surveys = pgTable(
  'surveys',
  {
    id: uuid().primaryKey().defaultRandom(),
    title: text().notNull(),
    kind: text({ enum: surveyKinds }).notNull(),
    privacy: text({ enum: privacyModes }).notNull().default('confidential'),
    status: text({ enum: ['draft', 'active', 'paused', 'ended'] }).notNull().default('draft'),
    cadence: text({ enum: cadences }).notNull().default('once'),
    /** ISO weekday 1–7 for weekly cadences; day of month 1–31 for monthly and quarterly (clamped to the month's last day). */
    sendDay: smallint().notNull().default(1),
    sendTime: text().notNull().default('09:00'),
    startsOn: date({ mode: 'string' }),
    responseWindowDays: smallint().notNull().default(5),
    reminderDays: smallint().array().notNull().default(sql`'{2,4}'::smallint[]`),
    quietPeriods: jsonb().$type<QuietPeriod[]>().notNull().default([]),
    audience: jsonb().$type<Audience>().notNull().default({ type: 'everyone' }),
    /** The next time a round is due (UTC), kept by the scheduler. */
    nextDueAt: timestamp({ withTimezone: true }),
    imported: boolean().notNull().default(false),
    createdById: uuid().references(() => people.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('surveys_window', sql`${t.responseWindowDays} between 1 and 90`),
    check('surveys_send_time', sql`${t.sendTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`),
    // At most three reminders (the designer and the API say so in words first).
    check('surveys_reminders_at_most_three', sql`coalesce(cardinality(${t.reminderDays}), 0) <= 3`),
    index('surveys_next_due_idx').on(t.nextDueAt),
  ],
)
export type Survey = typeof surveys.$inferSelect

export const surveyQuestions = pgTable(
  'survey_questions',
  {
    id: uuid().primaryKey().defaultRandom(),
    surveyId: uuid()
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    position: smallint().notNull(),
    type: text({ enum: questionTypes }).notNull(),
    driver: text(),
    required: boolean().notNull().default(true),
    text: jsonb().$type<Bilingual>().notNull(),
    options: jsonb().$type<Bilingual[]>(),
    bankKey: text(),
  },
  (t) => [
    // At most ten questions: positions 1..10, one question per position.
    check('survey_questions_at_most_ten', sql`${t.position} between 1 and 10`),
    uniqueIndex('survey_questions_position_key').on(t.surveyId, t.position),
  ],
)

export const surveyRounds = pgTable(
  'survey_rounds',
  {
    id: uuid().primaryKey().defaultRandom(),
    surveyId: uuid()
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    /** The scheduled time this round answers to: unique per survey, so two schedulers make one round. */
    dueAt: timestamp({ withTimezone: true }).notNull(),
    opensAt: timestamp({ withTimezone: true }).notNull(),
    closesAt: timestamp({ withTimezone: true }).notNull(),
    status: text({ enum: ['open', 'closed'] }).notNull().default('open'),
    questions: jsonb().$type<FrozenQuestion[]>().notNull(),
    privacy: text({ enum: privacyModes }).notNull(),
    thresholdScores: smallint().notNull(),
    thresholdComments: smallint().notNull(),
    audienceSize: integer().notNull().default(0),
    imported: boolean().notNull().default(false),
    /** When the round's published figures were stored (round_groups, round_cells); null while open or not yet frozen. */
    frozenAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('survey_rounds_due_key').on(t.surveyId, t.dueAt), index('survey_rounds_closes_idx').on(t.status, t.closesAt),
    // Closed rounds still to freeze: the published layer's sweep reads them through this index.
    index('survey_rounds_unfrozen_idx').on(t.closesAt).where(sql`${t.status} = 'closed' and ${t.frozenAt} is null`),
  ],
)
export type SurveyRound = typeof surveyRounds.$inferSelect

export const invitations = pgTable(
  'invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    roundId: uuid()
      .notNull()
      .references(() => surveyRounds.id, { onDelete: 'cascade' }),
    personId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /**
     * SHA-256 of the survey link's token. Null until the send job creates the token, so the plain
     * token exists only in the email (and a fresh one replaces it when /me re-issues a link).
     */
    tokenHash: text().unique(),
    /** pending → sending (claimed by one send job) → sent | failed (retried) | rejected (refused by SMTP, final). */
    deliveryStatus: text({ enum: ['pending', 'sending', 'sent', 'failed', 'rejected'] }).notNull().default('pending'),
    attempts: smallint().notNull().default(0),
    /** When a send job claimed it; a claim older than the job's expiry may be taken over (a killed worker). */
    claimedAt: timestamp({ withTimezone: true }),
    lastError: text(),
    sentAt: timestamp({ withTimezone: true }),
    remindersSent: smallint().notNull().default(0),
    lastRemindedAt: timestamp({ withTimezone: true }),
    respondedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('invitations_round_person_key').on(t.roundId, t.personId), index('invitations_person_idx').on(t.personId)],
)

/**
 * Further links to one invitation: each reminder and each link issued from /me carries its own
 * token, so the earlier emails' links keep working. Only hashes are stored.
 */
export const invitationLinks = pgTable(
  'invitation_links',
  {
    tokenHash: text().primaryKey(),
    invitationId: uuid()
      .notNull()
      .references(() => invitations.id, { onDelete: 'cascade' }),
    purpose: text({ enum: ['reminder', 'me'] }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('invitation_links_invitation_idx').on(t.invitationId)],
)

/**
 * A submitted response. In anonymous mode person_id and invitation_id stay null and only the
 * team at the time and the day are kept (docs/privacy.md).
 */
export const responses = pgTable(
  'responses',
  {
    id: uuid().primaryKey().defaultRandom(),
    surveyId: uuid()
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    roundId: uuid()
      .notNull()
      .references(() => surveyRounds.id, { onDelete: 'cascade' }),
    personId: uuid().references(() => people.id, { onDelete: 'set null' }),
    invitationId: uuid().references(() => invitations.id, { onDelete: 'set null' }),
    teamId: uuid().references(() => teams.id, { onDelete: 'set null' }),
    submittedOn: date({ mode: 'string' }).notNull(),
    imported: boolean().notNull().default(false),
    /**
     * SHA-256 of the private link shown to the respondent after submitting, through which they read
     * replies to their comments. Linked to no person: for anonymous responses it is the only way back.
     */
    replyTokenHash: text().unique(),
    /**
     * The groups this response counted in when its round closed ('org' and each team up the tree as
     * it was then): comments and identified answers are read by this path, so a later move or
     * re-parenting never changes which group a past answer belongs to.
     */
    groupPath: text().array(),
  },
  (t) => [
    uniqueIndex('responses_invitation_key').on(t.invitationId),
    index('responses_round_idx').on(t.roundId),
    index('responses_person_idx').on(t.personId),
    index('responses_team_day_idx').on(t.teamId, t.submittedOn),
  ],
)

export const answers = pgTable(
  'answers',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    responseId: uuid()
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    /** The frozen question's id within its round, or the question-bank key for imported history. */
    questionKey: text().notNull(),
    type: text({ enum: questionTypes }).notNull(),
    driver: text(),
    valueNumber: smallint(),
    valueText: text(),
  },
  (t) => [
    index('answers_response_idx').on(t.responseId),
    index('answers_driver_idx').on(t.driver),
    // eNPS answers are ~5% of all answers: eNPS figures read them through this index alone (bench: a seq scan of every answer otherwise).
    index('answers_enps_idx').on(t.responseId, t.valueNumber).where(sql`${t.type} = 'enps'`),
  ],
)
