import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import type { AppContext } from '~/context'
import { loader as apiLoader } from '~/routes/api.v1.actions'
import { loader as openApiLoader } from '~/routes/api.v1.openapi[.]json'
import { loader as detailLoader, action as detailAction } from '~/routes/actions.$actionId'
import { loader as listLoader } from '~/routes/actions._index'
import { loader as newLoader, action as newAction } from '~/routes/actions.new'
import { openRoundNow } from '~/surveys/rounds.server'
import { loader as surveyPageLoader } from '~/routes/s.$token'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { closeDeals, surveyRound } from '#test/support/insights-factories'
import { createApiKey } from '#test/support/response-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { startSmtpSink } from '#test/support/smtp-sink'
import { createTestSurvey, surveyTokenFrom } from '#test/support/survey-factories'

/**
 * Action plans end to end through the route modules: who may create, read and edit what, actions
 * from a driver, the eNPS and a signal, the impact view's exact figures on a hand-built team, and
 * "you said, we did" on the next round's page and in its invitation email from the SMTP sink.
 */
let ctx: AppContext
let sink: Awaited<ReturnType<typeof startSmtpSink>>
const ids = {} as Record<'roma' | 'milano' | 'hr' | 'leader' | 'employee' | 'managerRoma' | 'managerMilano' | 'giulia', string>
const cookies = {} as Record<keyof typeof ids, string>
const romaReps: string[] = []

beforeAll(async () => {
  sink = await startSmtpSink()
  ctx = await setupTestContext({ smtpUrl: sink.url })
  const italy = await createTeam(ctx.db, { name: 'Italia' })
  const roma = await createTeam(ctx.db, { name: 'Roma', parentId: italy.id })
  const milano = await createTeam(ctx.db, { name: 'Milano', parentId: italy.id })
  ids.roma = roma.id
  ids.milano = milano.id
  ids.hr = (await createPerson(ctx.db, { role: 'hr', locale: 'en', email: 'hr@actions.test' })).id
  ids.leader = (await createPerson(ctx.db, { role: 'leader', locale: 'en', email: 'leader@actions.test' })).id
  ids.managerRoma = (await createPerson(ctx.db, { role: 'employee', locale: 'en', email: 'mgr.roma@actions.test' })).id
  ids.managerMilano = (await createPerson(ctx.db, { role: 'employee', locale: 'en', email: 'mgr.milano@actions.test' })).id
  await setTeamManager(ctx.db, roma.id, ids.managerRoma)
  await setTeamManager(ctx.db, milano.id, ids.managerMilano)
  for (let i = 0; i < 6; i++) romaReps.push((await createPerson(ctx.db, { teamId: roma.id, locale: 'en', email: `rep${i}@roma.test`, managerId: ids.managerRoma })).id)
  ids.employee = romaReps[0]
  ids.giulia = (await createPerson(ctx.db, { teamId: roma.id, locale: 'it', name: 'Giulia Rossi', email: 'giulia@roma.test' })).id
  for (const key of Object.keys(ids) as (keyof typeof ids)[]) if (key !== 'roma' && key !== 'milano') cookies[key] = await signedInCookie(ctx, ids[key])
  return () => sink.close()
}, 120_000)

const locationOf = (r: unknown) => (r instanceof Response ? r.headers.get('Location') : null)
const statusOf = (r: unknown) => (r instanceof Response ? r.status : 200)

async function create(who: keyof typeof cookies, form: Record<string, string>, query = '') {
  return call(newAction, ctx, makeRequest(`/actions/new${query}`, { method: 'POST', cookie: cookies[who], form }))
}

async function createdId(who: keyof typeof cookies, form: Record<string, string>) {
  const result = await create(who, form)
  const location = locationOf(result)
  expect(location, `create refused with ${statusOf(result)}`).toMatch(/^\/actions\/[0-9a-f-]{36}\?saved=created$/)
  return location!.split('/')[2].split('?')[0]
}

