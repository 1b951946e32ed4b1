import { sql } from 'drizzle-orm'
import { type AnyPgColumn, boolean, check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { locales } from './settings'

export const roles = ['admin', 'hr', 'leader', 'marketing', 'employee'] as const
export type Role = (typeof roles)[number]

export const teams = pgTable(
  'teams',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    parentId: uuid().references((): AnyPgColumn => teams.id, { onDelete: 'set null' }),
    managerId: uuid().references((): AnyPgColumn => people.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('teams_name_key').on(sql`lower(${t.name})`),
    index('teams_parent_idx').on(t.parentId),
    check('teams_not_own_parent', sql`${t.parentId} is distinct from ${t.id}`),
  ],
)
export type Team = typeof teams.$inferSelect

export const people = pgTable(
  'people',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull(),
    role: text({ enum: roles }).notNull().default('employee'),
    locale: text({ enum: locales }),
    timezone: text(),
    teamId: uuid().references((): AnyPgColumn => teams.id, { onDelete: 'set null' }),
    managerId: uuid().references((): AnyPgColumn => people.id, { onDelete: 'set null' }),
    crmOwnerKeys: text().array().notNull().default(sql`'{}'::text[]`),
    passwordHash: text(),
    active: boolean().notNull().default(true),
    /** Managers receive the weekly digest unless they opt out. */
    weeklyDigest: boolean().notNull().default(true),
    startedOn: date({ mode: 'string' }),
    leftOn: date({ mode: 'string' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_email_key').on(sql`lower(${t.email})`),
    index('people_team_idx').on(t.teamId),
    index('people_manager_idx').on(t.managerId),
    index('people_crm_owner_keys_idx').using('gin', t.crmOwnerKeys),
    check('people_not_own_manager', sql`${t.managerId} is distinct from ${t.id}`),
  ],
)
export type Person = typeof people.$inferSelect
