import { sql } from 'drizzle-orm'
import { randomUUID } from 'node:crypto'
import { type Db, queryRows } from '#db/client'
import { campaigns, type kpiTargets, type leads, type opportunities, type stageHistory } from '#db/schema'
import { seedBenchmarks } from '~/funnel/benchmarks.server'
import { ensureDefaultStages } from '~/funnel/stages.server'
import { prng } from './prng'

/**
 * 18 months of CRM data for the demo organisation, ending today: leads, opportunities with stage
 * history, campaigns with costs, monthly won-amount targets and the published benchmarks.
 * Deterministic (a seeded PRNG), inserted in bulk. Milano and Roma sell in EUR, London in GBP.
 * The story matches the sentiment data: Roma's mood drifts down over the last ~6 months and, about
 * a quarter later, its win rate falls a little over the last ~3 months.
 */

const DAY = 86_400_000
const MONTHS = 18

const TEAM_PROFILE = {
  Milano: { currency: 'EUR', source: 'salesforce', meanDeal: 9000, winRate: 0.3 },
  Roma: { currency: 'EUR', source: 'salesforce', meanDeal: 8000, winRate: 0.29 },
  London: { currency: 'GBP', source: 'hubspot', meanDeal: 7000, winRate: 0.27 },
} as const
type TeamName = keyof typeof TEAM_PROFILE

const LEAD_SOURCES = ['Inbound', 'Outbound', 'Referral', 'Partner', 'Event', 'Paid Ads'] as const
const INDUSTRIES = ['Manufacturing', 'Retail', 'Financial Services', 'Healthcare', 'Technology', 'Logistics'] as const
const CAMPAIGNS = [
  { name: 'Spring Webinar', cost: '4000.00', currency: 'EUR', teams: ['Milano', 'Roma'] },
  { name: 'Fiera Milano', cost: '12000.00', currency: 'EUR', teams: ['Milano', 'Roma'] },
  { name: 'LinkedIn Ads Italia', cost: '6000.00', currency: 'EUR', teams: ['Milano', 'Roma'] },
  { name: 'Newsletter', cost: '800.00', currency: 'EUR', teams: ['Milano', 'Roma'] },
  { name: 'UK Partner Day', cost: '5000.00', currency: 'GBP', teams: ['London'] },
  { name: 'Google Ads UK', cost: '7000.00', currency: 'GBP', teams: ['London'] },
] as const
const ACCOUNT_STEMS = ['Alfa', 'Borealis', 'Cometa', 'Delta', 'Eridano', 'Fenice', 'Gemini', 'Helios', 'Iride', 'Juno', 'Kappa', 'Lyra', 'Meridia', 'Nova', 'Orione', 'Pegaso', 'Quasar', 'Rigel', 'Sirio', 'Titano']
const ACCOUNT_SUFFIX: Record<TeamName, string[]> = { Milano: ['S.p.A.', 'S.r.l.'], Roma: ['S.r.l.', 'Group'], London: ['Ltd', 'plc'] }
// The default pipeline's open stages (keys of ensureDefaultStages), in order.
const OPEN_STAGES = ['prospecting', 'qualification', 'needs_analysis', 'proposal', 'negotiation'] as const

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/**
 * Bulk insert as one JSON parameter per 5,000 rows (json_populate_recordset): on PGlite this is
 * ~10× faster than a multi-row VALUES list with tens of thousands of bind parameters.
 */
async function bulkInsert(db: Db, table: string, rows: Record<string, unknown>[], size = 5000) {
  if (!rows.length) return
  const columns = Object.keys(rows[0]).map(snake)
  const list = sql.raw(columns.map((c) => `"${c}"`).join(', '))
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [snake(k), v instanceof Date ? v.toISOString() : v])))
    await db.execute(sql`insert into ${sql.raw(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.raw(table)}, ${JSON.stringify(chunk)}::json) on conflict do nothing`)
  }
}

