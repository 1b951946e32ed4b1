import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { Person, Team } from '#db/schema'
import type { AppContext } from '~/context'
import { claimSignalNotifications, detectSignals, listSignals } from '~/insights/signals.server'
import { loader as signalsApi } from '~/routes/api.v1.signals'
import * as signalsRoute from '~/routes/signals._index'
import * as home from '~/routes/_index'
import * as settingsRoute from '~/routes/settings._index'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { closeDeals } from '#test/support/insights-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { answerEnps, createApiKey, createRound, createSurvey, enpsQuestion } from '#test/support/response-factories'
import { startSmtpSink } from '#test/support/smtp-sink'

/**
 * Early-warning signals on a small organisation, checked on 20 May 2026 (Q2) by quarter:
 * - Bari (6 respondents): eNPS 66.7 in Q1 → 0.0 in Q2 and win rate 60% → 30%: the one signal;
 * - Genova (8): stable eNPS, the same fall in win rate: a KPI alone raises nothing;
 * - Tiny (3, below the threshold of 5): exactly Bari's fall in eNPS and win rate: nothing;
 * - Piccolo (2): below the threshold too, so that Tiny is not the only hidden team (sibling
 *   protection would otherwise hide Bari, the smallest shown team, as well).
 */
const NOW = new Date('2026-05-20T10:00:00Z')

let ctx: AppContext
let sink: Awaited<ReturnType<typeof startSmtpSink>>
const teams = {} as Record<'bari' | 'genova' | 'tiny' | 'piccolo', Team>
const managers = {} as Record<'bari' | 'genova' | 'tiny', Person>
let hr: Person
let leader: Person
let admin: Person
let employee: Person
let marketing: Person

async function team(name: string, size: number, manager?: Person) {
  const t = await createTeam(ctx.db, { name })
  if (manager) {
    await ctx.db.execute(sql`update people set team_id = ${t.id} where id = ${manager.id}`)
    await setTeamManager(ctx.db, t.id, manager.id)
  }
  const members: Person[] = []
  for (let i = 0; i < size; i++) members.push(await createPerson(ctx.db, { teamId: t.id, managerId: manager?.id ?? null, locale: 'it' }))
  return { team: t, members }
}

beforeAll(async () => {
  sink = await startSmtpSink()
  ctx = await setupTestContext({ smtpUrl: sink.url })
  hr = await createPerson(ctx.db, { role: 'hr', locale: 'it', email: 'hr@signals.test' })
  leader = await createPerson(ctx.db, { role: 'leader', locale: 'en', email: 'leader@signals.test' })
  admin = await createPerson(ctx.db, { role: 'admin', locale: 'en', email: 'admin@signals.test' })
  marketing = await createPerson(ctx.db, { role: 'marketing', locale: 'en', email: 'marketing@signals.test' })
  managers.bari = await createPerson(ctx.db, { locale: 'it', email: 'bari.manager@signals.test' })
  managers.genova = await createPerson(ctx.db, { locale: 'en', email: 'genova.manager@signals.test' })
  managers.tiny = await createPerson(ctx.db, { locale: 'en', email: 'tiny.manager@signals.test' })
  const bari = await team('Bari', 6, managers.bari)
  const genova = await team('Genova', 8, managers.genova)
  const tiny = await team('Tiny', 3, managers.tiny)
  const piccolo = await team('Piccolo', 2)
  Object.assign(teams, { bari: bari.team, genova: genova.team, tiny: tiny.team, piccolo: piccolo.team })
  employee = bari.members[0]

  const survey = await createSurvey(ctx.db, { title: 'Monthly eNPS' })
  const q1 = await createRound(ctx.db, { surveyId: survey.id, opensAt: '2026-02-02T08:00:00Z', questions: [enpsQuestion] })
  const q2 = await createRound(ctx.db, { surveyId: survey.id, opensAt: '2026-05-04T08:00:00Z', questions: [enpsQuestion] })
  const scores = async (round: typeof q1, members: Person[], values: number[], day: string) =>
    answerEnps(ctx.db, round, members.map((m, i) => ({ personId: m.id, teamId: m.teamId, score: values[i] })), day)
  // Bari: 4 promoters + 2 passives (66.7) → 2 promoters, 2 passives, 2 detractors (0.0).
  await scores(q1, bari.members, [10, 10, 10, 9, 8, 7], '2026-02-03')
  await scores(q2, bari.members, [10, 9, 8, 7, 5, 3], '2026-05-05')
  await scores(q1, genova.members, [9, 9, 9, 8, 8, 8, 7, 7], '2026-02-03')
  await scores(q2, genova.members, [9, 9, 9, 8, 8, 8, 7, 7], '2026-05-05')
  await scores(q1, tiny.members, [10, 10, 10], '2026-02-03')
  await scores(q2, tiny.members, [5, 3, 0], '2026-05-05')
  await scores(q1, piccolo.members, [8, 8], '2026-02-03')
  await scores(q2, piccolo.members, [8, 8], '2026-05-05')
  // Win rate 6/10 in Q1 and 3/10 in Q2 for Bari, Genova and Tiny alike; amounts constant.
  for (const t of [bari, genova, tiny]) {
    await closeDeals(ctx.db, t.members[0].id, { won: 6, lost: 4, closedAt: '2026-02-16T10:00:00Z' })
    await closeDeals(ctx.db, t.members[0].id, { won: 3, lost: 7, closedAt: '2026-05-11T10:00:00Z' })
  }
  return () => sink.close()
})

