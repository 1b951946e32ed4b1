import type { Db } from '#db/client'
import { apiKeys } from '#db/schema'
import type { Role } from '#db/schema/people'
import { hashToken, randomToken } from '~/auth/tokens.server'
import { scheduleMeeting } from '~/one-on-ones/one-on-ones.server'
import { createPerson, createTeam, setTeamManager } from './factories'

/**
 * A small organisation for 1:1 tests: a manager with a report, another manager with their own
 * report, and one person of each organisation-wide role.
 */
export async function createOneOnOneOrg(db: Db, options: { reportLocale?: 'en' | 'it'; managerLocale?: 'en' | 'it' } = {}) {
  const team = await createTeam(db)
  const otherTeam = await createTeam(db)
  const manager = await createPerson(db, { teamId: team.id, locale: options.managerLocale ?? 'en', timezone: 'Europe/Rome' })
  await setTeamManager(db, team.id, manager.id)
  const report = await createPerson(db, { teamId: team.id, managerId: manager.id, locale: options.reportLocale ?? 'en' })
  const otherManager = await createPerson(db, { teamId: otherTeam.id })
  await setTeamManager(db, otherTeam.id, otherManager.id)
  const otherReport = await createPerson(db, { teamId: otherTeam.id, managerId: otherManager.id })
  const hr = await createPerson(db, { role: 'hr' })
  const leader = await createPerson(db, { role: 'leader' })
  const admin = await createPerson(db, { role: 'admin' })
  return { team, otherTeam, manager, report, otherManager, otherReport, hr, leader, admin }
}

/** Schedules a meeting through the domain function (so carry-over runs as in the app). */
export async function createMeeting(db: Db, input: { managerId: string; reportId: string; scheduledAt: Date; durationMinutes?: number }) {
  const created = await scheduleMeeting(db, { durationMinutes: 60, ...input })
  if (!created.ok) throw new Error(`could not schedule: ${created.outcome}`)
  return created.meetingId
}

/** An API key of a role, stored hashed as the app stores it; returns the plain key. */
export async function createTestApiKey(db: Db, role: Role): Promise<string> {
  const key = `pb_${randomToken(32)}`
  await db.insert(apiKeys).values({ name: `test ${role}`, prefix: key.slice(0, 10), keyHash: hashToken(key), role })
  return key
}
