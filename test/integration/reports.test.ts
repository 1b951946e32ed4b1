import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { Person, Team } from '#db/schema'
import type { AppContext } from '~/context'
import { seedBenchmarks } from '~/funnel/benchmarks.server'
import { sendReport } from '~/insights/report-delivery.server'
import { kpiWindows, reportPeriod } from '~/insights/reports.server'
import * as digestRoute from '~/routes/me_.digest'
import { updateSettings } from '~/settings/settings.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { closeDeals } from '#test/support/insights-factories'
import { createResponse, createRound, createSurvey, enpsQuestion, workloadQuestion } from '#test/support/response-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { type SinkMessage, startSmtpSink } from '#test/support/smtp-sink'

/**
 * The scheduled reports end to end: the jobs run, claim, render and send through the real SMTP
 * sink, and the assertions read the parsed messages.
 *
 * The organisation (October 2026 round, threshold 5, Europe/Rome):
 *   Milano Sales (managed by Anna, en): 6 own members 10 10 9 8 6 5, and its sub-team
 *     Milano Inside: 9 9 7 7 3                          → Milano Sales 11 respondents, eNPS (5−3)/11 = 18.2
 *                                                       → Milano Inside 5 respondents, eNPS (2−1)/5 = 20
 *   Roma Sales (managed by Bruno, it): 2 3 4 5 6 10      → eNPS (1−5)/6 = −66.7
 *   Firenze Sales (managed by Dario, no language: the
 *     organisation default, it): 9 9 9 7 3               → eNPS (3−1)/5 = 40
 *   Torino Tiny (managed by Carla, opted out): 10 10     → 2 respondents: below the threshold
 *   Bari Tiny: 10 10 10                                  → 3 respondents: below the threshold
 * Organisation: 27 respondents, 14 promoters, 4 passives, 9 detractors → eNPS 100·(14−9)/27 = 18.5,
 * 95% interval 100·(d ± 1.96·√((pP + pD − d²)/n)) with pP = 14/27, pD = 9/27, d = 5/27 → −15.6 … 52.6.
 * Two small teams hidden at once need no sibling cover, so every other team is shown.
 */

let ctx: AppContext
let sink: Awaited<ReturnType<typeof startSmtpSink>>

// Monday 16 November 2026, 09:00 in Rome: the digest of the week of 9 November.
const DIGEST_NOW = new Date('2026-11-16T08:00:00Z')
// Sunday 1 November 2026, 08:00 in Rome: the leadership report of October.
const REPORT_NOW = new Date('2026-11-01T07:00:00Z')

type Org = {
  milano: Team
  inside: Team
  roma: Team
  firenze: Team
  torino: Team
  bari: Team
  anna: Person
  bruno: Person
  carla: Person
  dario: Person
  hr: Person
  leader: Person
  admin: Person
  marketing: Person
  employee: Person
  formerHr: Person
}
let org: Org

async function members(team: Team, scores: number[], managerId: string | null) {
  const list: Person[] = []
  for (let i = 0; i < scores.length; i++) list.push(await createPerson(ctx.db, { teamId: team.id, managerId, name: `${team.name} member ${i + 1}` }))
  return list
}

