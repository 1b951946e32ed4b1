import { sql } from 'drizzle-orm'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ViteDevServer, createServer as createVite } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '#db/client'
import { invitations } from '#db/schema'
import { TEST_APP_URL, setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'
import { answerEnps, closeRounds, createApiKey, createRound, createSurvey } from '#test/support/response-factories'
import { hashToken, randomToken } from '~/auth/tokens.server'
import { createHttpApp } from '~/http.server'
import { createLogger } from '~/logger.server'
import { messagesFor } from '~/i18n'
import { encodeCommentRef } from '~/replies/reference.server'
import type { CommentThreads, PrivateReplies } from '~/replies/types'
import { loader as driversApi } from '~/routes/api.v1.metrics.drivers'
import { loader as enpsApi } from '~/routes/api.v1.metrics.enps'
import { loader as meLoader } from '~/routes/me'
import { loader as privatePage } from '~/routes/r.$token'
import { action as replyAction, loader as resultsPage } from '~/routes/results.$surveyId'
import { action as respond } from '~/routes/s.$token'

/**
 * Replies to comments (issue 7, part 3). A reply reaches the respondent — through the private link
 * shown after submitting, and for confidential surveys at /me — and the replier never learns who
 * wrote the comment: not in the database row of the reply, not in the results page's loader data
 * or HTML, not in the reply action's answers, not in the API.
 */
const ctx = await setupTestContext()
const db = ctx.db
const en = messagesFor('en').replies

type Person = { id: string; name: string; email: string }
let alpha: { id: string }, bravo: { id: string }
let hr: Person, manager: Person, leader: Person, outsider: Person
const alphaMembers: Person[] = []
const bravoMembers: Person[] = []
const surveys = {} as Record<'anonymous' | 'confidential' | 'small', string>
const rounds = {} as Record<'anonymous' | 'confidential' | 'small', string>
const links = {} as Record<'anonymous' | 'confidential', string>
const invitationIds: string[] = []

async function person(values: Parameters<typeof createPerson>[1]): Promise<Person> {
  const p = await createPerson(db, values)
  return { id: p.id, name: p.name, email: p.email }
}

/** An open invitation with a known survey-link token, answered through the real /s/<token> action. */
async function answerThroughLink(roundId: string, respondent: Person, comment: string) {
  const token = randomToken()
  const [invitation] = await db.insert(invitations).values({ roundId, personId: respondent.id, tokenHash: hashToken(token), deliveryStatus: 'sent', sentAt: new Date() }).returning()
  invitationIds.push(invitation.id)
  const result = (await call(respond, ctx, makeRequest(`/s/${token}`, { form: { q1: '9', q2: comment, q3: '4' } }), { token })) as { state: string; replyLink?: string; privacy?: string }
  expect(result.state).toBe('thanks')
  return result
}

beforeAll(async () => {
  // Serial answer ids are made distinctive so that "the answer id appears nowhere" can be checked on raw text.
  await db.execute(sql`select setval('answers_id_seq', 987654321)`)
  alpha = await createTeam(db, { name: 'Alpha' })
  bravo = await createTeam(db, { name: 'Bravo' })
  manager = await person({ name: 'Paolo Manager', teamId: alpha.id })
  await setTeamManager(db, alpha.id, manager.id)
  for (let i = 0; i < 6; i++) alphaMembers.push(await person({ name: `Quintina Respondent${'ABCDEF'[i]}`, teamId: alpha.id, managerId: manager.id, locale: 'en' }))
  for (let i = 0; i < 5; i++) bravoMembers.push(await person({ name: `Bravo Member${i}`, teamId: bravo.id }))
  hr = await person({ name: 'Helena Hr', role: 'hr', locale: 'en' })
  leader = await person({ name: 'Leo Leader', role: 'leader' })
  outsider = await person({ name: 'Otto Outsider', teamId: bravo.id })

  const opensAt = new Date(Date.now() - 86400000).toISOString()
  const today = new Date().toISOString().slice(0, 10)
  for (const privacy of ['anonymous', 'confidential'] as const) {
    const survey = await createSurvey(db, { title: `${privacy} pulse`, privacy })
    const round = await createRound(db, { surveyId: survey.id, opensAt, privacy, status: 'open' })
    surveys[privacy] = survey.id
    rounds[privacy] = round.id
    // The respondent under test answers through their link; four colleagues and Bravo complete the groups.
    const submitted = await answerThroughLink(round.id, alphaMembers[0], `${privacy.toUpperCase()} comment from the field`)
    expect(submitted.privacy).toBe(privacy)
    expect(submitted.replyLink).toMatch(new RegExp(`^${TEST_APP_URL}/r/[A-Za-z0-9_-]{43}$`))
    links[privacy] = submitted.replyLink!.split('/r/')[1]
    const who = (p: Person) => (privacy === 'anonymous' ? null : p.id)
    await answerEnps(db, round, alphaMembers.slice(1, 5).map((p, i) => ({ personId: who(p), teamId: alpha.id, score: 7 + i, comment: `alpha ${privacy} ${i}`, workload: 4 })), today)
    await answerEnps(db, round, bravoMembers.map((p, i) => ({ personId: who(p), teamId: bravo.id, score: 6 + i, comment: `bravo ${privacy} ${i}`, workload: 3 })), today)
  }
  // Four respondents only: their comments are hidden (threshold 5).
  const small = await createSurvey(db, { title: 'small pulse' })
  const smallRound = await createRound(db, { surveyId: small.id, opensAt, status: 'open' })
  surveys.small = small.id
  rounds.small = smallRound.id
  await answerEnps(db, smallRound, alphaMembers.slice(0, 4).map((p, i) => ({ personId: p.id, teamId: alpha.id, score: 8, comment: `hidden small ${i}` })), today)
  // Results, comments and replies exist once a round has closed (an open round publishes nothing).
  await closeRounds(db, Object.values(rounds))
})

async function results(viewer: Person, surveyId: string, query = '') {
  const data = (await call(resultsPage, ctx, makeRequest(`/results/${surveyId}${query}`, { cookie: await signedInCookie(ctx, viewer.id) }), { surveyId })) as { comments: CommentThreads | null }
  expect(data).toHaveProperty('comments')
  return data
}

type ActionOutcome = { status: number; location: string | null; body: unknown }

async function reply(viewer: Person, surveyId: string, form: Record<string, string>, query = ''): Promise<ActionOutcome> {
  const out = await call(replyAction, ctx, makeRequest(`/results/${surveyId}${query}`, { cookie: await signedInCookie(ctx, viewer.id), form: { intent: 'reply', ...form } }), { surveyId })
  if (!(out instanceof Response)) return { status: 200, location: null, body: out }
  const json = out.headers.get('Content-Type')?.startsWith('application/json')
  return { status: out.status, location: out.headers.get('Location'), body: json ? await out.json() : null }
}

const formErrors = (o: ActionOutcome) => (o.body as { result: { error: Record<string, string[] | null> } }).result.error
const replyCount = async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from comment_replies`))[0].n

async function privateReplies(token: string, ip = '198.51.100.7'): Promise<{ status: number; body: { state: string; replies?: PrivateReplies } }> {
  const out = await call(privatePage, ctx, makeRequest(`/r/${token}`, { headers: { 'X-Pulseboard-Client-Ip': ip } }), { token })
  if (out instanceof Response) return { status: out.status, body: (await out.json()) as { state: string } }
  return { status: 200, body: out as { state: 'found'; replies: PrivateReplies } }
}

function refFor(threads: CommentThreads | null, text: string) {
  const thread = threads?.items.find((t) => t.text === text)
  expect(thread, `comment "${text}" on the page`).toBeDefined()
  return thread!.ref
}

/** Every identifier of the respondent under test, and of their responses, answers and invitations. */
async function respondentTraces() {
  const respondent = alphaMembers[0]
  const ids = await queryRows<{ responseId: string; answerId: string }>(
    db,
    sql`select r.id::text as "responseId", a.id::text as "answerId" from responses r join answers a on a.response_id = r.id
        where r.reply_token_hash is not null`,
  )
  expect(ids.length).toBeGreaterThanOrEqual(4)
  return [respondent.id, respondent.email, respondent.name, 'Quintina', ...ids.flatMap((i) => [i.responseId, i.answerId]), ...invitationIds]
}

function expectNoTrace(text: string, traces: string[]) {
  for (const trace of traces) expect(text, `leaks ${trace}`).not.toContain(trace)
  expect(text).not.toMatch(/answerId|responseId|invitationId|personId|98765\d{4}/)
}

describe('the private link', () => {
  it('is shown after submitting a comment, stored only as its SHA-256, and never for a response without a comment', async () => {
    for (const privacy of ['anonymous', 'confidential'] as const) {
      const rows = await queryRows<{ personId: string | null; invitationId: string | null; hash: string }>(
        db,
        sql`select person_id::text as "personId", invitation_id::text as "invitationId", reply_token_hash as hash from responses where round_id = ${rounds[privacy]}::uuid and reply_token_hash is not null`,
      )
      expect(rows).toHaveLength(1)
      expect(rows[0].hash).toBe(hashToken(links[privacy]))
      expect(rows[0].personId).toBe(privacy === 'anonymous' ? null : alphaMembers[0].id)
      const tokenStored = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from responses where reply_token_hash = ${links[privacy]}`)
      expect(tokenStored[0].n).toBe(0)
    }
    const noComment = await createRound(db, { surveyId: surveys.confidential, opensAt: new Date(Date.now() - 3600000).toISOString(), status: 'open' })
    const token = randomToken()
    await db.insert(invitations).values({ roundId: noComment.id, personId: alphaMembers[5].id, tokenHash: hashToken(token), deliveryStatus: 'sent' })
    const result = (await call(respond, ctx, makeRequest(`/s/${token}`, { form: { q1: '10', q2: '', q3: '5' } }), { token })) as { state: string; replyLink?: string }
    expect(result).toEqual({ state: 'thanks', replyLink: undefined, privacy: 'confidential' })
    const [row] = await queryRows<{ hash: string | null }>(db, sql`select reply_token_hash as hash from responses where round_id = ${noComment.id}::uuid`)
    expect(row.hash).toBeNull()
    await db.execute(sql`delete from survey_rounds where id = ${noComment.id}::uuid`)
  })

  it('lists the comment with no reply yet, in the question’s words', async () => {
    const page = await privateReplies(links.anonymous)
    expect(page.status).toBe(200)
    expect(page.body).toEqual({
      state: 'found',
      replies: { surveyTitle: 'anonymous pulse', privacy: 'anonymous', comments: [{ question: { en: 'Why?', it: 'Perché?' }, text: 'ANONYMOUS comment from the field', replies: [] }] },
    })
  })

  it('answers an unknown or malformed token with a 404 page', async () => {
    // A real link with one character changed (to a different one: the last character could already be 'A').
    const tampered = `${links.anonymous.slice(0, 10)}${links.anonymous[10] === 'A' ? 'B' : 'A'}${links.anonymous.slice(11)}`
    for (const token of [randomToken(), 'short', tampered]) {
      const page = await privateReplies(token, '198.51.100.8')
      expect(page).toEqual({ status: 404, body: { state: 'not_found' } })
    }
  })
})

