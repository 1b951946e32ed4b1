import { randomUUID } from 'node:crypto'
import type { Db } from '#db/client'
import { opportunities } from '#db/schema'
import { createResponse, createRound, createSurvey, enpsQuestion, workloadQuestion } from './response-factories'
import type { PrivacyMode } from '#db/schema/surveys'

/**
 * Data for the overlay tests: closed deals in bulk (one INSERT per call) and one survey round in
 * which each listed person answers the eNPS question and, optionally, the workload driver.
 */
export async function closeDeals(
  db: Db,
  ownerId: string,
  values: { won: number; lost: number; closedAt: string; amount?: string; leadSource?: string | null; industry?: string | null; currency?: string },
) {
  const closedAt = new Date(values.closedAt)
  const createdAt = new Date(closedAt.getTime() - 20 * 86_400_000)
  const rows = [...Array(values.won).fill('won'), ...Array(values.lost).fill('lost')].map((status: 'won' | 'lost') => ({
    source: 'api' as const,
    externalId: `deal-${randomUUID()}`,
    ownerKey: `owner-${ownerId}`,
    ownerId,
    amount: values.amount ?? '1000.00',
    currency: values.currency ?? 'EUR',
    status,
    createdAt,
    closedAt,
    leadSource: values.leadSource ?? null,
    industry: values.industry ?? null,
  }))
  if (rows.length) await db.insert(opportunities).values(rows)
}

export type Answerer = { personId: string; teamId: string | null; enps?: number; workload?: number }

/** One survey with one round; everyone answers on `submittedOn`. Anonymous rounds drop the person. */
export async function surveyRound(db: Db, values: { privacy: PrivacyMode; opensAt: string; submittedOn: string; threshold?: number; answers: Answerer[]; title?: string }) {
  const survey = await createSurvey(db, { title: values.title ?? `Pulse ${values.opensAt}`, kind: 'enps', privacy: values.privacy })
  const round = await createRound(db, {
    surveyId: survey.id,
    opensAt: values.opensAt,
    privacy: values.privacy,
    questions: [enpsQuestion, workloadQuestion],
    thresholdScores: values.threshold ?? 5,
    thresholdComments: Math.max(values.threshold ?? 5, 5),
  })
  for (const a of values.answers) {
    const list = []
    if (a.enps !== undefined) list.push({ key: 'enps', type: 'enps' as const, value: a.enps })
    if (a.workload !== undefined) list.push({ key: 'workload_manageable', type: 'agreement' as const, driver: 'workload', value: a.workload })
    await createResponse(db, { surveyId: survey.id, roundId: round.id, personId: values.privacy === 'anonymous' ? null : a.personId, teamId: a.teamId, submittedOn: values.submittedOn, answers: list })
  }
  return { survey, round }
}
