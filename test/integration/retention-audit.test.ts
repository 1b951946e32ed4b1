import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { commentReplies } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import type { AppContext } from '~/context'
import { messagesFor } from '~/i18n'
import { runRetention } from '~/privacy/retention.server'
import { loader as auditLoader } from '~/routes/audit'
import { loader as auditCsvLoader } from '~/routes/audit_.export[.]csv'
import { action as settingsAction } from '~/routes/settings._index'
import { updateSettings } from '~/settings/settings.server'
import { surveySchema } from '~/surveys/survey-schema'
import { saveSurveyDesign } from '~/surveys/surveys.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam } from '#test/support/factories'
import { createResponse, createRound, createSurvey, publishedFigures } from '#test/support/response-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { createTestSurvey } from '#test/support/survey-factories'

let ctx: AppContext
let admin: { id: string }
let adminCookie: string

beforeAll(async () => {
  ctx = await setupTestContext()
  admin = await createPerson(ctx.db, { role: 'admin', name: 'Ada Admin' })
  adminCookie = await signedInCookie(ctx, admin.id)
})

const settingsForm = (retentionMonths: string) => ({
  orgName: 'Acme',
  defaultLocale: 'en',
  timezone: 'Europe/Rome',
  currency: 'EUR',
  enpsScale: '1-10',
  thresholdScores: '5',
  thresholdComments: '5',
  winRateConvention: 'closed',
  signalEnpsDrop: '15',
  signalKpiDropPct: '10',
  signalResponseRateDrop: '25',
  retentionMonths,
})

