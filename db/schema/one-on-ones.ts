import { sql } from 'drizzle-orm'
import { boolean, check, date, index, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { people } from './people'

export const oneOnOneCadences = ['weekly', 'biweekly', 'monthly'] as const
export type OneOnOneCadence = (typeof oneOnOneCadences)[number]

/** A manager and one direct report: the agreed cadence, and the owner of carried-over items. */
export const oneOnOnePairs = pgTable(
  'one_on_one_pairs',
  {
    id: uuid().primaryKey().defaultRandom(),
    managerId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    reportId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    cadence: text({ enum: oneOnOneCadences }).notNull().default('biweekly'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('one_on_one_pairs_key').on(t.managerId, t.reportId), index('one_on_one_pairs_report_idx').on(t.reportId), check('one_on_one_pairs_two_people', sql`${t.managerId} <> ${t.reportId}`)],
)

/** One meeting. Manager and report are copied from the pair so every access check is one row away. */
export const oneOnOnes = pgTable(
  'one_on_ones',
  {
    id: uuid().primaryKey().defaultRandom(),
    pairId: uuid()
      .notNull()
      .references(() => oneOnOnePairs.id, { onDelete: 'cascade' }),
    managerId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    reportId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    scheduledAt: timestamp({ withTimezone: true }).notNull(),
    durationMinutes: smallint().notNull().default(60),
    heldAt: timestamp({ withTimezone: true }),
    actualDurationMinutes: smallint(),
    /** Markdown, rendered without raw HTML. */
    sharedNotes: text().notNull().default(''),
    /** "How are you feeling? 1–10", by the report; only the two participants see the number. */
    checkInScore: smallint(),
    checkInAt: timestamp({ withTimezone: true }),
    /** Claimed by the reminder cron with UPDATE … WHERE reminded_at IS NULL, so a reminder goes once. */
    remindedAt: timestamp({ withTimezone: true }),
    summarySentAt: timestamp({ withTimezone: true }),
    createdById: uuid().references(() => people.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('one_on_ones_pair_scheduled_idx').on(t.pairId, t.scheduledAt),
    index('one_on_ones_manager_idx').on(t.managerId, t.scheduledAt),
    index('one_on_ones_report_idx').on(t.reportId, t.scheduledAt),
    index('one_on_ones_reminder_idx').on(t.scheduledAt).where(sql`${t.remindedAt} is null`),
    check('one_on_ones_duration', sql`${t.durationMinutes} between 5 and 480`),
    check('one_on_ones_actual_duration', sql`${t.actualDurationMinutes} is null or ${t.actualDurationMinutes} between 1 and 480`),
    check('one_on_ones_check_in', sql`${t.checkInScore} is null or ${t.checkInScore} between 1 and 10`),
  ],
)
export type OneOnOne = typeof oneOnOnes.$inferSelect

/**
 * A talking point on one meeting's agenda. Unticked points are copied to the pair's next meeting
 * when that meeting is created (carried_from_id keeps the trail); the original stays as history.
 */
export const oneOnOneAgendaItems = pgTable(
  'one_on_one_agenda_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    meetingId: uuid()
      .notNull()
      .references(() => oneOnOnes.id, { onDelete: 'cascade' }),
    text: text().notNull(),
    position: integer().notNull(),
    done: boolean().notNull().default(false),
    addedById: uuid().references(() => people.id, { onDelete: 'set null' }),
    carriedFromId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('one_on_one_agenda_meeting_idx').on(t.meetingId, t.position)],
)

/**
 * An action item belongs to the pair: it is shown on the meeting where it was agreed and on every
 * later meeting of the pair until it is done (and on the meeting where it was ticked).
 */
export const oneOnOneActionItems = pgTable(
  'one_on_one_action_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    pairId: uuid()
      .notNull()
      .references(() => oneOnOnePairs.id, { onDelete: 'cascade' }),
    meetingId: uuid()
      .notNull()
      .references(() => oneOnOnes.id, { onDelete: 'cascade' }),
    text: text().notNull(),
    ownerId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    dueOn: date({ mode: 'string' }),
    doneAt: timestamp({ withTimezone: true }),
    doneMeetingId: uuid().references(() => oneOnOnes.id, { onDelete: 'set null' }),
    createdById: uuid().references(() => people.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('one_on_one_actions_pair_idx').on(t.pairId, t.doneAt), index('one_on_one_actions_owner_idx').on(t.ownerId)],
)

/**
 * A participant's private note: AES-256-GCM ciphertext, its random 96-bit IV and auth tag (base64),
 * and the id of the key that wrote it so a rotation knows what to re-encrypt. Readable by its
 * author alone: every query on this table is filtered by author_id = the viewer.
 */
export const oneOnOnePrivateNotes = pgTable(
  'one_on_one_private_notes',
  {
    id: uuid().primaryKey().defaultRandom(),
    meetingId: uuid()
      .notNull()
      .references(() => oneOnOnes.id, { onDelete: 'cascade' }),
    authorId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    ciphertext: text().notNull(),
    iv: text().notNull(),
    authTag: text().notNull(),
    keyId: text().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('one_on_one_private_notes_key').on(t.meetingId, t.authorId), index('one_on_one_private_notes_key_id_idx').on(t.keyId)],
)
