import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { people, roles } from './people'

/** Browser sessions. The cookie carries a random id; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text().primaryKey(),
    personId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    userAgent: text(),
    ip: text(),
  },
  (t) => [index('sessions_person_idx').on(t.personId)],
)

/** Magic sign-in links: single use, short lived, stored hashed. */
export const signInTokens = pgTable(
  'sign_in_tokens',
  {
    tokenHash: text().primaryKey(),
    personId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    redirectTo: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('sign_in_tokens_person_idx').on(t.personId)],
)

export const apiKeys = pgTable('api_keys', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  prefix: text().notNull(),
  keyHash: text().notNull().unique(),
  role: text({ enum: roles }).notNull().default('admin'),
  createdById: uuid().references(() => people.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
})
export type ApiKey = typeof apiKeys.$inferSelect

/** Counters for rate-limiter-flexible (shared by every web process on one database). */
export const rateLimits = pgTable('rate_limits', {
  key: text().primaryKey(),
  points: integer().notNull().default(0),
  // Named as RateLimiterDrizzle expects.
  expire: timestamp({ withTimezone: true }),
})