describe('retention', () => {
  it('is off by default, set and cleared on the settings screen (audited), and refuses a value outside 6–120 naming the field', async () => {
    expect(await runRetention(ctx.db, { today: '2026-11-27' })).toBeNull()
    const refused = (await call(settingsAction, ctx, makeRequest('/settings', { form: settingsForm('5'), cookie: adminCookie }))) as Response
    expect(refused.status).toBe(400)
    expect(JSON.stringify(await refused.json())).toContain('"retentionMonths":["Enter a whole number of months from 6 to 120, or leave the field empty to keep everything."]')
    const [{ months: unchanged }] = await queryRows<{ months: number | null }>(ctx.db, sql`select retention_months as months from settings`)
    expect(unchanged).toBeNull()
    await call(settingsAction, ctx, makeRequest('/settings', { form: settingsForm('12'), cookie: adminCookie }))
    await call(settingsAction, ctx, makeRequest('/settings', { form: settingsForm(''), cookie: adminCookie }))
    const changes = await queryRows<{ details: unknown }>(ctx.db, sql`select details from audit_log where action = 'settings.changed' order by id`)
    expect(changes.map((c) => c.details)).toEqual([{ retentionMonths: { from: null, to: 12 } }, { retentionMonths: { from: 12, to: null } }])
    expect(await runRetention(ctx.db, { today: '2026-11-27' })).toBeNull()
    expect(await queryRows(ctx.db, sql`select 1 from audit_log where action = 'retention.run'`)).toEqual([])
  })

  it('deletes comments older than N months with their replies, detaches older responses, keeps every score; a second run changes nothing', async () => {
    const team = await createTeam(ctx.db)
    const [p1, p2] = [await createPerson(ctx.db, { teamId: team.id }), await createPerson(ctx.db, { teamId: team.id })]
    const survey = await createSurvey(ctx.db, { privacy: 'confidential' })
    const april = await createRound(ctx.db, { surveyId: survey.id, opensAt: '2026-04-01T08:00:00Z' })
    const october = await createRound(ctx.db, { surveyId: survey.id, opensAt: '2026-10-01T08:00:00Z' })
    const enps = (value: number) => ({ key: 'enps', type: 'enps' as const, value })
    const comment = (text: string) => ({ key: 'enps_reason', type: 'text' as const, text })
    const old1 = await createResponse(ctx.db, { surveyId: survey.id, roundId: april.id, personId: p1.id, teamId: team.id, submittedOn: '2026-04-02', answers: [enps(9), comment('old one'), { key: 'workload_manageable', type: 'agreement', driver: 'workload', value: 4 }] })
    await createResponse(ctx.db, { surveyId: survey.id, roundId: april.id, personId: p2.id, teamId: team.id, submittedOn: '2026-05-26', answers: [enps(6), comment('old two')] })
    await createResponse(ctx.db, { surveyId: survey.id, roundId: april.id, personId: null, teamId: team.id, submittedOn: '2026-04-03', answers: [enps(7), comment('old anon')] })
    // The cutoff day itself is kept (older than six months means before 2026-05-27).
    await createResponse(ctx.db, { surveyId: survey.id, roundId: october.id, personId: p1.id, teamId: team.id, submittedOn: '2026-05-27', answers: [enps(8), comment('new one')] })
    await createResponse(ctx.db, { surveyId: survey.id, roundId: october.id, personId: p2.id, teamId: team.id, submittedOn: '2026-10-02', answers: [enps(10)] })
    await ctx.db.execute(sql`update responses set reply_token_hash = 'hash-of-old1' where id = ${old1}`)
    const [oldComment] = await queryRows<{ id: number }>(ctx.db, sql`select id::int as id from answers where value_text = 'old one'`)
    await ctx.db.insert(commentReplies).values({ answerId: oldComment.id, authorId: admin.id, body: 'Thanks, we hear you' })
    await updateSettings(ctx.db, { retentionMonths: 6 })
    const before = await publishedFigures(ctx.db, survey.id)

    const run = await runRetention(ctx.db, { today: '2026-11-27' })
    expect(run).toEqual({ months: 6, cutoff: '2026-05-27', commentsDeleted: 3, repliesDeleted: 1, responsesDetached: 2 })
    expect(await queryRows(ctx.db, sql`select value_text from answers where type = 'text' order by value_text`)).toEqual([{ value_text: 'new one' }])
    expect(await queryRows(ctx.db, sql`select 1 from comment_replies`)).toEqual([])
    const old = await queryRows(ctx.db, sql`select person_id, invitation_id, reply_token_hash, team_id, submitted_on::text as day from responses where submitted_on < '2026-05-27' order by submitted_on`)
    expect(old).toEqual([
      { person_id: null, invitation_id: null, reply_token_hash: null, team_id: team.id, day: '2026-04-02' },
      { person_id: null, invitation_id: null, reply_token_hash: null, team_id: team.id, day: '2026-04-03' },
      { person_id: null, invitation_id: null, reply_token_hash: null, team_id: team.id, day: '2026-05-26' },
    ])
    expect(await queryRows(ctx.db, sql`select count(*)::int as n from responses where person_id is not null`)).toEqual([{ n: 2 }])
    // Every round's scores are unchanged (each respondent answers a round once).
    expect(await publishedFigures(ctx.db, survey.id)).toEqual(before)

    expect(await runRetention(ctx.db, { today: '2026-11-27' })).toEqual({ months: 6, cutoff: '2026-05-27', commentsDeleted: 0, repliesDeleted: 0, responsesDetached: 0 })
    const runs = await queryRows<{ actor_id: string | null; details: unknown }>(ctx.db, sql`select actor_id, details from audit_log where action = 'retention.run' order by id`)
    expect(runs).toEqual([
      { actor_id: null, details: { months: 6, cutoff: '2026-05-27', commentsDeleted: 3, repliesDeleted: 1, responsesDetached: 2 } },
      { actor_id: null, details: { months: 6, cutoff: '2026-05-27', commentsDeleted: 0, repliesDeleted: 0, responsesDetached: 0 } },
    ])
    await updateSettings(ctx.db, { retentionMonths: null })
  })
})

