import { sql } from 'drizzle-orm'
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core'
import { surveyRounds } from './surveys'

/**
 * The published layer of sentiment (docs/privacy.md): what a closed round may show, computed once
 * when the round closes and never recomputed, so later team moves, re-parenting, deleted teams,
 * erasure or retention never change a past figure.
 *
 * A round's groups are the organisation and every team (with its sub-teams, as the tree was at
 * close). A parent's direct members and the people without a team are the part of their parent
 * no sub-group covers: the decision protects that part like any other (app/responses/anonymity.ts).
 */
export const roundGroupKinds = ['org', 'team'] as const
export type RoundGroupKind = (typeof roundGroupKinds)[number]

export const roundGroups = pgTable(
  'round_groups',
  {
    roundId: uuid()
      .notNull()
      .references(() => surveyRounds.id, { onDelete: 'cascade' }),
    /** 'org' or a team id. */
    groupKey: text().notNull(),
    kind: text({ enum: roundGroupKinds }).notNull(),
    /** The team (no foreign key: a team deleted later keeps its history). */
    teamId: uuid(),
    parentKey: text(),
    /** The team's name at close. */
    name: text().notNull(),
    depth: integer().notNull(),
    invited: integer().notNull(),
    respondents: integer().notNull(),
    /** Whether the group's respondents (and response rate) may be shown: scores threshold, sibling rules. */
    shown: boolean().notNull(),
    reason: text({ enum: ['below_threshold', 'sibling_protection'] }),
    /** The same decision under the comments threshold. */
    commentsShown: boolean().notNull(),
    commentsReason: text({ enum: ['below_threshold', 'sibling_protection'] }),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.groupKey] }), index('round_groups_group_idx').on(t.groupKey, t.roundId)],
)

/**
 * One measure of one group in one closed round: `enps`, `driver:<key>` or `question:<frozen id>`.
 * Every figure is a sum over the group's respondents, so a period is the plain sum of its rounds.
 * The clustered interval of a driver mean needs Σy², Σy·m and Σm² over respondents (y: a
 * respondent's sum of answers, m: their number of answers), all additive too.
 */
export const roundCells = pgTable(
  'round_cells',
  {
    roundId: uuid()
      .notNull()
      .references(() => surveyRounds.id, { onDelete: 'cascade' }),
    groupKey: text().notNull(),
    measure: text().notNull(),
    n: integer().notNull(),
    answers: integer().notNull(),
    total: doublePrecision().notNull(),
    favourable: integer().notNull(),
    promoters: integer().notNull(),
    passives: integer().notNull(),
    detractors: integer().notNull(),
    ySquares: doublePrecision().notNull(),
    yTimesM: doublePrecision().notNull(),
    mSquares: doublePrecision().notNull(),
    /** Answers per value (question measures only). */
    distribution: jsonb().$type<Record<string, number>>(),
    shown: boolean().notNull(),
    reason: text({ enum: ['below_threshold', 'sibling_protection'] }),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.groupKey, t.measure] }),
    index('round_cells_group_idx').on(t.groupKey, t.measure, t.roundId),
    index('round_cells_shown_idx').on(t.roundId).where(sql`${t.shown}`),
  ],
)
