import { sql } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { invitations, outbox, ownerMappings, signInTokens } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'
import { consumeSignInLink } from '~/auth/magic-link.server'
import { hashToken, randomToken } from '~/auth/tokens.server'
import type { AppContext } from '~/context'
import { addActionItem, savePrivateNote, setCheckIn } from '~/one-on-ones/one-on-ones.server'
import { createPerson } from '~/people/people.server'
import { loader as meLoader } from '~/routes/me'
import { loader as exportLoader } from '~/routes/me_.export[.]json'
import { action as eraseAction, loader as eraseLoader } from '~/routes/people.$personId_.erase'
import { setupTestContext } from '#test/support/context'
import { createPerson as makePerson, createTeam, setTeamManager } from '#test/support/factories'
import { createOpportunity } from '#test/support/kpi-factories'
import { createMeeting } from '#test/support/one-on-one-factories'
import { answerEnps, createResponse, createRound, createSurvey, publishedFigures } from '#test/support/response-factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

/**
 * Erasure and the own-data export on one small organisation: team Alpha (manager Marta, the
 * person to erase Xavier, and six colleagues) with a confidential eNPS survey of two monthly
 * rounds, a 1:1 pair Marta–Xavier with notes on both sides, and a deal Xavier owns.
 */
let ctx: AppContext
let admin: { id: string }
let marta: { id: string }
let xavier: { id: string; email: string }
let colleague: { id: string }
let team: { id: string }
let survey: { id: string }
let meetingId: string
let otherMeetingId: string
let januaryId: string

beforeAll(async () => {
  ctx = await setupTestContext()
  team = await createTeam(ctx.db, { name: 'Alpha' })
  admin = await makePerson(ctx.db, { role: 'admin', email: 'admin@dp.test', name: 'Ada Admin' })
  marta = await makePerson(ctx.db, { email: 'marta@dp.test', name: 'Marta Manager', teamId: team.id })
  await setTeamManager(ctx.db, team.id, marta.id)
  // Created through the app, so the audit log holds a 'person.created' entry with the email.
  const created = await createPerson(
    ctx.db,
    { actorId: admin.id },
    { intent: 'save', name: 'Xavier Erased', email: 'xavier@dp.test', role: 'employee', locale: null, timezone: null, teamId: team.id, managerId: marta.id, crmOwnerKeys: ['xavier-crm'], startedOn: null, leftOn: null },
  )
  if (!created.ok) throw new Error('could not create Xavier')
  xavier = { id: created.id, email: 'xavier@dp.test' }
  const colleagues = []
  for (let i = 0; i < 6; i++) colleagues.push(await makePerson(ctx.db, { teamId: team.id, managerId: marta.id, email: `c${i}@dp.test` }))
  colleague = colleagues[0]

  survey = await createSurvey(ctx.db, { title: 'Monthly eNPS', privacy: 'confidential' })
  const january = await createRound(ctx.db, { surveyId: survey.id, opensAt: '2026-01-05T08:00:00Z' })
  januaryId = january.id
  const february = await createRound(ctx.db, { surveyId: survey.id, opensAt: '2026-02-02T08:00:00Z' })
  const [invitation] = await ctx.db.insert(invitations).values({ roundId: january.id, personId: xavier.id, deliveryStatus: 'sent', sentAt: new Date('2026-01-05T08:00:00Z'), respondedAt: new Date('2026-01-06T09:00:00Z') }).returning()
  await createResponse(ctx.db, {
    surveyId: survey.id,
    roundId: january.id,
    personId: xavier.id,
    teamId: team.id,
    submittedOn: '2026-01-06',
    answers: [
      { key: 'enps', type: 'enps', value: 9 },
      { key: 'enps_reason', type: 'text', text: 'Great team, fair quota' },
      { key: 'workload_manageable', type: 'agreement', driver: 'workload', value: 4 },
    ],
  })
  await ctx.db.execute(sql`update responses set invitation_id = ${invitation.id} where person_id = ${xavier.id}`)
  await answerEnps(ctx.db, february, [{ personId: xavier.id, teamId: team.id, score: 3, workload: 2 }], '2026-02-03')
  const scores = [10, 9, 8, 7, 6, 2]
  await answerEnps(ctx.db, january, colleagues.map((c, i) => ({ personId: c.id, teamId: team.id, score: scores[i], workload: 1 + (i % 5) })), '2026-01-07')
  await answerEnps(ctx.db, february, colleagues.map((c, i) => ({ personId: c.id, teamId: team.id, score: scores[5 - i], workload: 5 - (i % 5) })), '2026-02-04')
  // Someone else's anonymous response on the same day as Xavier's: never part of his export.
  await answerEnps(ctx.db, january, [{ personId: null, teamId: team.id, score: 5, comment: 'Anonymous words' }], '2026-01-06')

  meetingId = await createMeeting(ctx.db, { managerId: marta.id, reportId: xavier.id, scheduledAt: new Date('2026-03-02T10:00:00Z') })
  await savePrivateNote(ctx, { meetingId, viewerId: xavier.id, text: 'Ask about the Milan role' })
  await savePrivateNote(ctx, { meetingId, viewerId: marta.id, text: 'Marta private: consider for promotion' })
  await ctx.db.execute(sql`update one_on_ones set shared_notes = 'Discussed Q2 pipeline' where id = ${meetingId}`)
  await addActionItem(ctx.db, { meetingId, viewerId: marta.id, text: 'Send the Q2 plan', owner: 'report', dueOn: '2026-03-09' })
  await setCheckIn(ctx.db, { meetingId, viewerId: xavier.id, score: 7 })
  otherMeetingId = await createMeeting(ctx.db, { managerId: marta.id, reportId: colleague.id, scheduledAt: new Date('2026-03-03T10:00:00Z') })
  await savePrivateNote(ctx, { meetingId: otherMeetingId, viewerId: marta.id, text: 'Note about someone else' })

  await ctx.db.insert(ownerMappings).values({ ownerKey: 'xavier-crm', personId: xavier.id })
  await createOpportunity(ctx.db, { ownerId: xavier.id, ownerKey: 'xavier-crm', amount: '12000.00', createdAt: new Date('2026-01-10T00:00:00Z'), status: 'won', closedAt: new Date('2026-02-10T00:00:00Z') })
  await recordAudit(ctx.db, { actorId: xavier.id, action: 'results.exported', target: survey.id })
})