async function buildOrg(): Promise<Org> {
  await updateSettings(ctx.db, { orgName: 'Acme Italia', timezone: 'Europe/Rome', defaultLocale: 'it' })
  await seedBenchmarks(ctx.db)
  const milano = await createTeam(ctx.db, { name: 'Milano Sales' })
  const inside = await createTeam(ctx.db, { name: 'Milano Inside', parentId: milano.id })
  const roma = await createTeam(ctx.db, { name: 'Roma Sales' })
  const firenze = await createTeam(ctx.db, { name: 'Firenze Sales' })
  const torino = await createTeam(ctx.db, { name: 'Torino Tiny' })
  const bari = await createTeam(ctx.db, { name: 'Bari Tiny' })
  const anna = await createPerson(ctx.db, { name: 'Anna Manager', email: 'anna@acme.test', locale: 'en' })
  const bruno = await createPerson(ctx.db, { name: 'Bruno Responsabile', email: 'bruno@acme.test', locale: 'it' })
  const carla = await createPerson(ctx.db, { name: 'Carla Optout', email: 'carla@acme.test', locale: 'en' })
  // No language of his own: the organisation's default (Italian) applies.
  const dario = await createPerson(ctx.db, { name: 'Dario Default', email: 'dario@acme.test', locale: null })
  await setTeamManager(ctx.db, milano.id, anna.id)
  await setTeamManager(ctx.db, roma.id, bruno.id)
  await setTeamManager(ctx.db, torino.id, carla.id)
  await setTeamManager(ctx.db, firenze.id, dario.id)

  const scores: [Team, number[], number, string | null][] = [
    [milano, [10, 10, 9, 8, 6, 5], 4, anna.id],
    [inside, [9, 9, 7, 7, 3], 4, null],
    [roma, [2, 3, 4, 5, 6, 10], 4, bruno.id],
    [firenze, [9, 9, 9, 7, 3], 4, null],
    [torino, [10, 10], 5, null],
    [bari, [10, 10, 10], 5, null],
  ]
  const survey = await createSurvey(ctx.db, { title: 'October pulse', kind: 'enps' })
  const round = await createRound(ctx.db, { surveyId: survey.id, opensAt: '2026-10-05T08:00:00Z', questions: [enpsQuestion, workloadQuestion], thresholdScores: 5 })
  const reps: Record<string, Person> = {}
  for (const [team, list, workload, managerId] of scores) {
    const people = await members(team, list, managerId)
    reps[team.name] = people[0]
    for (let i = 0; i < list.length; i++) {
      await createResponse(ctx.db, {
        surveyId: survey.id,
        roundId: round.id,
        personId: people[i].id,
        teamId: team.id,
        submittedOn: '2026-10-07',
        answers: [
          { key: 'enps', type: 'enps', value: list[i] },
          { key: 'workload_manageable', type: 'agreement', driver: 'workload', value: workload },
        ],
      })
    }
  }

  // Deals. Milano's own rep: 4 won / 4 lost on 10 October, 6 won / 2 lost on 10 November.
  await closeDeals(ctx.db, reps['Milano Sales'].id, { won: 4, lost: 4, closedAt: '2026-10-10T10:00:00Z' })
  await closeDeals(ctx.db, reps['Milano Sales'].id, { won: 6, lost: 2, closedAt: '2026-11-10T10:00:00Z' })
  await closeDeals(ctx.db, reps['Milano Inside'].id, { won: 1, lost: 3, closedAt: '2026-10-10T10:00:00Z' })
  // Roma: figures no one else has (7,777 per deal), which must stay out of Milano's digest.
  await closeDeals(ctx.db, reps['Roma Sales'].id, { won: 2, lost: 0, closedAt: '2026-10-10T10:00:00Z', amount: '7777.00' })
  await closeDeals(ctx.db, reps['Roma Sales'].id, { won: 9, lost: 0, closedAt: '2026-11-10T10:00:00Z', amount: '7777.00' })
  await closeDeals(ctx.db, reps['Firenze Sales'].id, { won: 3, lost: 1, closedAt: '2026-10-10T10:00:00Z' })

  // Actions and signals, written as their features would.
  await ctx.db.execute(sql`insert into actions (title, team_id, status) values
    ('Fix the Milano lead routing', ${milano.id}, 'in_progress'),
    ('Old Milano action already done', ${milano.id}, 'done'),
    ('Roma coaching plan', ${roma.id}, 'planned')`)
  await ctx.db.execute(sql`insert into signals (team_id, kind, period_unit, period, created_at) values
    (${roma.id}, 'sentiment_and_kpi', 'month', '2026-10-01', '2026-11-14T09:00:00Z'),
    (${milano.id}, 'response_rate', 'month', '2026-09-01', '2026-10-01T09:00:00Z')`)

  const hr = await createPerson(ctx.db, { role: 'hr', name: 'Helena Hr', email: 'hr@acme.test', locale: 'en' })
  const leader = await createPerson(ctx.db, { role: 'leader', name: 'Luca Leader', email: 'leader@acme.test', locale: 'it' })
  const admin = await createPerson(ctx.db, { role: 'admin', name: 'Ada Admin', email: 'admin@acme.test' })
  const marketing = await createPerson(ctx.db, { role: 'marketing', name: 'Mara Marketing', email: 'marketing@acme.test' })
  const employee = await createPerson(ctx.db, { role: 'employee', name: 'Ettore Employee', email: 'employee@acme.test', teamId: roma.id })
  const formerHr = await createPerson(ctx.db, { role: 'hr', name: 'Former Hr', email: 'former-hr@acme.test', active: false })
  return { milano, inside, roma, firenze, torino, bari, anna, bruno, carla, dario, hr, leader, admin, marketing, employee, formerHr }
}