describe('audit log screen', () => {
  type Page = Awaited<ReturnType<typeof auditLoader>>
  const page = async (query: string, cookie = adminCookie) => (await call(auditLoader, ctx, makeRequest(`/audit${query}`, { cookie }))) as Page

  it('records survey privacy-mode changes with their actor', async () => {
    const created = await createTestSurvey(ctx.db, { title: 'Mood check' }, admin.id)
    const input = surveySchema(messagesFor('en')).parse({
      title: 'Mood check',
      kind: 'pulse',
      privacy: 'anonymous',
      cadence: 'weekly',
      questions: [{ type: 'agreement', driver: 'workload', required: true, text: { en: 'My workload is manageable.', it: 'Il mio carico di lavoro è gestibile.' } }],
    })
    const saved = await saveSurveyDesign(ctx.db, input, { surveyId: created.id, createdById: admin.id, messages: messagesFor('en').surveys.errors })
    expect(saved).toEqual({ ok: true, id: created.id })
    const data = await page('?action=survey.privacy_changed')
    expect(data.rows.map((r) => ({ action: r.action, actor: r.actorName, target: r.target, details: r.details }))).toEqual([
      { action: 'survey.privacy_changed', actor: 'Ada Admin', target: created.id, details: { title: 'Mood check', from: 'confidential', to: 'anonymous' } },
    ])
  })

  it('filters by action and by day, pages by 50, and says when a date is not understood', async () => {
    for (let i = 0; i < 60; i++) await recordAudit(ctx.db, { actorId: admin.id, action: 'kpi_target.set', target: `target-${i}` })
    await ctx.db.execute(sql`insert into audit_log (at, action, target) values ('2025-01-15T12:00:00Z', 'people.imported', 'january import')`)
    const first = await page('?action=kpi_target.set')
    expect({ total: first.total, pages: first.pages, rows: first.rows.length, newest: first.rows[0].target }).toEqual({ total: 60, pages: 2, rows: 50, newest: 'target-59' })
    const second = await page('?action=kpi_target.set&page=2')
    expect(second.rows.map((r) => r.target)).toEqual(Array.from({ length: 10 }, (_, i) => `target-${9 - i}`))
    const day = await page('?from=2025-01-15&to=2025-01-15')
    expect(day.rows.map((r) => [r.action, r.target])).toEqual([['people.imported', 'january import']])
    expect((await page('?from=2025-01-16&to=2025-12-31')).total).toBe(0)
    const bad = await page('?from=15/01/2025')
    expect(bad.invalid).toBe(true)
  })

  it('exports CSV for the filters, neutralising formulas, and audits the export', async () => {
    await recordAudit(ctx.db, { actorId: admin.id, action: 'team.created', target: '=HYPERLINK("http://evil.example","x")', details: { name: '+cmd' } })
    const response = (await call(auditCsvLoader, ctx, makeRequest('/audit/export.csv?action=team.created', { cookie: adminCookie }))) as Response
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    const lines = (await response.text()).replace(/^\uFEFF/, '').split('\r\n')
    expect(lines[0]).toBe('at,action,actor,api_key,target,details')
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,team\.created,Ada Admin,,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)","{""name"":""\+cmd""}"$/)
    expect(lines.slice(2)).toEqual([''])
    const [exported] = await queryRows<{ actor_id: string; details: unknown }>(ctx.db, sql`select actor_id, details from audit_log where action = 'audit.exported'`)
    expect(exported).toEqual({ actor_id: admin.id, details: { action: 'team.created', rows: 1 } })
    const refused = (await call(auditCsvLoader, ctx, makeRequest('/audit/export.csv?to=yesterday', { cookie: adminCookie }))) as Response
    expect(refused.status).toBe(400)
  })

  it('is for admins only', async () => {
    const hr = await createPerson(ctx.db, { role: 'hr' })
    const response = (await call(auditLoader, ctx, makeRequest('/audit', { cookie: await signedInCookie(ctx, hr.id) }))) as Response
    expect(response.status).toBe(403)
    const csv = (await call(auditCsvLoader, ctx, makeRequest('/audit/export.csv', { cookie: await signedInCookie(ctx, hr.id) }))) as Response
    expect(csv.status).toBe(403)
  })
})