describe('hr replies; the respondent reads the reply', () => {
  it('to an anonymous comment: read through the private link only', async () => {
    const page = await results(hr, surveys.anonymous, `?team=${alpha.id}`)
    expect(page.comments!.canReply).toBe(true)
    expect(page.comments!.items.map((i) => i.text).sort()).toEqual(['ANONYMOUS comment from the field', 'alpha anonymous 0', 'alpha anonymous 1', 'alpha anonymous 2', 'alpha anonymous 3'])
    const ref = refFor(page.comments, 'ANONYMOUS comment from the field')
    const before = await replyCount()
    const out = await reply(hr, surveys.anonymous, { ref, body: '  Thank you — we are changing the lead routing next month.  ' }, `?team=${alpha.id}`)
    expect(out).toEqual({ status: 302, location: `/results/${surveys.anonymous}?team=${alpha.id}`, body: null })
    expect(await replyCount()).toBe(before + 1)

    const read = await privateReplies(links.anonymous)
    const comment = read.body.replies!.comments[0]
    expect(comment.text).toBe('ANONYMOUS comment from the field')
    expect(comment.replies).toHaveLength(1)
    expect(comment.replies[0]).toMatchObject({ author: 'Helena Hr', role: 'hr', body: 'Thank you — we are changing the lead routing next month.' })

    // The reply shows under the comment on the results page, for hr and for the leader (who may not reply).
    const again = await results(hr, surveys.anonymous, `?team=${alpha.id}`)
    expect(again.comments!.items.find((i) => i.text === 'ANONYMOUS comment from the field')!.replies.map((r) => r.body)).toEqual(['Thank you — we are changing the lead routing next month.'])
    const leaderPage = await results(leader, surveys.anonymous, `?team=${alpha.id}`)
    expect(leaderPage.comments!.canReply).toBe(false)
    expect(leaderPage.comments!.items.find((i) => i.text === 'ANONYMOUS comment from the field')!.replies).toHaveLength(1)
    expect((await reply(leader, surveys.anonymous, { ref, body: 'leader reply' })).status).toBe(403)

    // Anonymous responses belong to no one: /me of the respondent shows nothing of it.
    const me = (await call(meLoader, ctx, makeRequest('/me', { cookie: await signedInCookie(ctx, alphaMembers[0].id) }))) as { commentReplies: unknown[] }
    expect(JSON.stringify(me.commentReplies)).not.toContain('ANONYMOUS')
  })

  it('to a confidential comment: read through the private link and at /me of that person only', async () => {
    const page = await results(hr, surveys.confidential)
    const ref = refFor(page.comments, 'CONFIDENTIAL comment from the field')
    const out = await reply(hr, surveys.confidential, { ref, body: 'We will review quotas with you in the next 1:1 round.' })
    expect(out.status).toBe(302)

    const read = await privateReplies(links.confidential)
    expect(read.body.replies!.comments[0].replies.map((r) => [r.author, r.role, r.body])).toEqual([['Helena Hr', 'hr', 'We will review quotas with you in the next 1:1 round.']])

    const me = async (p: Person) => (await call(meLoader, ctx, makeRequest('/me', { cookie: await signedInCookie(ctx, p.id) }))) as { commentReplies: { surveyTitle: string; text: string; replies: { body: string }[] }[] }
    const mine = await me(alphaMembers[0])
    expect(mine.commentReplies.map((c) => ({ surveyTitle: c.surveyTitle, text: c.text, replies: c.replies.map((r) => r.body) }))).toEqual([
      { surveyTitle: 'confidential pulse', text: 'CONFIDENTIAL comment from the field', replies: ['We will review quotas with you in the next 1:1 round.'] },
    ])
    // A colleague who answered the same survey, the replier and an outsider see nothing of it.
    for (const other of [alphaMembers[1], hr, outsider]) expect((await me(other)).commentReplies).toEqual([])
  })

  it('stores a reply with its author and text only: nothing that names the respondent', async () => {
    const rows = await queryRows<Record<string, unknown>>(db, sql`select * from comment_replies order by created_at`)
    expect(rows.length).toBeGreaterThanOrEqual(2)
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['answer_id', 'author_id', 'body', 'created_at', 'id'])
    const respondent = alphaMembers[0]
    const text = JSON.stringify(rows)
    for (const trace of [respondent.id, respondent.email, respondent.name, ...invitationIds]) expect(text).not.toContain(trace)
    const responseIds = await queryRows<{ id: string }>(db, sql`select id::text as id from responses where reply_token_hash is not null`)
    for (const { id } of responseIds) expect(text).not.toContain(id)
  })
})

