import type { Db } from '#db/client'
import { campaigns, funnelStages, kpiTargets, leads, opportunities, stageHistory } from '#db/schema'

/**
 * CRM factories for KPI tests and the demo seed: they insert opportunities and leads directly, as
 * an import or the ingest API would leave them, so the KPI engine is tested on its own.
 */
let sequence = 0
const next = () => ++sequence

export type OpportunityInput = Partial<typeof opportunities.$inferInsert> & { ownerId: string | null; amount: string; createdAt: Date }

export async function createOpportunity(db: Db, values: OpportunityInput) {
  const n = next()
  const [row] = await db
    .insert(opportunities)
    .values({ source: 'api', externalId: `opp-${n}`, ownerKey: `owner-${values.ownerId ?? n}`, currency: 'EUR', status: 'open', ...values })
    .returning()
  return row
}

export async function createLead(db: Db, values: Partial<typeof leads.$inferInsert> & { ownerId: string | null; createdAt: Date }) {
  const n = next()
  const [row] = await db
    .insert(leads)
    .values({ source: 'api', externalId: `lead-${n}`, ownerKey: `owner-${values.ownerId ?? n}`, converted: values.convertedAt != null, ...values })
    .returning()
  return row
}

export async function recordStage(db: Db, opportunityId: string, fromStage: string | null, toStage: string, changedAt: Date) {
  await db.insert(stageHistory).values({ opportunityId, fromStage, toStage, changedAt })
}

/** The default B2B funnel most CRMs ship (Salesforce's standard opportunity stages, simplified). */
export const defaultStages = [
  { key: 'qualification', name: 'Qualification', probability: '0.1000', labels: ['Qualification', 'Qualificazione'] },
  { key: 'discovery', name: 'Discovery', probability: '0.2500', labels: ['Needs Analysis', 'Analisi dei bisogni'] },
  { key: 'proposal', name: 'Proposal', probability: '0.5000', labels: ['Proposal/Price Quote', 'Proposta'] },
  { key: 'negotiation', name: 'Negotiation', probability: '0.7500', labels: ['Negotiation/Review', 'Negoziazione'] },
  { key: 'closed_won', name: 'Closed won', probability: '1.0000', labels: ['Closed Won', 'Chiusa vinta'] },
] as const

export async function createStages(db: Db, pipeline = 'default') {
  await db
    .insert(funnelStages)
    .values(defaultStages.map((s, i) => ({ pipeline, key: s.key, name: s.name, position: i + 1, probability: s.probability, labels: [...s.labels] })))
    .onConflictDoNothing()
}

export async function createTarget(db: Db, values: typeof kpiTargets.$inferInsert) {
  const [row] = await db.insert(kpiTargets).values(values).returning()
  return row
}

export async function createCampaign(db: Db, values: typeof campaigns.$inferInsert) {
  const [row] = await db.insert(campaigns).values(values).returning()
  return row
}