beforeAll(async () => {
  sink = await startSmtpSink()
  ctx = await setupTestContext({ smtpUrl: sink.url })
  org = await buildOrg()
  return () => sink.close()
})

/** Lets the sink finish receiving what was sent, then returns the messages of one kind. */
async function delivered(subjectPart: RegExp): Promise<SinkMessage[]> {
  await new Promise((resolve) => setTimeout(resolve, 300))
  return sink.messages.filter((m) => subjectPart.test(m.subject))
}

async function runDigest() {
  await ctx.jobs.send('reports.weekly-digest', { now: DIGEST_NOW.toISOString() })
  await ctx.jobs.drain(ctx)
}

async function runLeadership() {
  await ctx.jobs.send('reports.leadership-report', { now: REPORT_NOW.toISOString() })
  await ctx.jobs.drain(ctx)
}

/** The row headers of the HTML table captioned `caption`, in order. */
function rowHeaders(html: string, caption: string): string[] {
  const table = html.split('<table').find((t) => t.includes(`${caption}</caption>`))
  if (!table) return []
  return [...table.matchAll(/<th scope="row"[^>]*>(.*?)<\/th>/g)].map((m) => m[1])
}

/** Every cell of the HTML table captioned `caption`, as text, row by row. */
function tableRows(html: string, caption: string): string[][] {
  const table = html.split('<table').find((t) => t.includes(`${caption}</caption>`))
  if (!table) return []
  return [...table.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].slice(1).map((row) => [...row[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) => c[1].replace(/<!-- -->/g, '')))
}

describe('periods', () => {
  it('reports on the week and the month that ended, in the organisation time zone', async () => {
    expect(await reportPeriod(ctx.db, 'weekly_digest', DIGEST_NOW)).toBe('2026-11-09')
    expect(await reportPeriod(ctx.db, 'leadership_report', REPORT_NOW)).toBe('2026-10-01')
    // 23:30 UTC on Sunday 31 January 2027 is already Monday 1 February in Rome.
    expect(await reportPeriod(ctx.db, 'leadership_report', new Date('2027-01-31T23:30:00Z'))).toBe('2027-01-01')
    expect(kpiWindows('2026-11-09')).toEqual({ current: { from: '2026-11-01', to: '2026-11-15' }, previous: { from: '2026-10-01', to: '2026-10-15' } })
    // A week ending on a month's last day compares whole months; a longer month is cut to the shorter one's end.
    expect(kpiWindows('2026-08-25')).toEqual({ current: { from: '2026-08-01', to: '2026-08-31' }, previous: { from: '2026-07-01', to: '2026-07-31' } })
    expect(kpiWindows('2027-03-24')).toEqual({ current: { from: '2027-03-01', to: '2027-03-30' }, previous: { from: '2027-02-01', to: '2027-02-28' } })
  })
})

