import { sql } from 'drizzle-orm'
import type { Db } from '#db/client'
import { funnelStages } from '#db/schema'

/**
 * The default funnel: Salesforce's standard sales process, the one most CRMs copy. Probabilities
 * are Salesforce's defaults for these stages. Labels are the names CRMs export for each stage, in
 * English and Italian, plus HubSpot's internal ids and Pipedrive's default pipeline: they are
 * compared through stageLabelKey(), so case, spacing and punctuation never matter.
 */
export const DEFAULT_STAGES = [
  {
    key: 'prospecting',
    name: 'Prospecting',
    probability: '0.1000',
    labels: ['Prospecting', 'Prospezione', 'Prospect', 'Appointment scheduled', 'appointmentscheduled', 'Appuntamento fissato', 'Lead In', 'Contact Made', 'Contatto stabilito', 'Akquise'],
  },
  {
    key: 'qualification',
    name: 'Qualification',
    probability: '0.2000',
    labels: ['Qualification', 'Qualificazione', 'Qualified to buy', 'qualifiedtobuy', 'Qualificato per l’acquisto', 'Qualified', 'Qualificato', 'Qualifizierung'],
  },
  {
    key: 'needs_analysis',
    name: 'Needs Analysis',
    probability: '0.4000',
    labels: ['Needs Analysis', 'Analisi delle esigenze', 'Analisi esigenze', 'Value Proposition', 'Proposta di valore', 'Id. Decision Makers', 'Perception Analysis', 'Presentation scheduled', 'presentationscheduled', 'Presentazione fissata', 'Demo Scheduled', 'Needs Defined', 'Bedarfsanalyse'],
  },
  {
    key: 'proposal',
    name: 'Proposal',
    probability: '0.6000',
    labels: ['Proposal', 'Proposal/Price Quote', 'Proposta', 'Proposta/Preventivo', 'Preventivo', 'Proposal Made', 'Proposta fatta', 'Decision maker bought-in', 'decisionmakerboughtin', 'Angebot'],
  },
  {
    key: 'negotiation',
    name: 'Negotiation',
    probability: '0.8000',
    labels: ['Negotiation', 'Negotiation/Review', 'Negoziazione', 'Negoziazione/Revisione', 'Trattativa', 'Negotiations Started', 'Trattativa avviata', 'Contract sent', 'contractsent', 'Contratto inviato', 'Verhandlung'],
  },
  {
    key: 'closed_won',
    name: 'Closed Won',
    probability: '1.0000',
    labels: ['Closed Won', 'closedwon', 'Chiusa vinta', 'Chiuso vinto', 'Won', 'Vinta', 'Vinto', 'Gewonnen'],
  },
  {
    key: 'closed_lost',
    name: 'Closed Lost',
    probability: '0.0000',
    labels: ['Closed Lost', 'closedlost', 'Chiusa persa', 'Chiuso perso', 'Lost', 'Persa', 'Perso', 'Verloren'],
  },
] as const

export type DefaultStageKey = (typeof DEFAULT_STAGES)[number]['key']

/** "Closed Won", "closedwon" and "Closed won" are one label (same rule as the CSV parser's status labels). */
export function stageLabelKey(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, '')
}

/**
 * Seeds the default pipeline's stages when they are missing; never overwrites an admin's edits.
 * Independent of migrations (a restored or hand-made database gets them too) and safe to call on
 * every import.
 */
export async function ensureDefaultStages(db: Db): Promise<void> {
  const values = DEFAULT_STAGES.map(
    (s, position) => sql`('default', ${s.key}, ${s.name}, ${position + 1}, ${s.probability}::numeric, ${sql.raw(`array[${s.labels.map((l) => `'${l.replace(/'/g, "''")}'`).join(', ')}]::text[]`)})`,
  )
  await db.execute(sql`
    insert into funnel_stages (pipeline, key, name, position, probability, labels)
    values ${sql.join(values, sql`, `)}
    on conflict do nothing`)
}

export type StageMapper = (label: string | null, status: 'open' | 'won' | 'lost', pipeline: string | null) => string | null

/**
 * Label → stage key, from the configured stages: a pipeline's own stages when it has any, else
 * the default pipeline's. An unknown label is kept as exported (it then matches no stage key),
 * and a deal without a label takes the closed stage its status implies.
 */
export async function loadStageMapper(db: Db): Promise<StageMapper> {
  await ensureDefaultStages(db)
  const rows = await db.select({ pipeline: funnelStages.pipeline, key: funnelStages.key, labels: funnelStages.labels }).from(funnelStages)
  const byPipeline = new Map<string, Map<string, string>>()
  for (const row of rows) {
    const map = byPipeline.get(row.pipeline) ?? new Map<string, string>()
    for (const label of [row.key, ...row.labels]) map.set(stageLabelKey(label), row.key)
    byPipeline.set(row.pipeline, map)
  }
  const fallback = byPipeline.get('default') ?? new Map<string, string>()
  return (label, status, pipeline) => {
    if (!label) return status === 'won' ? 'closed_won' : status === 'lost' ? 'closed_lost' : null
    const map = (pipeline && byPipeline.get(pipeline)) || fallback
    return map.get(stageLabelKey(label)) ?? fallback.get(stageLabelKey(label)) ?? label
  }
}
