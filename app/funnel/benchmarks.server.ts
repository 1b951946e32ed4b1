import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '#db/client'
import { benchmarks } from '#db/schema'
import { recordAudit } from '~/audit/audit.server'

/** Metrics a benchmark can stand beside on the dashboard (the FunnelRow field it compares to). */
export const benchmarkMetrics = ['winRate', 'salesCycleDaysMedian', 'leadConversionRate'] as const
export type BenchmarkMetric = (typeof benchmarkMetrics)[number]

/**
 * Published B2B figures shown beside the organisation's own. They are starting points, each
 * with its publisher and year, and admins edit them at /funnel/benchmarks to match their market.
 */
export const DEFAULT_BENCHMARKS = [
  { metric: 'winRate', value: '0.2100', unit: 'fraction', segment: 'B2B, all industries', source: 'HubSpot, Sales Trends Report', sourceUrl: 'https://www.hubspot.com/state-of-sales', year: 2024 },
  { metric: 'salesCycleDaysMedian', value: '84.0000', unit: 'days', segment: 'B2B, mid-market', source: 'Ebsta & Pavilion, B2B Sales Benchmarks', sourceUrl: 'https://www.ebsta.com/b2b-sales-benchmarks/', year: 2024 },
  { metric: 'leadConversionRate', value: '0.1300', unit: 'fraction', segment: 'B2B lead to opportunity', source: 'Ruler Analytics, conversion rate by industry', sourceUrl: 'https://www.ruleranalytics.com/blog/insight/conversion-rate-by-industry/', year: 2023 },
] as const

export async function seedBenchmarks(db: Db) {
  const existing = await db.select({ id: benchmarks.id }).from(benchmarks).limit(1)
  if (existing.length) return
  await db.insert(benchmarks).values(DEFAULT_BENCHMARKS.map((b) => ({ ...b })))
}

export type BenchmarkView = { id: string; metric: string; value: number; unit: string; segment: string | null; source: string; sourceUrl: string | null; year: number | null }

export async function listBenchmarks(db: Db): Promise<BenchmarkView[]> {
  const rows = await db.select().from(benchmarks).orderBy(asc(benchmarks.metric), asc(benchmarks.segment))
  return rows.map((r) => ({ id: r.id, metric: r.metric, value: Number(r.value), unit: r.unit, segment: r.segment, source: r.source, sourceUrl: r.sourceUrl, year: r.year }))
}

export async function updateBenchmark(db: Db, input: { id: string; value: string; source: string; sourceUrl: string | null; year: number | null; segment: string | null; actorId: string }) {
  const [row] = await db
    .update(benchmarks)
    .set({ value: input.value, source: input.source, sourceUrl: input.sourceUrl, year: input.year, segment: input.segment, updatedAt: sql`now()` })
    .where(eq(benchmarks.id, input.id))
    .returning({ id: benchmarks.id, metric: benchmarks.metric })
  if (row) await recordAudit(db, { actorId: input.actorId, action: 'benchmark.updated', target: row.id, details: { metric: row.metric, value: input.value, source: input.source } })
  return Boolean(row)
}