const row = async (id: string) =>
  (await queryRows<Record<string, unknown>>(ctx.db, sql`select title, team_id::text as "teamId", driver, kpi, status, source, signal_id::text as "signalId", source_survey_id::text as "sourceSurveyId", started_at is not null as started, done_at is not null as done, created_by_id::text as "createdById" from actions where id = ${id}`))[0]

describe('creating actions', () => {
  it('hr creates one from a driver row of the results, with the survey it came from', async () => {
    const { survey } = await surveyRound(ctx.db, { privacy: 'confidential', opensAt: '2026-01-05T08:00:00Z', submittedOn: '2026-01-06', answers: [] })
    const page = (await call(newLoader, ctx, makeRequest(`/actions/new?team=${ids.roma}&driver=workload&kpi=win_rate&survey=${survey.id}`, { cookie: cookies.hr }))) as { defaults: Record<string, string> }
    expect(page.defaults).toEqual({ status: 'planned', source: 'driver', teamId: ids.roma, driver: 'workload', kpi: 'win_rate', sourceSurveyId: survey.id })
    const id = await createdId('hr', { ...page.defaults, title: 'Cut the CRM admin', dueOn: '2026-12-31' })
    expect(await row(id)).toEqual({ title: 'Cut the CRM admin', teamId: ids.roma, driver: 'workload', kpi: 'win_rate', status: 'planned', source: 'driver', signalId: null, sourceSurveyId: survey.id, started: false, done: false, createdById: ids.hr })
  })

  it('a manager creates one on the eNPS for their own team; in progress sets startedAt', async () => {
    const page = (await call(newLoader, ctx, makeRequest(`/actions/new?driver=enps`, { cookie: cookies.managerRoma }))) as { defaults: Record<string, string>; teams: { id: string }[]; canOrg: boolean }
    expect(page.teams.map((t) => t.id)).toEqual([ids.roma])
    expect(page.canOrg).toBe(false)
    expect(page.defaults).toMatchObject({ source: 'enps', driver: 'enps', teamId: ids.roma })
    const id = await createdId('managerRoma', { ...page.defaults, title: 'Monthly team lunch', status: 'in_progress' })
    expect(await row(id)).toMatchObject({ source: 'enps', driver: 'enps', status: 'in_progress', started: true, done: false })
  })

  it('bad input names the field and changes nothing', async () => {
    const before = (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from actions`))[0].n
    const result = (await create('hr', { title: '  ', teamId: ids.roma, kpi: 'happiness', dueOn: '2026-02-30' })) as Response
    expect(result.status).toBe(400)
    const body = (await result.json()) as { result: { error: Record<string, string[]> } }
    expect(body.result.error.title).toEqual(['Title: write a title of 1 to 200 characters.'])
    expect(body.result.error.kpi[0]).toMatch(/^KPI: choose one of lead_conversion_rate, win_rate/)
    expect(body.result.error.dueOn).toEqual(['Due date: a date as YYYY-MM-DD.'])
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from actions`))[0].n).toBe(before)
  })

  it('a manager may not make someone outside their teams the owner (400 on the owner, nothing created)', async () => {
    const before = (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from actions`))[0].n
    const result = (await create('managerRoma', { title: 'Owned elsewhere', teamId: ids.roma, ownerId: ids.managerMilano })) as Response
    expect(result.status).toBe(400)
    const body = (await result.json()) as { result: { error: Record<string, string[]> } }
    expect(body.result.error.ownerId).toEqual(['Owner: choose an active person from the list.'])
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from actions`))[0].n).toBe(before)
  })

  it('a survey or round id from the link that does not exist is refused with a message, nothing created', async () => {
    const before = (await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from actions`))[0].n
    const result = (await create('hr', { title: 'From a stale link', teamId: ids.roma, sourceSurveyId: '00000000-0000-4000-8000-000000000000' })) as Response
    expect(result.status).toBe(400)
    const body = (await result.json()) as { result: { error: Record<string, string[]> } }
    expect(body.result.error['']).toEqual(['Source: the survey or round this action was opened from does not exist; open the form again from the results.'])
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from actions`))[0].n).toBe(before)
  })

  it('from a signal: the signal’s team, actions.signalId set and the signal actioned in the same transaction; once only', async () => {
    const [signal] = await queryRows<{ id: string }>(
      ctx.db,
      sql`insert into signals (team_id, kind, period_unit, period, details) values (${ids.roma}, 'sentiment_and_kpi', 'quarter', '2026-10-01', ${JSON.stringify({ kpi: 'win_rate', sentiment: 'enps' })}::jsonb) returning id::text as id`,
    )
    // Not visible to the manager of another team: 404, as if it did not exist, on the form and on save.
    expect(statusOf(await call(newLoader, ctx, makeRequest(`/actions/new?signal=${signal.id}`, { cookie: cookies.managerMilano })))).toBe(404)
    expect(statusOf(await create('managerMilano', { title: 'Steal it', teamId: ids.milano, signalId: signal.id }))).toBe(404)
    const page = (await call(newLoader, ctx, makeRequest(`/actions/new?signal=${signal.id}`, { cookie: cookies.hr }))) as { defaults: Record<string, string> }
    expect(page.defaults).toMatchObject({ source: 'signal', signalId: signal.id, teamId: ids.roma, kpi: 'win_rate', driver: 'enps' })
    // The team posted is ignored: an action from a signal is for the signal's team.
    const id = await createdId('hr', { ...page.defaults, teamId: ids.milano, title: 'Listen to Roma' })
    expect(await row(id)).toMatchObject({ teamId: ids.roma, source: 'signal', signalId: signal.id })
    expect((await queryRows<{ status: string }>(ctx.db, sql`select status from signals where id = ${signal.id}`))[0].status).toBe('actioned')
    const again = (await create('hr', { ...page.defaults, title: 'Twice' })) as Response
    expect(again.status).toBe(409)
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from actions where signal_id = ${signal.id}`))[0].n).toBe(1)
  })
})

describe('who may see and change what', () => {
  let milanoAction: string
  let orgAction: string
  beforeAll(async () => {
    milanoAction = await createdId('managerMilano', { title: 'Milano only', teamId: ids.milano })
    orgAction = await createdId('hr', { title: 'Org-wide training' })
  })

  it('a manager cannot create for a team outside their scope, nor for the whole organisation (403)', async () => {
    const outside = (await create('managerRoma', { title: 'Not mine', teamId: ids.milano })) as Response
    expect(outside.status).toBe(403)
    expect(((await outside.json()) as { result: { error: Record<string, string[]> } }).result.error.teamId).toEqual(['Team: you may only create actions for the teams you manage.'])
    expect(statusOf(await create('managerRoma', { title: 'Everyone' }))).toBe(403)
    expect((await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from actions where title in ('Not mine', 'Everyone')`))[0].n).toBe(0)
  })

  it('a manager cannot read or edit an action outside their scope (404), and does not see it in the list', async () => {
    expect(statusOf(await call(detailLoader, ctx, makeRequest(`/actions/${milanoAction}`, { cookie: cookies.managerRoma }), { actionId: milanoAction }))).toBe(404)
    expect(statusOf(await call(detailLoader, ctx, makeRequest(`/actions/${orgAction}`, { cookie: cookies.managerRoma }), { actionId: orgAction }))).toBe(404)
    const edit = await call(detailAction, ctx, makeRequest(`/actions/${milanoAction}`, { method: 'POST', cookie: cookies.managerRoma, form: { title: 'Hijacked', teamId: ids.roma, status: 'done' } }), { actionId: milanoAction })
    expect(statusOf(edit)).toBe(404)
    expect((await row(milanoAction)).title).toBe('Milano only')
    const list = (await call(listLoader, ctx, makeRequest('/actions', { cookie: cookies.managerRoma }))) as { actions: { title: string; team: { id: string } | null }[] }
    expect(list.actions.every((a) => a.team?.id === ids.roma)).toBe(true)
    expect(list.actions.map((a) => a.title)).not.toContain('Milano only')
    // Even filtering by that team explicitly.
    const filtered = (await call(listLoader, ctx, makeRequest(`/actions?team=${ids.milano}`, { cookie: cookies.managerRoma }))) as { actions: unknown[] }
    expect(filtered.actions).toEqual([])
  })

  it('a leader reads everything but edits nothing; hr sees the org-wide action', async () => {
    const list = (await call(listLoader, ctx, makeRequest('/actions?team=org', { cookie: cookies.leader }))) as { actions: { title: string; canEdit: boolean }[] }
    expect(list.actions.map((a) => [a.title, a.canEdit])).toEqual([['Org-wide training', false]])
    expect(statusOf(await call(newLoader, ctx, makeRequest('/actions/new', { cookie: cookies.leader })))).toBe(403)
    expect(statusOf(await call(detailAction, ctx, makeRequest(`/actions/${orgAction}`, { method: 'POST', cookie: cookies.leader, form: { title: 'x' } }), { actionId: orgAction }))).toBe(403)
  })

  it('employees are refused every action screen (403)', async () => {
    expect(statusOf(await call(listLoader, ctx, makeRequest('/actions', { cookie: cookies.employee })))).toBe(403)
    expect(statusOf(await call(newLoader, ctx, makeRequest('/actions/new', { cookie: cookies.employee })))).toBe(403)
    expect(statusOf(await call(newAction, ctx, makeRequest('/actions/new', { method: 'POST', cookie: cookies.employee, form: { title: 'x', teamId: ids.roma } })))).toBe(403)
    expect(statusOf(await call(detailLoader, ctx, makeRequest(`/actions/${orgAction}`, { cookie: cookies.employee }), { actionId: orgAction }))).toBe(403)
  })

  it('status moves set startedAt and doneAt, and reopening clears doneAt; overdue filter', async () => {
    const id = await createdId('managerRoma', { title: 'Overdue one', teamId: ids.roma, dueOn: '2020-01-31' })
    const overdue = (await call(listLoader, ctx, makeRequest('/actions?overdue=1', { cookie: cookies.managerRoma }))) as { actions: { id: string; overdue: boolean }[] }
    expect(overdue.actions.map((a) => [a.id, a.overdue])).toEqual([[id, true]])
    const save = (status: string) => call(detailAction, ctx, makeRequest(`/actions/${id}`, { method: 'POST', cookie: cookies.managerRoma, form: { title: 'Overdue one', teamId: ids.roma, dueOn: '2020-01-31', status, outcome: 'Done at last' } }), { actionId: id })
    expect(locationOf(await save('done'))).toBe(`/actions/${id}?saved=updated`)
    expect(await row(id)).toMatchObject({ status: 'done', started: true, done: true })
    expect(((await call(listLoader, ctx, makeRequest('/actions?overdue=1', { cookie: cookies.managerRoma }))) as { actions: unknown[] }).actions).toEqual([])
    await save('in_progress')
    expect(await row(id)).toMatchObject({ status: 'in_progress', started: true, done: false })
    await ctx.db.execute(sql`delete from actions where id = ${id}`)
  })

  it('API: hr, leader and admin keys list org-wide; other keys 403; no key 401; filters and bad filters', async () => {
    for (const role of ['hr', 'leader', 'admin'] as const) {
      const key = await createApiKey(ctx.db, role)
      const res = (await call(apiLoader, ctx, makeRequest('/api/v1/actions?team=org', { headers: { Authorization: `Bearer ${key}` } }))) as Response
      expect(res.status).toBe(200)
      const body = (await res.json()) as { actions: { title: string; team: null }[] }
      expect(body.actions.map((a) => a.title)).toEqual(['Org-wide training'])
    }
    for (const role of ['employee', 'marketing'] as const) {
      const key = await createApiKey(ctx.db, role)
      const res = (await call(apiLoader, ctx, makeRequest('/api/v1/actions', { headers: { Authorization: `Bearer ${key}` } }))) as Response
      expect(res.status).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    }
    expect(((await call(apiLoader, ctx, makeRequest('/api/v1/actions'))) as Response).status).toBe(401)
    const key = await createApiKey(ctx.db, 'hr')
    const byTeam = (await (
      (await call(apiLoader, ctx, makeRequest(`/api/v1/actions?team=${ids.milano}&status=planned`, { headers: { Authorization: `Bearer ${key}` } }))) as Response
    ).json()) as { actions: { title: string; team: { id: string; name: string } }[] }
    expect(byTeam.actions.map((a) => [a.title, a.team.name])).toEqual([['Milano only', 'Milano']])
    const bad = (await call(apiLoader, ctx, makeRequest('/api/v1/actions?status=finished', { headers: { Authorization: `Bearer ${key}` } }))) as Response
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('The request query is invalid: status: status must be one of planned, in_progress, done')
  })

  it('is described in the OpenAPI document with its filters and permission', async () => {
    const doc = (await ((await call(openApiLoader, ctx, makeRequest('/api/v1/openapi.json'))) as Response).json()) as { paths: Record<string, { get: { description: string; parameters: { name: string }[] } }> }
    expect(doc.paths['/actions'].get.description).toBe('Requires an API key whose role has the `actions:read-org` permission.')
    expect(doc.paths['/actions'].get.parameters.map((p) => p.name)).toEqual(['status', 'team', 'overdue', 'impact', 'unit', 'periods'])
  })
})