describe('own-data export', () => {
  it('gives the signed-in person exactly their own data, with their private note decrypted, and audits it', async () => {
    const cookie = await signedInCookie(ctx, xavier.id)
    const response = (await call(exportLoader, ctx, makeRequest('/me/export.json', { cookie }))) as Response
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="pulseboard-my-data-\d{4}-\d{2}-\d{2}\.json"$/)
    const text = await response.text()
    const data = JSON.parse(text)
    expect(data.profile).toMatchObject({ id: xavier.id, name: 'Xavier Erased', email: 'xavier@dp.test', role: 'employee', team: 'Alpha', manager: 'Marta Manager', crmOwnerKeys: ['xavier-crm'], active: true, hasPassword: false })
    expect(data.responses).toEqual([
      {
        survey: 'Monthly eNPS',
        privacy: 'confidential',
        submittedOn: '2026-01-06',
        imported: false,
        answers: [
          { question: 'How likely is it that you would recommend us?', type: 'enps', driver: null, value: 9, text: null, replies: [] },
          { question: 'Why?', type: 'text', driver: null, value: null, text: 'Great team, fair quota', replies: [] },
          { question: 'My workload is manageable.', type: 'agreement', driver: 'workload', value: 4, text: null, replies: [] },
        ],
      },
      {
        survey: 'Monthly eNPS',
        privacy: 'confidential',
        submittedOn: '2026-02-03',
        imported: false,
        answers: [
          { question: 'How likely is it that you would recommend us?', type: 'enps', driver: null, value: 3, text: null, replies: [] },
          { question: 'My workload is manageable.', type: 'agreement', driver: 'workload', value: 2, text: null, replies: [] },
        ],
      },
    ])
    expect(data.invitations).toEqual([
      { survey: 'Monthly eNPS', opensAt: '2026-01-05T08:00:00.000Z', closesAt: '2026-01-10T08:00:00.000Z', deliveryStatus: 'sent', sentAt: '2026-01-05T08:00:00.000Z', remindersSent: 0, respondedAt: '2026-01-06T09:00:00.000Z' },
    ])
    expect(data.oneOnOnes).toHaveLength(1)
    expect(data.oneOnOnes[0]).toMatchObject({
      myRole: 'report',
      with: 'Marta Manager',
      scheduledAt: '2026-03-02T10:00:00.000Z',
      sharedNotes: 'Discussed Q2 pipeline',
      checkInScore: 7,
      myPrivateNote: { text: 'Ask about the Milan role' },
    })
    expect(data.checkIns).toEqual([{ scheduledAt: '2026-03-02T10:00:00.000Z', score: 7, at: data.oneOnOnes[0].checkInAt }])
    expect(data.actionItems).toMatchObject([{ text: 'Send the Q2 plan', owner: 'Xavier Erased', dueOn: '2026-03-09', doneAt: null }])
    // Not the manager's private notes, not anyone else's meetings or responses, not the anonymous comment.
    for (const absent of ['Marta private', 'Note about someone else', 'Anonymous words', 'c0@dp.test', 'admin@dp.test']) expect(text).not.toContain(absent)
    const [audit] = await queryRows<{ actor_id: string; target: string }>(ctx.db, sql`select actor_id, target from audit_log where action = 'person.data_exported'`)
    expect(audit).toEqual({ actor_id: xavier.id, target: xavier.id })
  })

  it('is for signed-in people only', async () => {
    const response = (await call(exportLoader, ctx, makeRequest('/me/export.json'))) as Response
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toMatch(/^\/login\?redirectTo=/)
  })
})