const bariDetails = {
  enpsPeriodBefore: '2026-01-01',
  enpsBefore: 66.7,
  enpsAfter: 0,
  enpsDrop: 66.7,
  kpi: 'win_rate',
  lag: 0,
  kpiPeriodBefore: '2026-01-01',
  kpiPeriod: '2026-04-01',
  kpiBefore: 0.6,
  kpiAfter: 0.3,
  kpiDropPct: 50,
  currency: 'EUR',
}

async function stored() {
  return queryRows<{ teamId: string; kind: string; periodUnit: string; period: string; status: string; details: unknown }>(
    ctx.db,
    sql`select team_id::text as "teamId", kind, period_unit as "periodUnit", to_char(period, 'YYYY-MM-DD') as period, status, details from signals order by created_at`,
  )
}

async function page(personId: string, query = '') {
  const result = await call(signalsRoute.loader, ctx, makeRequest(`/signals${query}`, { cookie: await signedInCookie(ctx, personId) }))
  return result as Awaited<ReturnType<typeof signalsRoute.loader>> | Response
}

async function api(key: string, query = '') {
  return (await call(signalsApi, ctx, makeRequest(`/api/v1/signals${query}`, { headers: { Authorization: `Bearer ${key}` } }))) as Response
}

describe('detection', () => {
  it('raises exactly one signal, for Bari, with the figures of the drop in eNPS and win rate', async () => {
    const created = await detectSignals(ctx.db, { now: NOW })
    expect(created).toHaveLength(1)
    const rows = await stored()
    expect(rows).toEqual([{ teamId: teams.bari.id, kind: 'sentiment_and_kpi', periodUnit: 'quarter', period: '2026-04-01', status: 'open', details: bariDetails }])
  })

  it('is idempotent: running the detection again (or twice at once) adds nothing', async () => {
    const again = await Promise.all([detectSignals(ctx.db, { now: NOW }), detectSignals(ctx.db, { now: NOW })])
    expect(again).toEqual([[], []])
    expect(await stored()).toHaveLength(1)
  })

  it('lets a team below the threshold raise nothing that anyone can see: not in the database, the list or the API', async () => {
    const tinyRows = (await stored()).filter((r) => r.teamId === teams.tiny.id)
    expect(tinyRows).toEqual([])
    for (const person of [hr, leader, admin, managers.tiny]) {
      const data = await page(person.id, '?status=all')
      expect(data).not.toBeInstanceOf(Response)
      expect((data as Exclude<typeof data, Response>).signals.filter((s) => s.team.id === teams.tiny.id)).toEqual([])
    }
    expect(((await page(managers.tiny.id, '?status=all')) as { signals: unknown[] }).signals).toEqual([])
    for (const role of ['hr', 'leader', 'admin'] as const) {
      const response = await api(await createApiKey(ctx.db, role), `?status=all&team=${teams.tiny.id}`)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ signals: [] })
    }
  })

  it('respects the settings: a higher eNPS threshold than the drop raises nothing', async () => {
    await ctx.db.execute(sql`update settings set signal_enps_drop = 70 where id = 1`)
    const [{ n }] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from signals`)
    await ctx.db.execute(sql`delete from signals`)
    expect(await detectSignals(ctx.db, { now: NOW })).toEqual([])
    await ctx.db.execute(sql`update settings set signal_enps_drop = 15 where id = 1`)
    expect(await detectSignals(ctx.db, { now: NOW })).toHaveLength(n)
    expect((await stored()).map((r) => r.details)).toEqual([bariDetails])
  })
})

describe('who sees signals', () => {
  it('shows every signal to hr, leaders and admins, and a manager only their own teams’', async () => {
    for (const person of [hr, leader, admin, managers.bari]) {
      const data = (await page(person.id)) as { signals: { team: { id: string }; details: unknown }[] }
      expect(data.signals.map((s) => [s.team.id, s.details])).toEqual([[teams.bari.id, bariDetails]])
    }
    const genova = (await page(managers.genova.id)) as { signals: unknown[]; teams: { id: string }[] }
    expect(genova.signals).toEqual([])
    expect(genova.teams.map((t) => t.id)).toEqual([teams.genova.id])
    // Asking for another team's signals by URL does not widen the scope.
    const widened = (await page(managers.genova.id, `?team=${teams.bari.id}&status=all`)) as { signals: unknown[] }
    expect(widened.signals).toEqual([])
  })

  it('refuses employees and marketing (403) on the screen and on dismissing', async () => {
    for (const person of [employee, marketing]) {
      const response = (await page(person.id)) as Response
      expect(response.status).toBe(403)
      const [signal] = await listSignals(ctx.db, { id: hr.id, role: 'hr' })
      const post = (await call(signalsRoute.action, ctx, makeRequest('/signals', { form: { intent: 'dismiss', signalId: signal.id, reason: 'not mine' }, cookie: await signedInCookie(ctx, person.id) }))) as Response
      expect(post.status).toBe(403)
    }
    expect((await stored())[0].status).toBe('open')
  })

  it('shows the open signals on the home dashboard in the viewer’s scope', async () => {
    const forLeader = (await call(home.loader, ctx, makeRequest('/', { cookie: await signedInCookie(ctx, leader.id) }))) as { signals: { team: { name: string } }[] }
    expect(forLeader.signals.map((s) => s.team.name)).toEqual(['Bari'])
    const forGenova = (await call(home.loader, ctx, makeRequest('/', { cookie: await signedInCookie(ctx, managers.genova.id) }))) as { signals: unknown[] }
    expect(forGenova.signals).toEqual([])
  })

  it('serves GET /api/v1/signals to hr, leader and admin keys, refuses the other roles (403) and a missing key (401)', async () => {
    for (const role of ['hr', 'leader', 'admin'] as const) {
      const response = await api(await createApiKey(ctx.db, role))
      expect(response.status).toBe(200)
      const body = (await response.json()) as { signals: { team: { id: string; name: string }; kind: string; period: string; status: string; details: unknown }[] }
      expect(body.signals.map(({ team, kind, period, status, details }) => ({ team, kind, period, status, details }))).toEqual([
        { team: { id: teams.bari.id, name: 'Bari' }, kind: 'sentiment_and_kpi', period: '2026-04-01', status: 'open', details: bariDetails },
      ])
    }
    for (const role of ['employee', 'marketing'] as const) {
      const response = await api(await createApiKey(ctx.db, role))
      expect(response.status).toBe(403)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    }
    const anonymous = (await call(signalsApi, ctx, makeRequest('/api/v1/signals'))) as Response
    expect(anonymous.status).toBe(401)
    const bad = await api(await createApiKey(ctx.db, 'hr'), '?status=closed')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('status must be open, dismissed, actioned or all')
  })
})

describe('alerts', () => {
  it('emails hr, the leader and Bari’s manager once each, in their language, and nothing on the next run', async () => {
    sink.messages.length = 0
    await ctx.jobs.send('signals.detect', { unit: 'quarter', now: NOW.toISOString() })
    await ctx.jobs.drain(ctx)
    const toHr = await sink.waitFor(hr.email)
    const toLeader = await sink.waitFor(leader.email)
    const toManager = await sink.waitFor(managers.bari.email)
    expect(toHr.subject).toBe('Allerta: 1 nuovo segnale')
    expect(toManager.subject).toBe('Allerta: 1 nuovo segnale')
    expect(toLeader.subject).toBe('Early warning: 1 new signal')
    expect(toLeader.text).toContain('Bari · Q2 2026 · Sentiment and KPI falling')
    expect(toLeader.text).toContain('eNPS fell 66.7 points (66.7 → 0.0) and Win rate fell 50.0% (60.0% → 30.0%) in the same period.')
    expect(toLeader.html).toContain('Win rate fell 50.0%')
    expect(toHr.text).toContain('Bari · T2 2026 · Clima e KPI in calo')
    expect(toHr.text).toContain('L’eNPS è sceso di 66,7 punti (66,7 → 0,0) e Tasso di vittoria è sceso del 50,0% (60,0% → 30,0%) nello stesso periodo.')
    expect(toHr.text).toContain('http://pulseboard.test/signals')
    for (const mail of [toHr, toLeader, toManager]) {
      expect(mail.text).not.toContain('Tiny')
      expect(mail.html).not.toContain('Tiny')
    }
    expect(sink.messages.map((m) => m.to[0]).sort()).toEqual([hr.email, leader.email, managers.bari.email].sort())

    await ctx.jobs.send('signals.detect', { unit: 'quarter', now: NOW.toISOString() })
    await ctx.jobs.drain(ctx)
    expect(await claimSignalNotifications(ctx)).toEqual([])
    await ctx.jobs.drain(ctx)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(sink.messages).toHaveLength(3)
  })
})

describe('dismissing', () => {
  it('requires a reason: without one the answer names the field and nothing changes', async () => {
    const [signal] = await listSignals(ctx.db, { id: hr.id, role: 'hr' })
    const response = (await call(signalsRoute.action, ctx, makeRequest('/signals', { form: { intent: 'dismiss', signalId: signal.id, reason: '   ' }, cookie: await signedInCookie(ctx, hr.id) }))) as Response
    expect(response.status).toBe(400)
    const body = (await response.json()) as { result: { error: Record<string, string[]> } }
    expect(body.result.error.reason).toEqual(['Motivo: scrivi perché archivi questo segnale (da 1 a 1000 caratteri).'])
    expect((await stored())[0].status).toBe('open')
  })

  it('refuses a manager of another team (404, nothing changed) and lets Bari’s manager dismiss with a reason', async () => {
    const [signal] = await listSignals(ctx.db, { id: hr.id, role: 'hr' })
    const other = (await call(signalsRoute.action, ctx, makeRequest('/signals', { form: { intent: 'dismiss', signalId: signal.id, reason: 'Not my team' }, cookie: await signedInCookie(ctx, managers.genova.id) }))) as Response
    expect(other.status).toBe(404)
    expect((await stored())[0].status).toBe('open')
    const ok = await call(signalsRoute.action, ctx, makeRequest('/signals', { form: { intent: 'dismiss', signalId: signal.id, reason: 'Two reps left in April; known.' }, cookie: await signedInCookie(ctx, managers.bari.id) }))
    expect(ok).toMatchObject({ dismissed: true })
    const [after] = await listSignals(ctx.db, { id: hr.id, role: 'hr' }, { status: 'dismissed' })
    expect(after).toMatchObject({ id: signal.id, status: 'dismissed', dismissedReason: 'Two reps left in April; known.', dismissedBy: managers.bari.name })
    expect(await listSignals(ctx.db, { id: hr.id, role: 'hr' }, { status: 'open' })).toEqual([])
    const again = (await call(signalsRoute.action, ctx, makeRequest('/signals', { form: { intent: 'dismiss', signalId: signal.id, reason: 'again' }, cookie: await signedInCookie(ctx, hr.id) }))) as Response
    expect(again.status).toBe(409)
  })
})

describe('settings', () => {
  const valid = { orgName: 'Acme', defaultLocale: 'en', timezone: 'Europe/Rome', currency: 'EUR', enpsScale: '1-10', thresholdScores: '5', thresholdComments: '5', winRateConvention: 'closed' }
  const post = async (form: Record<string, string>) => call(settingsRoute.action, ctx, makeRequest('/settings', { cookie: await signedInCookie(ctx, admin.id), form: { ...valid, ...form } }))
  const current = async () =>
    (await queryRows<{ e: number; k: number; r: number }>(ctx.db, sql`select signal_enps_drop as e, signal_kpi_drop_pct as k, signal_response_rate_drop as r from settings where id = 1`))[0]

  it('refuses signal thresholds out of range, naming each field and what it accepts, and saves nothing', async () => {
    const before = await current()
    const response = (await post({ signalEnpsDrop: '0', signalKpiDropPct: '101', signalResponseRateDrop: '2.5' })) as Response
    expect(response.status).toBe(400)
    expect(((await response.json()) as { result: { error: Record<string, string[]> } }).result.error).toEqual({
      signalEnpsDrop: ['eNPS fall: a whole number of points from 1 to 200.'],
      signalKpiDropPct: ['Funnel KPI fall: a whole percentage from 1 to 100.'],
      signalResponseRateDrop: ['Response-rate fall: a whole number of points from 1 to 100.'],
    })
    expect(await current()).toEqual(before)
  })

  it('saves valid signal thresholds, and shows them on the settings screen', async () => {
    expect(await post({ signalEnpsDrop: '20', signalKpiDropPct: '12', signalResponseRateDrop: '30' })).toMatchObject({ saved: true })
    expect(await current()).toEqual({ e: 20, k: 12, r: 30 })
    const page = (await call(settingsRoute.loader, ctx, makeRequest('/settings', { cookie: await signedInCookie(ctx, admin.id) }))) as { settings: Record<string, unknown> }
    expect(page.settings).toMatchObject({ signalEnpsDrop: '20', signalKpiDropPct: '12', signalResponseRateDrop: '30' })
  })
})