type ImpactData = { impact: { rows: { period: string; phase: string; partial: boolean; sentiment: unknown; kpi: unknown }[]; kpiInterval: string; from: string; to: string } }

describe('impact view', () => {
  let workloadAction: string
  let enpsAction: string
  beforeAll(async () => {
    const answer = (workload: number[], enps: number[]) => workload.map((w, i) => ({ personId: romaReps[i], teamId: ids.roma, workload: w, enps: enps[i] }))
    // February: five answers; March: four (below the threshold of 5); April: none; May: five; June: none.
    await surveyRound(ctx.db, { privacy: 'confidential', opensAt: '2026-02-09T08:00:00Z', submittedOn: '2026-02-10', answers: answer([2, 2, 3, 3, 2], [9, 10, 6, 7, 3]) })
    await surveyRound(ctx.db, { privacy: 'confidential', opensAt: '2026-03-09T08:00:00Z', submittedOn: '2026-03-10', answers: answer([1, 1, 1, 1], [1, 1, 1, 1]) })
    await surveyRound(ctx.db, { privacy: 'confidential', opensAt: '2026-05-25T08:00:00Z', submittedOn: '2026-05-26', answers: answer([4, 4, 5, 3, 4], [9, 9, 9, 8, 6]) })
    // Win rate (closed deals): February 3 of 4, March 1 of 4, May 4 of 5.
    await closeDeals(ctx.db, romaReps[0], { won: 3, lost: 1, closedAt: '2026-02-10T10:00:00Z' })
    await closeDeals(ctx.db, romaReps[1], { won: 1, lost: 3, closedAt: '2026-03-12T10:00:00Z' })
    await closeDeals(ctx.db, romaReps[2], { won: 4, lost: 1, closedAt: '2026-05-15T10:00:00Z' })
    workloadAction = await createdId('hr', { title: 'Lighter workload', teamId: ids.roma, driver: 'workload', kpi: 'win_rate', status: 'done' })
    enpsAction = await createdId('hr', { title: 'Listen more', teamId: ids.roma, driver: 'enps', kpi: 'win_rate', status: 'done' })
    // Created on 10 April, done on 20 May.
    await ctx.db.execute(sql`update actions set created_at = '2026-04-10T10:00:00Z', started_at = '2026-04-10T10:00:00Z', done_at = '2026-05-20T10:00:00Z' where id in (${workloadAction}, ${enpsAction})`)
  })

  const suppressed = { suppressed: true }
  const noKpi = { value: null, low: null, high: null }
  const kpis = [
    { value: 0.75, low: 0.3006, high: 0.9544 },
    { value: 0.25, low: 0.0456, high: 0.6994 },
    noKpi,
    { value: 0.8, low: 0.3755, high: 0.9638 },
    noKpi,
  ]

  it('driver: mean with its clustered 95% interval and favourable share before and after, win rate with Wilson; suppressed periods carry no figure', async () => {
    const data = (await call(detailLoader, ctx, makeRequest(`/actions/${workloadAction}?unit=month&periods=2`, { cookie: cookies.managerRoma }), { actionId: workloadAction })) as ImpactData
    expect(data.impact.kpiInterval).toBe('wilson')
    expect([data.impact.from, data.impact.to]).toEqual(['2026-02-01', '2026-06-30'])
    // Feb: 2,2,3,3,2 → mean 2.4, se √(5/4·1.2)/5 = 0.245, ±1.96·se → 1.92 … 2.88, none favourable.
    // May: 4,4,5,3,4 → mean 4, se √(5/4·2)/5 = 0.316 → 3.38 … 4.62, 4 of 5 favourable.
    // Win rate: 3/4 → Wilson 0.3006 … 0.9544; 1/4 → 0.0456 … 0.6994; 4/5 → 0.3755 … 0.9638.
    expect(data.impact.rows).toEqual([
      { period: '2026-02-01', phase: 'before', partial: false, sentiment: { suppressed: false, value: 2.4, low: 1.92, high: 2.88, n: 5, favourableShare: 0 }, kpi: kpis[0] },
      { period: '2026-03-01', phase: 'before', partial: false, sentiment: suppressed, kpi: kpis[1] },
      { period: '2026-04-01', phase: 'during', partial: false, sentiment: suppressed, kpi: kpis[2] },
      { period: '2026-05-01', phase: 'after', partial: false, sentiment: { suppressed: false, value: 4, low: 3.38, high: 4.62, n: 5, favourableShare: 0.8 }, kpi: kpis[3] },
      { period: '2026-06-01', phase: 'after', partial: false, sentiment: suppressed, kpi: kpis[4] },
    ])
  })

  it('eNPS with its 95% interval; the same figures (and the same suppression) through the API', async () => {
    const expected = [
      // 2 promoters, 1 passive, 2 detractors: 0 ± 1.96·√(0.8/5)·100 = ±78.4.
      { period: '2026-02-01', phase: 'before', partial: false, sentiment: { suppressed: false, value: 0, low: -78.4, high: 78.4, n: 5, favourableShare: null }, kpi: kpis[0] },
      { period: '2026-03-01', phase: 'before', partial: false, sentiment: suppressed, kpi: kpis[1] },
      { period: '2026-04-01', phase: 'during', partial: false, sentiment: suppressed, kpi: kpis[2] },
      // 3 promoters, 1 passive, 1 detractor: 40, 100·(0.4 ± 1.96·√(0.64/5)) = −30.1 … 110 → clamped to 100.
      { period: '2026-05-01', phase: 'after', partial: false, sentiment: { suppressed: false, value: 40, low: -30.1, high: 100, n: 5, favourableShare: null }, kpi: kpis[3] },
      { period: '2026-06-01', phase: 'after', partial: false, sentiment: suppressed, kpi: kpis[4] },
    ]
    const data = (await call(detailLoader, ctx, makeRequest(`/actions/${enpsAction}?unit=month&periods=2`, { cookie: cookies.hr }), { actionId: enpsAction })) as ImpactData
    expect(data.impact.rows).toEqual(expected)
    const key = await createApiKey(ctx.db, 'leader')
    const res = (await call(apiLoader, ctx, makeRequest(`/api/v1/actions?team=${ids.roma}&status=done&impact=true&unit=month&periods=2`, { headers: { Authorization: `Bearer ${key}` } }))) as Response
    const body = (await res.json()) as { actions: ({ title: string } & ImpactData)[] }
    const listed = body.actions.find((a) => a.title === 'Listen more')!
    expect(listed.impact.rows).toEqual(expected)
    // March had four respondents: nothing of it reaches the JSON but the notice.
    expect(JSON.stringify(listed.impact.rows[1])).toBe('{"period":"2026-03-01","phase":"before","partial":false,"sentiment":{"suppressed":true},"kpi":{"value":0.25,"low":0.0456,"high":0.6994}}')
  })

  it('quarters: the whole quarter before and the quarter it was done in', async () => {
    const data = (await call(detailLoader, ctx, makeRequest(`/actions/${workloadAction}?unit=quarter&periods=1`, { cookie: cookies.hr }), { actionId: workloadAction })) as ImpactData
    // Q1 holds February (five respondents) and March (four: below the threshold), so the quarter is
    // not published: with March inside it, Q1 − February would give March's four answers. Q2 is May alone.
    expect(data.impact.rows.map((r) => [r.period, r.phase, (r.sentiment as { value?: number }).value, (r.kpi as { value: number }).value])).toEqual([
      ['2026-01-01', 'before', undefined, 0.5],
      ['2026-04-01', 'after', 4, 0.8],
    ])
  })
})