describe('weekly digest', () => {
  it('turns off through /me/digest without JavaScript, and refuses a bad value naming the field', async () => {
    const cookie = await signedInCookie(ctx, org.carla.id)
    const loaded = (await call(digestRoute.loader, ctx, makeRequest('/me/digest', { cookie }))) as { on: boolean; manager: boolean }
    expect(loaded).toEqual({ on: true, manager: true })

    const refused = (await call(digestRoute.action, ctx, makeRequest('/me/digest', { cookie, form: { weeklyDigest: 'sometimes' } }))) as Response
    expect(refused.status).toBe(400)
    const bad = (await refused.json()) as { result: { error: Record<string, string[]> }; saved: null }
    expect(bad.saved).toBeNull()
    expect(bad.result.error).toEqual({ weeklyDigest: ['Choose “on” or “off” for the weekly digest.'] })
    expect((await queryRows<{ on: boolean }>(ctx.db, sql`select weekly_digest as "on" from people where id = ${org.carla.id}`))[0].on).toBe(true)

    const saved = (await call(digestRoute.action, ctx, makeRequest('/me/digest', { cookie, form: { weeklyDigest: 'off' } }))) as { saved: string }
    expect(saved.saved).toBe('off')
    expect(((await call(digestRoute.loader, ctx, makeRequest('/me/digest', { cookie }))) as { on: boolean }).on).toBe(false)

    // Signed out: sent to sign in, nothing changed.
    const anonymous = (await call(digestRoute.action, ctx, makeRequest('/me/digest', { form: { weeklyDigest: 'on' } }))) as Response
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('Location')).toMatch(/^\/login/)
  })

  it('sends each manager who did not opt out one digest of their own teams only, in their language', async () => {
    sink.messages.length = 0
    await runDigest()
    const digests = await delivered(/week of|settimana del/)
    expect(digests.map((m) => m.to[0]).sort()).toEqual(['anna@acme.test', 'bruno@acme.test', 'dario@acme.test'])

    const anna = digests.find((m) => m.to[0] === 'anna@acme.test')!
    expect(anna.subject).toBe('Your teams this week — week of 9 Nov 2026')
    for (const part of [anna.text, anna.html]) {
      expect(part).toContain('Milano Sales')
      expect(part).toContain('Milano Inside')
      expect(part).toContain('Fix the Milano lead routing')
      // Another team's name, figures, actions and signals are absent.
      for (const foreign of ['Roma', 'Firenze', 'Torino', 'Bari', '-67', '7,777', '69,993', 'coaching', 'Sentiment and a KPI fell together']) expect(part).not.toContain(foreign)
      expect(part).not.toContain('Old Milano action already done')
      // The Milano signal is older than seven days.
      expect(part).not.toContain('Response rate dropped')
      expect(part).toContain('http://pulseboard.test/dashboard/print')
      expect(part).toContain('http://pulseboard.test/me/digest')
    }
    // Latest results: Milano Inside 5 respondents, eNPS 20 [−46 … 86]; Milano Sales 11, eNPS 18 [−31 … 67].
    expect(tableRows(anna.html, 'Latest results')).toEqual([
      ['Milano Inside', 'October pulse', '5 Oct 2026', '5', '20', '-46 … 86'],
      ['Milano Sales', 'October pulse', '5 Oct 2026', '11', '18', '-31 … 67'],
    ])
    // The plain-text part keeps a table's cells as columns (renderEmail's plainText option), not run together.
    expect(anna.text).toMatch(/Milano Sales {2,}October pulse {2,}5 Oct 2026 {2,}11 {2,}18 {2,}-31 … 67/)
    expect(tableRows(anna.html, 'Drivers')).toEqual([
      ['Milano Inside', 'Workload', '4.00', '100%'],
      ['Milano Sales', 'Workload', '4.00', '100%'],
    ])
    // 1–15 November against 1–15 October. Milano (with Milano Inside): won 5 → 6, lost 7 → 2,
    // won amount €5,000 → €6,000, win rate 5/12 → 6/8. Milano Inside: won 1 → 0.
    expect(tableRows(anna.html, 'Notable KPI changes')).toEqual([
      ['Milano Inside', 'Deals won', '1', '0', '-100%'],
      ['Milano Inside', 'Won amount', '€1,000', '€0', '-100%'],
      ['Milano Sales', 'Deals won', '5', '6', '+20%'],
      ['Milano Sales', 'Won amount', '€5,000', '€6,000', '+20%'],
      ['Milano Sales', 'Win rate', '41.7%', '75.0%', '+80%'],
    ])
    // Anna's six direct reports have never had a 1:1.
    expect(rowHeaders(anna.html, 'Overdue 1:1s')).toEqual([1, 2, 3, 4, 5, 6].map((i) => `Milano Sales member ${i}`))
    expect(anna.text).toContain('Milano Sales member 6')

    const bruno = digests.find((m) => m.to[0] === 'bruno@acme.test')!
    expect(bruno.subject).toBe('I tuoi team questa settimana — settimana del 9 nov 2026')
    expect(bruno.text).toContain('Ultimi risultati')
    expect(bruno.text).toContain('Clima e un KPI in calo insieme')
    expect(bruno.text).toContain('Roma coaching plan')
    expect(tableRows(bruno.html, 'Ultimi risultati')).toEqual([['Roma Sales', 'October pulse', '5 ott 2026', '6', '-67', '-100 … -7']])
    expect(tableRows(bruno.html, 'Variazioni rilevanti dei KPI')).toEqual([
      ['Roma Sales', 'Trattative vinte', '2', '9', '+350%'],
      ['Roma Sales', 'Importo vinto', '15.554\u00a0€', '69.993\u00a0€', '+350%'],
    ])
    expect(bruno.html).not.toContain('Milano')
    expect(bruno.text).toContain('Apri la dashboard da stampare')

    const dario = digests.find((m) => m.to[0] === 'dario@acme.test')!
    expect(dario.subject).toBe('I tuoi team questa settimana — settimana del 9 nov 2026')
    expect(tableRows(dario.html, 'Ultimi risultati')).toEqual([['Firenze Sales', 'October pulse', '5 ott 2026', '5', '40', '-30 … 100']])
    for (const foreign of ['Milano', 'Roma', 'Torino', 'Bari']) expect(dario.text).not.toContain(foreign)
  })

  it('sends nothing more when the run repeats or two workers race for the same person', async () => {
    sink.messages.length = 0
    await runDigest()
    const period = await reportPeriod(ctx.db, 'weekly_digest', DIGEST_NOW)
    const racing = await Promise.all([
      sendReport(ctx, 'weekly_digest', { personId: org.anna.id, period, now: DIGEST_NOW }),
      sendReport(ctx, 'weekly_digest', { personId: org.anna.id, period, now: DIGEST_NOW }),
    ])
    expect(racing).toEqual([false, false])
    expect(await delivered(/./)).toHaveLength(0)
    const ledger = await queryRows<{ email: string }>(
      ctx.db,
      sql`select p.email from report_deliveries d join people p on p.id = d.person_id where d.kind = 'weekly_digest' and d.period = '2026-11-09' order by p.email`,
    )
    expect(ledger.map((r) => r.email)).toEqual(['anna@acme.test', 'bruno@acme.test', 'dario@acme.test'])

    // A new week is a new period: exactly one of two racing sends delivers it.
    const next = await Promise.all([
      sendReport(ctx, 'weekly_digest', { personId: org.anna.id, period: '2026-11-16', now: new Date('2026-11-23T08:00:00Z') }),
      sendReport(ctx, 'weekly_digest', { personId: org.anna.id, period: '2026-11-16', now: new Date('2026-11-23T08:00:00Z') }),
    ])
    expect(next.filter(Boolean)).toHaveLength(1)
    expect((await delivered(/week of 16 Nov 2026/)).map((m) => m.to[0])).toEqual(['anna@acme.test'])
  })

  it('gives the claim back when sending fails, so the retry delivers; a refused address is not retried', async () => {
    const { createMailer } = await import('~/email/mailer.server')
    const nextWeek = { period: '2026-11-16', now: new Date('2026-11-23T08:00:00Z') }
    // The mail server is down (connection refused): the job fails and its claim is released.
    const down = await startSmtpSink()
    await down.close()
    const offline = { ...ctx, mailer: createMailer({ smtpUrl: down.url, from: 'pulseboard@acme.test', db: ctx.db }) }
    await expect(sendReport(offline, 'weekly_digest', { personId: org.bruno.id, ...nextWeek })).rejects.toThrow()
    offline.mailer.close()
    sink.messages.length = 0
    expect(await sendReport(ctx, 'weekly_digest', { personId: org.bruno.id, ...nextWeek })).toBe(true)
    expect((await delivered(/settimana del 16 nov 2026/)).map((m) => m.to[0])).toEqual(['bruno@acme.test'])

    // The server refuses the address for good: the claim stays, the retry sends nothing.
    const refusing = await startSmtpSink({ rejectRecipients: () => true })
    const refused = { ...ctx, mailer: createMailer({ smtpUrl: refusing.url, from: 'pulseboard@acme.test', db: ctx.db }) }
    expect(await sendReport(refused, 'weekly_digest', { personId: org.dario.id, ...nextWeek })).toBe(false)
    refused.mailer.close()
    await refusing.close()
    sink.messages.length = 0
    expect(await sendReport(ctx, 'weekly_digest', { personId: org.dario.id, ...nextWeek })).toBe(false)
    expect(await delivered(/./)).toHaveLength(0)
  })
})

