/**
 * Demo survey history: a year of weekly pulses (the weekly-pulse template) and monthly eNPS for
 * Milano, Roma and London, with believable variation and Roma drifting down over the last six
 * months (eNPS, manager support, quota fairness and lead quality). Every team has at least seven
 * respondents per round, above the anonymity threshold of five. Deterministic (seeded PRNG) and
 * inserted in bulk, so seeding stays fast on PGlite.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { type Db, queryRows } from '#db/client'
import { answers, invitations, responses, surveyQuestions, surveyRounds, surveys } from '#db/schema'
import type { FrozenQuestion } from '#db/schema/surveys'
import { freezeClosedRounds } from '~/responses/freeze.server'
import { ENPS_QUESTION, TEMPLATES, bankQuestion, withOrgName } from '~/surveys/question-bank'
import { prng } from './prng'

const WEEKS = 53
const MONTHS = 13
const MIN_RESPONDENTS = 7
const DAY = 86400000

const comments = {
  it: {
    good: ['Il team è unito e ci aiutiamo a vicenda.', 'Mi piace la fiducia che ricevo dal mio responsabile.', 'Buoni lead questo mese, finalmente.', 'Il nuovo CRM mi fa risparmiare tempo.', 'Obiettivi chiari e raggiungibili.'],
    bad: ['Troppa reportistica, poco tempo per vendere.', 'Gli obiettivi sono aumentati senza spiegazioni.', 'I lead che arrivano sono di scarsa qualità.', 'Vorrei più coaching sulle trattative difficili.', 'Le approvazioni degli sconti sono troppo lente.'],
  },
  en: {
    good: ['Great team spirit, everyone helps.', 'My manager backs me on tough deals.', 'Lead quality has improved a lot.', 'The CRM changes saved me hours.', 'Clear targets this quarter.'],
    bad: ['Too much admin, not enough selling time.', 'Quota went up with no explanation.', 'Leads from the webinar were poor.', 'I would like more coaching on negotiation.', 'Discount approvals take days.'],
  },
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x))
const isoDay = (d: Date) => d.toISOString().slice(0, 10)

function frozen(keys: string[], orgName: string, scale: '1-10' | '0-10'): FrozenQuestion[] {
  return keys.map((key, i) => {
    const q = key === 'enps' ? ENPS_QUESTION : bankQuestion(key)!
    return { id: key, position: i + 1, type: q.type, driver: q.driver, required: q.required, text: withOrgName(q.text, orgName), ...(q.options ? { options: q.options } : {}), bankKey: key, ...(q.type === 'enps' ? { scale } : {}) }
  })
}

async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 1000) await insert(rows.slice(i, i + 1000))
}

export async function seedSurveysDemo(db: Db, now: Date = new Date()) {
  const [settings] = await queryRows<{ orgName: string; enpsScale: '1-10' | '0-10'; ts: number; tc: number }>(
    db,
    sql`select org_name as "orgName", enps_scale as "enpsScale", threshold_scores as ts, threshold_comments as tc from settings where id = 1`,
  )
  const members = await queryRows<{ id: string; teamId: string; team: string }>(
    db,
    sql`select p.id::text as id, p.team_id::text as "teamId", t.name as team from people p join teams t on t.id = p.team_id where p.active order by t.name, p.email`,
  )
  const teams = [...new Set(members.map((m) => m.team))]
  const random = prng(20260101)
  // A stable disposition per person, so individuals differ and answers correlate over time.
  const personOffset = new Map(members.map((m) => [m.id, (random() - 0.5) * 1.2]))
  const minScore = settings.enpsScale === '0-10' ? 0 : 1

  /** Team mood on a −1..1 scale at a time; Roma slides over the last ~6 months. */
  const mood = (team: string, at: Date, driver: string | null) => {
    const monthsAgo = (now.getTime() - at.getTime()) / (30.4 * DAY)
    const base = team === 'London' ? 0.35 : team === 'Milano' ? 0.25 : 0.3
    const seasonal = 0.12 * Math.sin((at.getTime() / (365 * DAY)) * 2 * Math.PI)
    let drift = 0
    if (team === 'Roma' && monthsAgo < 6.5) {
      const depth = (6.5 - monthsAgo) / 6.5
      const sensitive = driver === null || driver === 'manager_support' || driver === 'quota_fairness' || driver === 'lead_quality'
      drift = -depth * (sensitive ? 0.95 : 0.4)
    }
    return base + seasonal + drift
  }

  const surveyRows: (typeof surveys.$inferInsert)[] = []
  const questionRows: (typeof surveyQuestions.$inferInsert)[] = []
  const roundRows: (typeof surveyRounds.$inferInsert)[] = []
  const responseRows: (typeof responses.$inferInsert)[] = []
  const answerRows: (typeof answers.$inferInsert)[] = []
  const invitationRows: (typeof invitations.$inferInsert)[] = []

  const plans = [
    { template: TEMPLATES.weekly_pulse, count: WEEKS, stepDays: 7 },
    { template: TEMPLATES.monthly_enps, count: MONTHS, stepDays: 0 },
  ]
  // This week's Monday, 08:00 UTC (about 09:00 in Rome).
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7), 8))
  for (const plan of plans) {
    const surveyId = randomUUID()
    const questions = frozen(plan.template.questionKeys, settings.orgName, settings.enpsScale)
    surveyRows.push({
      id: surveyId,
      title: plan.template.title[teams.includes('Roma') ? 'it' : 'en'],
      kind: plan.template.kind,
      privacy: 'confidential',
      // Paused: the demo history is there on first start, and no email goes out until hr resumes it.
      status: 'paused',
      cadence: plan.template.cadence,
      sendDay: 1,
      sendTime: '09:00',
      startsOn: isoDay(new Date(monday.getTime() - WEEKS * 7 * DAY)),
    })
    questions.forEach((q) => questionRows.push({ surveyId, position: q.position, type: q.type, driver: q.driver, required: q.required, text: q.text, options: q.options ?? null, bankKey: q.bankKey }))
    for (let k = plan.count - 1; k >= 0; k--) {
      const opensAt =
        plan.stepDays > 0
          ? new Date(monday.getTime() - k * plan.stepDays * DAY)
          : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1 + ((8 - new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1)).getUTCDay()) % 7), 8))
      if (opensAt > now) continue
      const closes = new Date(opensAt.getTime() + 5 * DAY)
      const roundId = randomUUID()
      roundRows.push({ id: roundId, surveyId, dueAt: opensAt, opensAt, closesAt: closes, status: closes > now ? 'open' : 'closed', questions, privacy: 'confidential', thresholdScores: settings.ts, thresholdComments: settings.tc, audienceSize: members.length })
      for (const team of teams) {
        const people = members.filter((m) => m.team === team)
        const order = people.map((p) => ({ p, r: random() })).sort((a, b) => a.r - b.r).map((x) => x.p)
        const take = Math.min(people.length, Math.max(MIN_RESPONDENTS, Math.round(people.length * (0.72 + random() * 0.25))))
        // Closed rounds get their invitations (so response rates show); the open round has none,
        // so no reminder job ever writes to the demo people about it.
        const invited = closes <= now
        const respondents = new Set(order.slice(0, take).map((p) => p.id))
        const invitationOf = new Map<string, string>()
        if (invited) {
          for (const person of people) {
            const id = randomUUID()
            invitationOf.set(person.id, id)
            const respondedAt = respondents.has(person.id) ? new Date(opensAt.getTime() + 3600000) : null
            invitationRows.push({ id, roundId, personId: person.id, tokenHash: randomBytes(32).toString('hex'), deliveryStatus: 'sent', attempts: 1, sentAt: opensAt, respondedAt })
          }
        }
        for (const person of order.slice(0, take)) {
          const submitted = new Date(Math.min(now.getTime(), opensAt.getTime() + Math.floor(random() * 3) * DAY))
          const responseId = randomUUID()
          responseRows.push({ id: responseId, surveyId, roundId, personId: person.id, invitationId: invitationOf.get(person.id) ?? null, teamId: person.teamId, submittedOn: isoDay(submitted) })
          const lang = team === 'London' ? 'en' : 'it'
          for (const q of questions) {
            const m = mood(team, opensAt, q.driver) + personOffset.get(person.id)! + (random() - 0.5) * 0.9
            if (q.type === 'agreement') {
              answerRows.push({ responseId, questionKey: q.id, type: 'agreement', driver: q.driver, valueNumber: clamp(Math.round(3.2 + m * 2), 1, 5) })
            } else if (q.type === 'enps') {
              answerRows.push({ responseId, questionKey: q.id, type: 'enps', driver: null, valueNumber: clamp(Math.round(7.4 + m * 3.2), minScore, 10) })
            } else if (q.type === 'text' && random() < (q.id === 'enps_reason' ? 0.45 : 0.15)) {
              const pool = m > 0.3 ? comments[lang].good : comments[lang].bad
              answerRows.push({ responseId, questionKey: q.id, type: 'text', driver: null, valueText: pool[Math.floor(random() * pool.length)] })
            }
          }
        }
      }
    }
  }
  await db.transaction(async (tx) => {
    await tx.insert(surveys).values(surveyRows)
    await tx.insert(surveyQuestions).values(questionRows)
    await insertChunks(roundRows, (chunk) => tx.insert(surveyRounds).values(chunk))
    await insertChunks(invitationRows, (chunk) => tx.insert(invitations).values(chunk))
    await insertChunks(responseRows, (chunk) => tx.insert(responses).values(chunk))
    await insertChunks(answerRows, (chunk) => tx.insert(answers).values(chunk))
  })
  // The year of history is closed rounds: frozen into the published layer as the close job would have.
  await freezeClosedRounds(db, 10_000)
  return { rounds: roundRows.length, invitations: invitationRows.length, responses: responseRows.length, answers: answerRows.length }
}