describe('you said, we did', () => {
  it('on the next round’s survey page and in its invitation email, in Italian for an Italian recipient, for the team’s own and org-wide actions only', async () => {
    const survey = await createTestSurvey(ctx.db, { title: 'Pulse di Roma', audience: { type: 'teams', teamIds: [ids.roma] } })
    const mine = await createdId('managerRoma', { title: 'Meno campi nel CRM', teamId: ids.roma, status: 'done', outcome: 'I campi obbligatori sono passati da 40 a 12.', sourceSurveyId: survey.id })
    await createdId('hr', { title: 'Formazione per tutti', status: 'in_progress', outcome: '' })
    await createdId('managerMilano', { title: 'Only for Milano', teamId: ids.milano, status: 'done', outcome: 'Milano outcome' })
    const old = await createdId('managerRoma', { title: 'Long ago', teamId: ids.roma, status: 'done', outcome: 'Old news' })
    await ctx.db.execute(sql`update actions set done_at = now() - interval '120 days' where id = ${old}`)
    await createdId('managerRoma', { title: 'Still planned', teamId: ids.roma, outcome: 'Not yet' })
    await openRoundNow(ctx, survey.id)
    await ctx.jobs.drain(ctx, ['surveys.send-invitation'])

    const mail = await sink.waitFor('giulia@roma.test')
    expect(mail.text).toContain('Avete detto, abbiamo fatto')
    expect(mail.text).toContain('Cosa è stato fatto con i riscontri del vostro team:')
    expect(mail.text).toContain('• Meno campi nel CRM (Completata): I campi obbligatori sono passati da 40 a 12.')
    expect(mail.text).toContain('• Formazione per tutti (In corso)')
    for (const absent of ['Only for Milano', 'Milano outcome', 'Long ago', 'Still planned']) expect(mail.text).not.toContain(absent)
    const english = await sink.waitFor('rep1@roma.test')
    expect(english.text).toContain('You said, we did')
    expect(english.text).toContain('• Meno campi nel CRM (Done): I campi obbligatori sono passati da 40 a 12.')

    const page = (await call(surveyPageLoader, ctx, makeRequest(`/s/${surveyTokenFrom(mail.text)}`), { token: surveyTokenFrom(mail.text) })) as { locale: string; weDid: unknown[] }
    expect(page.locale).toBe('it')
    // This survey's action first, then the newest in progress; three at most ('Monthly team lunch' is the third).
    expect(page.weDid).toEqual([
      { title: 'Meno campi nel CRM', outcome: 'I campi obbligatori sono passati da 40 a 12.', status: 'done' },
      { title: 'Formazione per tutti', outcome: '', status: 'in_progress' },
      { title: 'Monthly team lunch', outcome: '', status: 'in_progress' },
    ])
    expect(mine).toBeTruthy()
  })
})