describe('the replier never learns who it was', () => {
  it('in the results loader data, the reply action’s answers and the API', async () => {
    const traces = await respondentTraces()
    for (const surveyId of [surveys.anonymous, surveys.confidential]) {
      for (const query of ['', `?team=${alpha.id}`]) {
        for (const viewer of [hr, manager]) {
          if (viewer === manager && query === '') continue
          const data = await results(viewer, surveyId, query)
          expect(data.comments!.items.length).toBe(query ? 5 : 10)
          expectNoTrace(JSON.stringify(data), traces)
        }
      }
      const ref = refFor((await results(hr, surveyId)).comments, `alpha ${surveyId === surveys.anonymous ? 'anonymous' : 'confidential'} 1`)
      for (const form of [{ ref, body: '' }, { ref: `${ref.slice(0, 10)}x${ref.slice(11)}`, body: 'x' }, { ref, body: 'y'.repeat(4001) }]) {
        const out = await reply(hr, surveyId, form)
        expectNoTrace(JSON.stringify(out), traces)
      }
    }
    const key = await createApiKey(db, 'hr')
    const today = new Date().toISOString().slice(0, 10)
    for (const loader of [enpsApi, driversApi]) {
      for (const groupBy of ['org', 'team']) {
        const response = (await loader({ request: makeRequest(`/api/v1/metrics/x?groupBy=${groupBy}&period=month&from=${today}&to=${today}`, { headers: { Authorization: `Bearer ${key}` } }), params: {}, context: { app: ctx } })) as Response
        expect(response.status).toBe(200)
        expectNoTrace(await response.text(), traces)
      }
    }
  })

  it('references differ from every id and cannot be decoded without the server secret', async () => {
    const page = await results(hr, surveys.anonymous)
    const refs = page.comments!.items.map((i) => i.ref)
    expect(new Set(refs).size).toBe(10)
    for (const ref of refs) expect(ref).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    // The same comment keeps its reference across loads (so a form's error finds its comment again).
    expect((await results(hr, surveys.anonymous)).comments!.items.map((i) => i.ref)).toEqual(refs)
  })
})

