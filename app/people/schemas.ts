import { z } from 'zod'
import { roles } from '#db/schema/people'
import { locales } from '#db/schema/settings'
import type { Messages } from '~/i18n'

/** IANA time zones as this runtime's Intl knows them (plus UTC, which supportedValuesOf omits). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return value.includes('/') || value === 'UTC' || value === 'Etc/UTC'
  } catch {
    return false
  }
}

/** "europe/rome" → "Europe/Rome": Intl matches zones case-insensitively; store the canonical spelling. */
export function canonicalTimeZone(value: string): string {
  const resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone
  return resolved.toLowerCase() === value.toLowerCase() ? resolved : value
}

const str = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')

export const emailSchema = (t: Messages) =>
  z
    .string({ error: (iss) => t.people.errors.invalidEmail({ value: str(iss.input) }) })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: (iss) => t.people.errors.invalidEmail({ value: str(iss.input) }) }))

export const nameSchema = (t: Messages) =>
  z
    .string({ error: t.people.errors.nameRequired })
    .trim()
    .min(1, { error: t.people.errors.nameRequired })
    .max(200, { error: t.people.errors.nameTooLong })

export const roleSchema = (t: Messages) => z.enum(roles, { error: (iss) => t.people.errors.unknownRole({ value: str(iss.input), accepted: roles.join(', ') }) })

export const localeSchema = (t: Messages) => z.enum(locales, { error: (iss) => t.people.errors.unknownLocale({ value: str(iss.input) }) })

export const timezoneSchema = (t: Messages) =>
  z
    .string({ error: (iss) => t.people.errors.invalidTimezone({ value: str(iss.input) }) })
    .trim()
    .refine(isTimeZone, { error: (iss) => t.people.errors.invalidTimezone({ value: str(iss.input) }) })
    .transform(canonicalTimeZone)

export const crmOwnerKeysSchema = (t: Messages) =>
  z.array(z.string().trim().min(1).max(200, { error: t.people.errors.tooManyKeys }), { error: t.people.errors.tooManyKeys }).max(50, { error: t.people.errors.tooManyKeys })

/**
 * One person in a bulk upsert (POST /api/v1/people and each CSV row). An omitted field keeps the
 * stored value of an existing person (or the default for a new one); null clears it.
 */
export const personUpsertSchema = (t: Messages) =>
  z.object({
    email: emailSchema(t),
    name: nameSchema(t),
    role: roleSchema(t).optional(),
    team: z.string().trim().max(200).nullable().optional().transform((v) => (v === '' ? null : v)),
    managerEmail: z
      .union([emailSchema(t), z.literal('').transform(() => null), z.null()], { error: (iss) => t.people.errors.invalidEmail({ value: str(iss.input) }) })
      .optional(),
    crmOwnerKeys: crmOwnerKeysSchema(t).optional(),
    locale: localeSchema(t).nullable().optional(),
    timezone: timezoneSchema(t).nullable().optional(),
    active: z.boolean().optional(),
  })
export type PersonUpsert = z.output<ReturnType<typeof personUpsertSchema>>

/** The body of POST /api/v1/people; items are validated one by one so every bad one is reported. */
export const peopleUpsertBodySchema = (t: Messages) => z.object({ people: z.array(personUpsertSchema(t)).min(1).max(5000) })
export const peopleUpsertEnvelope = z.object({ people: z.array(z.unknown()).min(1).max(5000) })
export const peopleUpsertResponse = z.object({ created: z.number().int(), updated: z.number().int() })

export const apiPersonSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  team: z.string().nullable(),
  teamId: z.uuid().nullable(),
  managerEmail: z.string().nullable(),
  crmOwnerKeys: z.array(z.string()),
  locale: z.enum(locales).nullable(),
  timezone: z.string().nullable(),
  active: z.boolean(),
})
export const peopleListResponse = z.object({ people: z.array(apiPersonSchema) })
export const peopleListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  team: z.string().trim().max(200).optional(),
  active: z.enum(['true', 'false', 'all']).optional(),
})

export const apiTeamSchema = z.object({ id: z.uuid(), name: z.string(), parentId: z.uuid().nullable(), managerEmail: z.string().nullable() })
export const teamsListResponse = z.object({ teams: z.array(apiTeamSchema) })

const optionalId = z
  .string()
  .optional()
  .transform((v) => (v ? v : null))
  .pipe(z.uuid().nullable())

const optionalDate = (t: Messages) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.iso.date({ error: t.people.errors.invalidDate }).nullable())

/** The add/edit person form (no JavaScript needed: every field is a plain input). */
export const personFormSchema = (t: Messages) =>
  z
    .object({
      intent: z.literal('save').default('save'),
      name: nameSchema(t),
      email: emailSchema(t),
      role: roleSchema(t),
      locale: z
        .string()
        .optional()
        .transform((v) => (v ? v : null))
        .pipe(localeSchema(t).nullable()),
      timezone: z
        .string()
        .optional()
        .transform((v) => (v?.trim() ? v.trim() : null))
        .pipe(timezoneSchema(t).nullable()),
      teamId: optionalId,
      managerId: optionalId,
      crmOwnerKeys: z
        .string()
        .optional()
        .transform((v) => [...new Set((v ?? '').split(/\r?\n/).map((k) => k.trim()).filter(Boolean))])
        .pipe(crmOwnerKeysSchema(t)),
      startedOn: optionalDate(t),
      leftOn: optionalDate(t),
    })
    .refine((v) => !v.startedOn || !v.leftOn || v.leftOn >= v.startedOn, { path: ['leftOn'], error: t.people.errors.leftBeforeStart })
export type PersonForm = z.output<ReturnType<typeof personFormSchema>>

export const teamFormSchema = (t: Messages) =>
  z.object({
    intent: z.literal('save').default('save'),
    name: z.string({ error: t.people.teams.nameRequired }).trim().min(1, { error: t.people.teams.nameRequired }).max(200),
    parentId: optionalId,
    managerId: optionalId,
  })
export type TeamForm = z.output<ReturnType<typeof teamFormSchema>>

export const PAGE_SIZE = 50

/** The /people list's search parameters. */
export const peopleSearchSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  team: z.union([z.uuid(), z.literal('none')]).optional().catch(undefined),
  status: z.enum(['active', 'inactive', 'all']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
})
export type PeopleSearch = z.output<typeof peopleSearchSchema>
