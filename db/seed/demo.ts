import { parse } from 'csv-parse/sync'
import { sql } from 'drizzle-orm'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Db, queryRows } from '#db/client'
import { people, settings } from '#db/schema'
import type { Role } from '#db/schema/people'
import { createPerson, createTeam, firstNames, lastNames, setTeamManager } from '#test/support/factories'
import { sendSignInLink } from '~/auth/magic-link.server'
import type { AppContext } from '~/context'

const peopleCsv = fileURLToPath(new URL('./people.csv', import.meta.url))
export const DEMO_ADMIN_EMAIL = 'matteo.costa@example.it'
export const MIN_TEAM_SIZE = 10

type Row = { email: string; name: string; role: Role; team: string; manager_email: string; crm_owner: string; locale: 'en' | 'it'; timezone: string }

/**
 * The demo organisation: the HRIS export in db/seed/people.csv, plus generated reps so each team
 * has at least ten people (enough to pass the anonymity threshold of five with room to spare).
 */
export async function seedDemo(db: Db) {
  const rows = parse(readFileSync(peopleCsv), { columns: true, skip_empty_lines: true, trim: true }) as Row[]
  await db.insert(settings).values({ id: 1, orgName: 'Acme Sales Italia', defaultLocale: 'it', timezone: 'Europe/Rome', currency: 'EUR' }).onConflictDoUpdate({
    target: settings.id,
    set: { orgName: 'Acme Sales Italia', defaultLocale: 'it', timezone: 'Europe/Rome', currency: 'EUR' },
  })
  const teamIds = new Map<string, string>()
  for (const name of [...new Set(rows.map((r) => r.team).filter(Boolean))]) {
    teamIds.set(name, (await createTeam(db, { name })).id)
  }
  const ids = new Map<string, string>()
  for (const row of rows) {
    const person = await createPerson(db, {
      email: row.email,
      name: row.name,
      role: row.role,
      teamId: teamIds.get(row.team) ?? null,
      locale: row.locale,
      timezone: row.timezone || null,
      crmOwnerKeys: row.crm_owner ? [row.crm_owner] : [],
      startedOn: '2024-01-08',
    })
    ids.set(row.email, person.id)
  }
  for (const row of rows) {
    if (row.manager_email) await db.execute(sql`update people set manager_id = ${ids.get(row.manager_email)!} where id = ${ids.get(row.email)!}`)
  }
  // A team's manager is the member the rest of the team reports to.
  for (const [teamName, teamId] of teamIds) {
    const managerEmail = rows.find((r) => r.team === teamName && rows.some((o) => o.team === teamName && o.manager_email === r.email))?.email
    if (managerEmail) await setTeamManager(db, teamId, ids.get(managerEmail)!)
  }
  let n = 0
  for (const [teamName, teamId] of teamIds) {
    const members = rows.filter((r) => r.team === teamName)
    const manager = members.find((r) => members.some((o) => o.manager_email === r.email))
    const english = members.some((m) => m.locale === 'en')
    for (let i = members.length; i < MIN_TEAM_SIZE + 1; i++, n++) {
      const name = `${firstNames[(n * 5 + (english ? 16 : 0)) % (english ? 8 : 16) + (english ? 16 : 0)]} ${lastNames[(n * 3 + (english ? 16 : 0)) % (english ? 8 : 16) + (english ? 16 : 0)]}`
      const domain = english ? 'example.co.uk' : 'example.it'
      await createPerson(db, {
        email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}.${n}@${domain}`,
        name,
        role: 'employee',
        teamId,
        managerId: manager ? ids.get(manager.email)! : null,
        locale: english ? 'en' : 'it',
        timezone: english ? 'Europe/London' : 'Europe/Rome',
        crmOwnerKeys: [name],
        startedOn: '2024-03-04',
      })
    }
  }
  await (await import('./crm-demo')).seedCrmDemo(db)
  await (await import('./surveys-demo')).seedSurveysDemo(db)
  // Early-warning signals from the history just seeded (Roma's drift), so a fresh start shows them.
  // Marked as notified: like its paused surveys, the demo sends no email until someone acts.
  await (await import('~/insights/signals.server')).detectSignals(db)
  await db.execute(sql`update signals set notified_at = now() where notified_at is null`)
}

/** Seeds the demo organisation on first start (an empty people table) and says how to sign in. */
export async function seedDemoIfEmpty(ctx: AppContext) {
  const [{ count }] = await queryRows<{ count: number }>(ctx.db, sql`select count(*)::int as count from ${people}`)
  if (count > 0) return false
  ctx.logger.info('empty database: seeding the demo organisation')
  await seedDemo(ctx.db)
  printSignInHelp(ctx)
  // A first link right away: with no SMTP server it is echoed to the terminal from the outbox.
  const [admin] = await queryRows<{ id: string }>(ctx.db, sql`select id from ${people} where lower(email) = ${DEMO_ADMIN_EMAIL}`)
  if (admin) await sendSignInLink(ctx, { personId: admin.id, redirectTo: '/' })
  return true
}

export function printSignInHelp(ctx: AppContext) {
  const where = ctx.mailer.transport === 'outbox' ? 'with the link just below (no SMTP server is set, so emails go to the outbox and their links are printed here)' : 'with the link just emailed'
  console.log(`\n  Demo organisation ready. Sign in as ${DEMO_ADMIN_EMAIL} (admin) ${where}.`)
  console.log(`  Any other demo person: ask for a link at ${ctx.env.APP_URL}/login.`)
  console.log(`  Or create a one-off link now: npm run cli -- login-link --email ${DEMO_ADMIN_EMAIL}\n`)
}