export async function seedCrmDemo(db: Db, options: { now?: Date } = {}) {
  const now = options.now ?? new Date()
  const random = prng(20_261_126)
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]
  const between = (lo: number, hi: number) => lo + random() * (hi - lo)

  await ensureDefaultStages(db)
  await seedBenchmarks(db)
  await db.insert(campaigns).values(CAMPAIGNS.map((c) => ({ name: c.name, cost: c.cost, currency: c.currency }))).onConflictDoNothing()

  const reps = await queryRows<{ id: string; name: string; team: TeamName; owner_key: string | null }>(
    db,
    sql`select p.id, p.name, t.name as team, p.crm_owner_keys[1] as owner_key
      from people p join teams t on t.id = p.team_id
      where t.name in ('Milano', 'Roma', 'London') order by t.name, p.name`,
  )
  // The first day of the month 17 months ago (UTC is close enough for a seed; the engine buckets in Rome time).
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (MONTHS - 1), 1))

  const leadRows: (typeof leads.$inferInsert)[] = []
  const oppRows: (typeof opportunities.$inferInsert)[] = []
  const historyRows: (typeof stageHistory.$inferInsert)[] = []
  const targetRows: (typeof kpiTargets.$inferInsert)[] = []
  let leadN = 0
  let oppN = 0

  for (const rep of reps) {
    const profile = TEAM_PROFILE[rep.team]
    const skill = between(-0.05, 0.05)
    const ownerKey = rep.owner_key ?? rep.name
    const teamCampaigns = CAMPAIGNS.filter((c) => (c.teams as readonly string[]).includes(rep.team))
    for (let m = 0; m < MONTHS; m++) {
      const monthStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1))
      const monthEnd = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m + 1, 1))
      const at = () => new Date(monthStart.getTime() + random() * (monthEnd.getTime() - monthStart.getTime()))
      // Leads: 8–14 a month, about a third converted within 2–20 days.
      const leadCount = 8 + Math.floor(random() * 7)
      for (let i = 0; i < leadCount; i++) {
        const createdAt = at()
        if (createdAt > now) continue
        const convertedAt = random() < 0.34 ? new Date(createdAt.getTime() + between(2, 20) * DAY) : null
        const converted = convertedAt != null && convertedAt <= now
        leadRows.push({
          source: profile.source,
          externalId: `demo-lead-${++leadN}`,
          ownerKey,
          ownerId: rep.id,
          createdAt,
          converted,
          convertedAt: converted ? convertedAt : null,
          status: converted ? 'Converted' : random() < 0.3 ? 'Disqualified' : 'Working',
          leadSource: pick(LEAD_SOURCES),
          industry: pick(INDUSTRIES),
          campaign: random() < 0.35 ? pick(teamCampaigns).name : null,
        })
      }
      // Opportunities: 3–6 a month.
      const oppCount = 3 + Math.floor(random() * 4)
      for (let i = 0; i < oppCount; i++) {
        const createdAt = at()
        if (createdAt > now) continue
        const amount = Math.max(500, Math.round((profile.meanDeal * Math.exp(between(-0.7, 0.7))) / 50) * 50)
        const cycleDays = Math.round(12 + 70 * Math.pow(random(), 1.6))
        const closeAt = new Date(createdAt.getTime() + cycleDays * DAY + between(8, 18) * 3_600_000)
        const id = randomUUID()
        let winRate = profile.winRate + skill
        // Roma: the win rate slides over the last ~3 months (a quarter after its mood starts drifting down).
        const monthsAgo = (now.getTime() - closeAt.getTime()) / (30.4 * DAY)
        if (rep.team === 'Roma' && monthsAgo < 3) winRate -= 0.12 * Math.min(1, (3 - monthsAgo) / 3) + 0.03
        const base = {
          id,
          source: profile.source,
          externalId: `demo-opp-${++oppN}`,
          ownerKey,
          ownerId: rep.id,
          name: `${pick(ACCOUNT_STEMS)} — ${pick(['licences', 'renewal', 'expansion', 'pilot', 'services'])}`,
          account: `${pick(ACCOUNT_STEMS)} ${pick(ACCOUNT_SUFFIX[rep.team])}`,
          amount: amount.toFixed(2),
          currency: profile.currency,
          createdAt,
          leadSource: pick(LEAD_SOURCES),
          industry: pick(INDUSTRIES),
          campaign: random() < 0.3 ? pick(teamCampaigns).name : null,
        }
        const stepsAt = (count: number, until: Date) =>
          Array.from({ length: count }, (_, k) => new Date(createdAt.getTime() + ((until.getTime() - createdAt.getTime()) * k) / Math.max(1, count)))
        const won = random() < winRate
        // Lost deals drop out a little before the planned close (same cycle spread, so recent periods
        // are not biased towards either outcome), at an earlier stage.
        const lostAt = new Date(createdAt.getTime() + (closeAt.getTime() - createdAt.getTime()) * between(0.8, 1))
        if ((won ? closeAt : lostAt) > now) {
          // Still open: it has moved through the stages in proportion to the time elapsed.
          const elapsed = (now.getTime() - createdAt.getTime()) / (closeAt.getTime() - createdAt.getTime())
          const reached = Math.min(OPEN_STAGES.length - 1, Math.floor(elapsed * OPEN_STAGES.length))
          oppRows.push({ ...base, status: 'open', stage: OPEN_STAGES[reached], stageLabel: OPEN_STAGES[reached], closedAt: null, expectedCloseOn: closeAt.toISOString().slice(0, 10) })
          stepsAt(reached + 1, now).forEach((changedAt, k) => historyRows.push({ opportunityId: id, fromStage: k ? OPEN_STAGES[k - 1] : null, toStage: OPEN_STAGES[k], changedAt }))
          continue
        }
        if (won) {
          oppRows.push({ ...base, status: 'won', stage: 'closed_won', stageLabel: 'Closed Won', closedAt: closeAt, expectedCloseOn: closeAt.toISOString().slice(0, 10) })
          const steps = stepsAt(OPEN_STAGES.length, closeAt)
          steps.forEach((changedAt, k) => historyRows.push({ opportunityId: id, fromStage: k ? OPEN_STAGES[k - 1] : null, toStage: OPEN_STAGES[k], changedAt }))
          historyRows.push({ opportunityId: id, fromStage: OPEN_STAGES.at(-1)!, toStage: 'closed_won', changedAt: closeAt })
        } else {
          const reached = Math.floor(random() * OPEN_STAGES.length)
          oppRows.push({ ...base, status: 'lost', stage: 'closed_lost', stageLabel: 'Closed Lost', closedAt: lostAt, expectedCloseOn: closeAt.toISOString().slice(0, 10) })
          stepsAt(reached + 1, lostAt).forEach((changedAt, k) => historyRows.push({ opportunityId: id, fromStage: k ? OPEN_STAGES[k - 1] : null, toStage: OPEN_STAGES[k], changedAt }))
          historyRows.push({ opportunityId: id, fromStage: OPEN_STAGES[reached], toStage: 'closed_lost', changedAt: lostAt })
        }
      }
      // A monthly won-amount target near what a rep of this team usually wins (~4.5 deals × 30% × mean deal).
      targetRows.push({
        personId: rep.id,
        period: 'month',
        periodStart: monthStart.toISOString().slice(0, 10),
        value: (Math.round((4.5 * profile.winRate * profile.meanDeal * 1.1) / 500) * 500).toFixed(2),
        currency: profile.currency,
      })
    }
    // Next month's target too, so the forecast has something to aim at.
    targetRows.push({
      personId: rep.id,
      period: 'month',
      periodStart: new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + MONTHS, 1)).toISOString().slice(0, 10),
      value: (Math.round((4.5 * profile.winRate * profile.meanDeal * 1.1) / 500) * 500).toFixed(2),
      currency: profile.currency,
    })
  }

  await bulkInsert(db, 'leads', leadRows)
  await bulkInsert(db, 'opportunities', oppRows)
  await bulkInsert(db, 'opportunity_stage_history', historyRows)
  await bulkInsert(db, 'kpi_targets', targetRows)
  return { leads: leadRows.length, opportunities: oppRows.length, stageChanges: historyRows.length, targets: targetRows.length }
}
