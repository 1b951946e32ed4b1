import { sql } from 'drizzle-orm'
import type { Db } from '#db/client'
import { type Person, type Team, people, teams } from '#db/schema'
import type { Role } from '#db/schema/people'

/**
 * Factories for tests and for the demo organisation alike. Each fills what the caller leaves out
 * with believable, deterministic values, so a test states only what matters to it.
 */
let sequence = 0
const next = () => ++sequence

export const firstNames = ['Giorgia', 'Lorenzo', 'Martina', 'Federico', 'Alice', 'Tommaso', 'Beatrice', 'Riccardo', 'Ginevra', 'Edoardo', 'Aurora', 'Gabriele', 'Sofia', 'Leonardo', 'Anna', 'Pietro', 'Chloe', 'Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Jack']
export const lastNames = ['Moretti', 'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso', 'Ferrara', 'Galli', 'Martini', 'Leone', 'Longo', 'Gentile', 'Martinelli', 'Vitale', 'Lombardo', 'Evans', 'Wilson', 'Taylor', 'Davies', 'Wright', 'Green', 'Hall', 'Wood']

export async function createTeam(db: Db, values: Partial<typeof teams.$inferInsert> = {}): Promise<Team> {
  const [team] = await db
    .insert(teams)
    .values({ name: values.name ?? `Team ${next()}`, ...values })
    .returning()
  return team
}

export async function createPerson(db: Db, values: Partial<typeof people.$inferInsert> & { role?: Role } = {}): Promise<Person> {
  const n = next()
  const name = values.name ?? `${firstNames[n % firstNames.length]} ${lastNames[(n * 7) % lastNames.length]}`
  const email = values.email ?? `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${n}@example.test`
  const [person] = await db
    .insert(people)
    .values({ ...values, name, email, crmOwnerKeys: values.crmOwnerKeys ?? [name] })
    .returning()
  return person
}

/** Makes a person the manager of a team (teams.manager_id), as the org chart shows it. */
export async function setTeamManager(db: Db, teamId: string, managerId: string) {
  await db.execute(sql`update teams set manager_id = ${managerId} where id = ${teamId}`)
}