describe('erasing a person', () => {
  const aggregates = () => publishedFigures(ctx.db, survey.id)

  it('refuses a confirmation that does not match, and an admin erasing themselves, changing nothing', async () => {
    const cookie = await signedInCookie(ctx, admin.id)
    const wrong = (await call(eraseAction, ctx, makeRequest(`/people/${xavier.id}/erase`, { form: { confirmEmail: 'someone@dp.test' }, cookie }), { personId: xavier.id })) as Response
    expect(wrong.status).toBe(400)
    expect(JSON.stringify(await wrong.json())).toContain('The email you typed does not match')
    const self = (await call(eraseAction, ctx, makeRequest(`/people/${admin.id}/erase`, { form: { confirmEmail: 'admin@dp.test' }, cookie }), { personId: admin.id })) as Response
    expect(self.status).toBe(400)
    expect(JSON.stringify(await self.json())).toContain('You cannot erase your own account')
    const [{ n }] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from people where id in (${xavier.id}, ${admin.id})`)
    expect(n).toBe(2)
  })

  it('is refused to hr (people:erase is for admins)', async () => {
    const hr = await makePerson(ctx.db, { role: 'hr' })
    const cookie = await signedInCookie(ctx, hr.id)
    const response = (await call(eraseAction, ctx, makeRequest(`/people/${xavier.id}/erase`, { form: { confirmEmail: xavier.email }, cookie }), { personId: xavier.id })) as Response
    expect(response.status).toBe(403)
    expect((await queryRows(ctx.db, sql`select 1 from people where id = ${xavier.id}`)).length).toBe(1)
  })

  it('removes the person and their notes, ends their access, keeps every eNPS and driver aggregate identical', async () => {
    // A sign-in link emailed before the erasure (as the sign-in job stores it), and its dev-outbox copy.
    const token = randomToken()
    await ctx.db.insert(signInTokens).values({ tokenHash: hashToken(token), personId: xavier.id, redirectTo: '/', expiresAt: new Date(Date.now() + 15 * 60000) })
    await ctx.db.insert(outbox).values({ to: 'Xavier Erased <xavier@dp.test>', subject: 'Your Pulseboard sign-in link', html: '<p>link</p>', text: 'link', kind: 'sign-in-link' })
    // Someone else's address that contains his: their copy stays.
    await ctx.db.insert(outbox).values({ to: 'Maxavier@dp.test', subject: 'Your Pulseboard sign-in link', html: '<p>link</p>', text: 'link', kind: 'sign-in-link' })
    const xavierCookie = await signedInCookie(ctx, xavier.id)
    const before = await aggregates()
    // What the results show: January eNPS on 8 respondents (Xavier 9; colleagues 10, 9, 8, 7, 6, 2; the anonymous 5).
    expect(before.cells.find((r) => r.groupKey === team.id && r.bucket === januaryId && r.measure === 'enps')).toMatchObject({ shown: true, n: 8, promoters: 3, passives: 2, detractors: 3 })

    const adminCookie = await signedInCookie(ctx, admin.id)
    const page = (await call(eraseLoader, ctx, makeRequest(`/people/${xavier.id}/erase`, { cookie: adminCookie }), { personId: xavier.id })) as { person: { name: string } }
    expect(page.person.name).toBe('Xavier Erased')
    const result = (await call(eraseAction, ctx, makeRequest(`/people/${xavier.id}/erase`, { form: { confirmEmail: ' XAVIER@dp.test ' }, cookie: adminCookie }), { personId: xavier.id })) as { erased: Record<string, number> }
    expect(result.erased).toEqual({
      responsesAnonymised: 2,
      invitationsRemoved: 1,
      privateNotesDeleted: 1,
      meetingsDeleted: 1,
      sessionsEnded: 2, // the export test's and this one
      signInLinksRevoked: 1,
      apiKeysRevoked: 0,
      ownerMappingsRemoved: 1,
      dealsUnmapped: 1,
      leadsUnmapped: 0,
      outboxMessagesDeleted: 1,
      auditEntriesScrubbed: 1,
    })

    expect(await aggregates()).toEqual(before)
    expect(await queryRows(ctx.db, sql`select 1 from people where id = ${xavier.id} or lower(email) = 'xavier@dp.test'`)).toEqual([])
    expect(await queryRows(ctx.db, sql`select 1 from responses where person_id = ${xavier.id}`)).toEqual([])
    const [{ n: detached }] = await queryRows<{ n: number }>(ctx.db, sql`select count(*)::int as n from responses where person_id is null and invitation_id is null and team_id = ${team.id}`)
    expect(detached).toBe(3) // Xavier's two and the anonymous one
    // Notes: Xavier's own and the meeting with him are gone; Marta's note on another meeting stays.
    expect(await queryRows(ctx.db, sql`select 1 from one_on_one_private_notes where author_id = ${xavier.id} or meeting_id = ${meetingId}`)).toEqual([])
    expect(await queryRows(ctx.db, sql`select 1 from one_on_ones where id = ${meetingId}`)).toEqual([])
    expect((await queryRows(ctx.db, sql`select 1 from one_on_one_private_notes where meeting_id = ${otherMeetingId}`)).length).toBe(1)
    expect(await queryRows(ctx.db, sql`select "to" from outbox where lower("to") like '%xavier@dp.test%'`)).toEqual([{ to: 'Maxavier@dp.test' }])
    // The deal stays in the funnel, unmapped.
    expect(await queryRows(ctx.db, sql`select owner_id, amount from opportunities where owner_key = 'xavier-crm'`)).toEqual([{ owner_id: null, amount: '12000.00' }])
    // No sign-in: the old session and the emailed link are dead.
    const me = (await call(meLoader, ctx, makeRequest('/me', { cookie: xavierCookie }))) as Response
    expect(me.status).toBe(302)
    expect(await consumeSignInLink(ctx, token)).toEqual({ ok: false, reason: 'invalid' })
    // The audit log: the erasure with its actor and counts, no trace of the email anywhere.
    const [erased] = await queryRows<{ actor_id: string; target: string; details: Record<string, number> }>(ctx.db, sql`select actor_id, target, details from audit_log where action = 'person.erased'`)
    expect(erased).toEqual({ actor_id: admin.id, target: xavier.id, details: result.erased })
    const [{ hits }] = await queryRows<{ hits: number }>(ctx.db, sql`select count(*)::int as hits from audit_log where position('xavier@dp.test' in lower(audit_log::text)) > 0`)
    expect(hits).toBe(0)
    // His earlier export stays in the log, its actor now unknown.
    expect(await queryRows(ctx.db, sql`select actor_id from audit_log where action = 'results.exported'`)).toEqual([{ actor_id: null }])
  })
})