describe('who may reply to what', () => {
  it('a manager replies to a comment of their own team', async () => {
    const ref = refFor((await results(manager, surveys.confidential)).comments, 'alpha confidential 2')
    expect((await results(manager, surveys.confidential)).comments!.canReply).toBe(true)
    const out = await reply(manager, surveys.confidential, { ref, body: 'Let us talk about it on Thursday.' })
    expect(out.status).toBe(302)
    const [row] = await queryRows<{ author: string; body: string }>(db, sql`select author_id::text as author, body from comment_replies where body = 'Let us talk about it on Thursday.'`)
    expect(row).toEqual({ author: manager.id, body: 'Let us talk about it on Thursday.' })
  })

  it('a manager cannot reply to a team outside their scope, nor through the organisation view', async () => {
    const bravoRef = refFor((await results(hr, surveys.confidential, `?team=${bravo.id}`)).comments, 'bravo confidential 0')
    const orgRef = refFor((await results(hr, surveys.confidential)).comments, 'alpha confidential 3')
    const before = await replyCount()
    for (const ref of [bravoRef, orgRef]) {
      const out = await reply(manager, surveys.confidential, { ref, body: 'Not my team.' })
      expect(out.status).toBe(403)
      expect(formErrors(out)['']).toEqual([en.notAllowed])
    }
    expect(await replyCount()).toBe(before)
    // An employee (the outsider) is refused before anything is read.
    expect((await reply(outsider, surveys.confidential, { ref: bravoRef, body: 'x' })).status).toBe(403)
    expect(await replyCount()).toBe(before)
  })

  it('nobody can reply to a comment hidden below the threshold, even with a well-formed reference', async () => {
    const page = await results(hr, surveys.small, `?team=${alpha.id}`)
    expect(page.comments).toBeNull()
    const [hidden] = await queryRows<{ id: string }>(db, sql`select a.id::text as id from answers a join responses r on r.id = a.response_id where r.round_id = ${rounds.small}::uuid and a.value_text = 'hidden small 0'`)
    const before = await replyCount()
    for (const [viewer, groupId] of [[hr, 'org'], [hr, alpha.id], [manager, alpha.id]] as const) {
      const ref = encodeCommentRef(ctx.env.SESSION_SECRET, { answerId: hidden.id, groupId })
      const out = await reply(viewer, surveys.small, { ref, body: 'I should not be able to reply.' })
      expect(out.status).toBe(403)
      expect(formErrors(out)['']).toEqual([en.notAllowed])
    }
    // A valid reference presented on another survey's page is refused too.
    const ref = refFor((await results(hr, surveys.confidential)).comments, 'alpha confidential 0')
    expect((await reply(hr, surveys.anonymous, { ref, body: 'wrong survey' })).status).toBe(403)
    expect(await replyCount()).toBe(before)
  })

  it('a forged or altered reference is refused with a clear message and nothing is written', async () => {
    const ref = refFor((await results(hr, surveys.confidential)).comments, 'alpha confidential 0')
    const flipped = `${ref.slice(0, 20)}${ref[20] === 'A' ? 'B' : 'A'}${ref.slice(21)}`
    const otherSecret = encodeCommentRef('another-secret-0123456789abcdef0123456789', { answerId: '987654322', groupId: 'org' })
    const before = await replyCount()
    for (const forged of [flipped, otherSecret, '987654322', 'x'.repeat(60)]) {
      const out = await reply(hr, surveys.confidential, { ref: forged, body: 'forged' })
      expect(out.status).toBe(400)
      expect(formErrors(out)['']).toEqual([en.invalidReference])
    }
    const missing = await reply(hr, surveys.confidential, { body: 'no reference' })
    expect(missing.status).toBe(400)
    expect(formErrors(missing).ref).toEqual([en.invalidReference])
    expect(await replyCount()).toBe(before)
  })

  it('an empty or too long reply gets a clear message naming the limit; 4,000 characters are accepted', async () => {
    const ref = refFor((await results(hr, surveys.confidential)).comments, 'alpha confidential 0')
    const before = await replyCount()
    for (const body of ['', '   ']) {
      const out = await reply(hr, surveys.confidential, { ref, body })
      expect(out.status).toBe(400)
      expect(formErrors(out).body).toEqual(['Write a reply (1 to 4,000 characters).'])
    }
    const long = await reply(hr, surveys.confidential, { ref, body: 'y'.repeat(4001) })
    expect(long.status).toBe(400)
    expect(formErrors(long).body).toEqual(['A reply can be at most 4,000 characters; this one has 4,001.'])
    expect(await replyCount()).toBe(before)
    expect((await reply(hr, surveys.confidential, { ref, body: 'y'.repeat(4000) })).status).toBe(302)
    expect(await replyCount()).toBe(before + 1)
  })
})