describe('monthly leadership report', () => {
  let messages: SinkMessage[]
  const to = (email: string) => messages.find((m) => m.to[0] === email)!

  beforeAll(async () => {
    sink.messages.length = 0
    await runLeadership()
    messages = await delivered(/Leadership report|Report per la direzione/)
  })

  it('goes once to active hr and leaders only, each in their language', async () => {
    expect(messages.map((m) => m.to[0]).sort()).toEqual(['hr@acme.test', 'leader@acme.test'])
    expect(to('hr@acme.test').subject).toBe('Leadership report — October 2026')
    expect(to('leader@acme.test').subject).toBe('Report per la direzione — ottobre 2026')
    sink.messages.length = 0
    await runLeadership()
    expect(await delivered(/./)).toHaveLength(0)
    expect(to('leader@acme.test').text).toContain('eNPS, ultimi sei mesi')
  })

  it('shows the organisation eNPS computed by hand, and no figure of a team below the threshold', async () => {
    const hr = to('hr@acme.test')
    // October: 27 respondents, eNPS 18.5 → 19, interval −15.6 … 52.6 → −16 … 53.
    expect(tableRows(hr.html, 'eNPS, last six months')).toEqual([
      ['May 2026', '—', '—', '—'],
      ['June 2026', '—', '—', '—'],
      ['July 2026', '—', '—', '—'],
      ['August 2026', '—', '—', '—'],
      ['September 2026', '—', '—', '—'],
      ['October 2026', '19', '-16 … 53', '27'],
    ])
    // Workload: 22 answers of 4 and 5 of 5 → 113/27 = 4.19.
    expect(tableRows(hr.html, 'Driver means (1–5), last six months')).toEqual([['Workload', '—', '—', '—', '—', '—', '4.19']])
    expect(tableRows(hr.html, 'eNPS by team this month')).toEqual([
      ['Firenze Sales', '40', '-30 … 100', '5'],
      ['Milano Inside', '20', '-46 … 86', '5'],
      ['Milano Sales', '18', '-31 … 67', '11'],
      ['Roma Sales', '-67', '-100 … -7', '6'],
    ])
    expect(hr.text).toContain('2 teams are below the anonymity threshold')
    for (const part of [hr.text, hr.html, to('leader@acme.test').text, to('leader@acme.test').html]) {
      expect(part).not.toContain('Torino')
      expect(part).not.toContain('Bari')
      expect(part).toContain('http://pulseboard.test/dashboard/print')
    }
  })

  it('puts the month’s funnel beside the benchmarks, the strongest team-level association, signals and actions', async () => {
    const hr = to('hr@acme.test')
    // October: won 4 + 1 + 2 + 3 = 10 deals (€4,000 + €1,000 + €15,554 + €3,000), lost 4 + 3 + 0 + 1 = 8.
    const funnel = tableRows(hr.html, 'Funnel this month · EUR')
    expect(funnel.find((r) => r[0] === 'Deals won')).toEqual(['Deals won', '10', '—', '—'])
    expect(funnel.find((r) => r[0] === 'Won amount')).toEqual(['Won amount', '€23,554', '—', '—'])
    expect(funnel.find((r) => r[0] === 'Win rate')).toEqual(['Win rate', '55.6%', '—', '21.0% (HubSpot, Sales Trends Report, 2024)'])
    // Leaf teams above the threshold: Milano Inside (eNPS 20, €1,000 a deal), Roma (−66.7, €7,777),
    // Firenze (40, €1,000): Pearson r = −0.98 over three teams, the strongest of the KPIs.
    const associations = tableRows(hr.html, 'Strongest associations')
    expect(associations[0]).toEqual(['eNPS × Average deal size', '-0.98', expect.any(String), '3'])
    expect(hr.text).toContain('Team level')
    expect(rowHeaders(hr.html, 'Open signals')).toEqual(['Roma Sales', 'Milano Sales'])
    expect(rowHeaders(hr.html, 'Open actions')).toEqual(['Fix the Milano lead routing', 'Roma coaching plan'])
  })

  it('is stored whole in the development outbox when no SMTP server is configured', async () => {
    const { createMailer } = await import('~/email/mailer.server')
    const outboxCtx = { ...ctx, mailer: createMailer({ from: 'pulseboard@acme.test', db: ctx.db }) }
    expect(await sendReport(outboxCtx, 'leadership_report', { personId: org.leader.id, period: '2026-09-01', now: new Date('2026-10-01T07:00:00Z') })).toBe(true)
    const [stored] = await queryRows<{ subject: string; html: string; text: string; kind: string }>(
      ctx.db,
      sql`select subject, html, text, kind from outbox where "to" = 'leader@acme.test' order by created_at desc limit 1`,
    )
    expect(stored.subject).toBe('Report per la direzione — settembre 2026')
    expect(stored.kind).toBe('leadership-report')
    expect(stored.text).toContain('http://pulseboard.test/dashboard/print')
    expect(stored.html).not.toContain('\u0000')
    expect(stored.html).not.toContain('Torino')
  })
})