describe('guessing private links', () => {
  it('is limited per address: after 60 failed look-ups even a valid link is refused from there, not elsewhere', async () => {
    const ip = '192.0.2.77'
    for (let i = 0; i < 60; i++) expect((await privateReplies(randomToken(), ip)).status).toBe(404)
    const blocked = await privateReplies(links.anonymous, ip)
    expect(blocked.status).toBe(429)
    expect(blocked.body).toEqual({ state: 'limited', minutes: 15 })
    expect((await privateReplies(links.anonymous, '192.0.2.78')).status).toBe(200)
  })
})

describe('as a browser receives it (the real HTTP app, server-rendered HTML)', () => {
  let vite: ViteDevServer
  let server: Server
  let base = ''
  const logLines: string[] = []
  const shownTokens: string[] = []
  beforeAll(async () => {
    // The app's own express stack on this file's database, with Vite rendering the routes (no build needed).
    vite = await createVite({ configFile: 'vite.config.ts', server: { middlewareMode: true, hmr: false, watch: null }, appType: 'custom', logLevel: 'silent' })
    server = createHttpApp({ ...ctx, logger: createLogger('info', { write: (line: string) => void logLines.push(line) }) }, { vite }).listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    // Vite compiles the app on the first request: do it here, outside the tests' time limit.
    await fetch(`${base}/results/${surveys.anonymous}`, { headers: { Cookie: await signedInCookie(ctx, hr.id) } })
  }, 180_000)
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    await vite?.close()
  })

  const get = async (path: string, personId?: string) => {
    const res = await fetch(`${base}${path}`, { headers: personId ? { Cookie: await signedInCookie(ctx, personId) } : {} })
    return { status: res.status, headers: res.headers, text: await res.text() }
  }

  it('the results page shows comments, replies and reply forms, and nothing that names the respondent', async () => {
    const traces = await respondentTraces()
    for (const surveyId of [surveys.anonymous, surveys.confidential]) {
      for (const [viewer, query] of [[hr, ''], [hr, `?team=${alpha.id}`], [manager, '']] as const) {
        const page = await get(`/results/${surveyId}${query}`, viewer.id)
        expect(page.status).toBe(200)
        expect(page.text).toContain('alpha ')
        expect(page.text).toContain('name="ref"')
        expect(page.text).toContain('<form method="post"')
        expectNoTrace(page.text, traces)
      }
    }
    const page = await get(`/results/${surveys.anonymous}?team=${alpha.id}`, hr.id)
    expect(page.text).toContain('Thank you — we are changing the lead routing next month.')
    expect(page.text).toContain('Helena Hr (HR)')
    // The single-fetch data of the page (what client navigation loads) holds no trace either.
    const data = await get(`/results/${surveys.anonymous}.data?team=${alpha.id}`, hr.id)
    expect(data.status).toBe(200)
    expectNoTrace(data.text, traces)
    // The form as a browser without JavaScript posts it: back to the same page, the reply below the comment.
    const ref = /name="ref" value="([A-Za-z0-9_-]+)"/.exec(page.text)![1]
    const posted = await fetch(`${base}/results/${surveys.anonymous}?team=${alpha.id}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: await signedInCookie(ctx, hr.id) },
      body: new URLSearchParams({ intent: 'reply', ref, body: 'Posted without JavaScript.' }),
    })
    expect(posted.status).toBe(302)
    expect(posted.headers.get('location')).toBe(`/results/${surveys.anonymous}?team=${alpha.id}`)
    expect((await get(`/results/${surveys.anonymous}?team=${alpha.id}`, hr.id)).text).toContain('Posted without JavaScript.')
  })

  it('the private page: no-referrer, not cached, the reply in the visitor’s language, and a 404 page for an unknown link', async () => {
    const page = await get(`/r/${links.confidential}`)
    expect(page.status).toBe(200)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(page.text).toContain('Replies to your comments')
    expect(page.text).toContain('CONFIDENTIAL comment from the field')
    expect(page.text).toContain('We will review quotas with you in the next 1:1 round.')
    const italian = await fetch(`${base}/r/${links.confidential}`, { headers: { 'Accept-Language': 'it-IT,it;q=0.9' } })
    expect(await italian.text()).toContain('Risposte ai tuoi commenti')
    const unknown = await get(`/r/${randomToken()}`)
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get('referrer-policy')).toBe('no-referrer')
    expect(unknown.text).toContain(en.notFoundTitle)
  })

  it('the thank-you page shows the private link and what it is for, without JavaScript', async () => {
    const round = await createRound(db, { surveyId: surveys.anonymous, opensAt: new Date(Date.now() - 7200000).toISOString(), privacy: 'anonymous', status: 'open' })
    const token = randomToken()
    await db.insert(invitations).values({ roundId: round.id, personId: alphaMembers[5].id, tokenHash: hashToken(token), deliveryStatus: 'sent' })
    const res = await fetch(`${base}/s/${token}`, { method: 'POST', body: new URLSearchParams({ q1: '8', q2: 'Please fix the CRM sync', q3: '3' }) })
    const text = await res.text()
    expect(res.status).toBe(200)
    expect(text).toContain(en.linkTitle)
    expect(text).toContain('Keep this link: it is the only way to read replies for anonymous surveys.')
    const link = new RegExp(`${TEST_APP_URL}/r/([A-Za-z0-9_-]{43})`).exec(text)
    expect(link).not.toBeNull()
    shownTokens.push(link![1])
    const read = await privateReplies(link![1])
    expect(read.body.replies!.comments.map((c) => c.text)).toEqual(['Please fix the CRM sync'])
    await db.execute(sql`delete from survey_rounds where id = ${round.id}::uuid`)
  })

  it('never writes a private link’s token to the request logs', async () => {
    const logs = logLines.join('')
    expect(logs).toContain('"path":"/r/[redacted]"')
    for (const token of [links.anonymous, links.confidential, ...shownTokens]) expect(logs).not.toContain(token)
  })
})
