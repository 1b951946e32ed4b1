import { z } from 'zod'
import { groupBys, periodCount, periodUnits } from './kpi'

/** Query and response schemas of /api/v1/metrics/funnel, /forecast and /campaigns (validation and OpenAPI alike). */
const MAX_PERIODS = 260

const isoDate = (name: string) =>
  z
    .string({ error: `${name} must be a date as YYYY-MM-DD` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${name} must be a date as YYYY-MM-DD` })
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
      error: `${name} must be a real calendar date as YYYY-MM-DD`,
    })

const text = (name: string) => z.string({ error: `${name} must be text` }).trim().min(1, { error: `${name} must not be empty` }).max(200, { error: `${name} must be at most 200 characters` })
const teamId = z.uuid({ error: 'team must be a team id (a UUID, as listed by GET /api/v1/teams)' })

export const funnelQuerySchema = z
  .object({
    groupBy: z.enum(groupBys, { error: 'groupBy must be rep, team or org' }).default('rep'),
    period: z.enum(periodUnits, { error: 'period must be week, month or quarter' }).default('month'),
    from: isoDate('from').optional(),
    to: isoDate('to').optional(),
    team: teamId.optional(),
    leadSource: text('leadSource').optional(),
    industry: text('industry').optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], error: 'from must be on or before to' })
  .refine((q) => !q.from || !q.to || periodCount(q.period, q.from, q.to) <= MAX_PERIODS, {
    path: ['to'],
    error: `the window may span at most ${MAX_PERIODS} periods; choose a longer period or a shorter window`,
  })
export type FunnelQuery = z.output<typeof funnelQuerySchema>

export const forecastQuerySchema = z
  .object({
    groupBy: z.enum(groupBys, { error: 'groupBy must be rep, team or org' }).default('org'),
    period: z.enum(['month', 'quarter'], { error: 'period must be month or quarter' }).default('month'),
    team: teamId.optional(),
  })
  .strict()
export type ForecastQuery = z.output<typeof forecastQuerySchema>

export const campaignsQuerySchema = z
  .object({
    from: isoDate('from').optional(),
    to: isoDate('to').optional(),
    team: teamId.optional(),
    leadSource: text('leadSource').optional(),
    industry: text('industry').optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], error: 'from must be on or before to' })
export type CampaignsQuery = z.output<typeof campaignsQuerySchema>

const money = z.number().describe('rounded to cents, in the row currency')
const rate = z.number().min(0).describe('a fraction from 0 to 1')
const groupSchema = z.object({ type: z.enum(groupBys), id: z.string(), name: z.string(), email: z.string().optional() })

const leadRowSchema = z
  .object({
    period: z.string().describe('first day of the period (YYYY-MM-DD) in the organisation time zone'),
    group: groupSchema,
    leadsCreated: z.number().int(),
    leadsConverted: z.number().int(),
    leadConversionRate: rate.nullable(),
  })
  .describe('the top of the funnel only, for keys with funnel:top (groupBy=org)')

export const funnelResponseSchema = z.object({
  rows: z.array(
    z.object({
      period: z.string().describe('first day of the period (YYYY-MM-DD) in the organisation time zone'),
      group: groupSchema,
      currency: z.string(),
      leadsCreated: z.number().int(),
      leadsConverted: z.number().int(),
      leadConversionRate: rate.nullable(),
      opportunitiesCreated: z.number().int(),
      won: z.number().int(),
      lost: z.number().int(),
      winRate: rate.nullable(),
      wonAmount: money,
      avgDealSize: money.nullable(),
      salesCycleDaysMedian: z.number().nullable(),
      salesCycleDaysMean: z.number().nullable(),
      openOpportunities: z.number().int().nullable(),
      pipelineValue: money.nullable(),
      weightedPipelineValue: money.nullable(),
      pipelineVelocity: money.nullable().describe('money per day'),
      target: money.nullable(),
      quotaAttainment: z.number().nullable().describe('won amount ÷ target; may exceed 1'),
    }).or(leadRowSchema),
  ),
})

export const forecastResponseSchema = z.object({
  rows: z.array(
    z.object({
      period: z.string(),
      horizon: z.enum(['current', 'next']),
      group: groupSchema,
      currency: z.string(),
      wonToDate: money,
      openOpportunities: z.number().int(),
      openPipeline: money,
      weightedByStage: money,
      weightedByWinRate: money,
      forecastByStage: money,
      forecastByWinRate: money,
      target: money.nullable(),
      forecastAttainmentByStage: z.number().nullable(),
      forecastAttainmentByWinRate: z.number().nullable(),
    }),
  ),
})

export const campaignsResponseSchema = z.object({
  campaigns: z.array(
    z.object({
      campaign: z.string(),
      currency: z.string(),
      cost: money.nullable(),
      leads: z.number().int(),
      leadsConverted: z.number().int(),
      leadConversionRate: rate.nullable(),
      opportunities: z.number().int(),
      won: z.number().int(),
      wonAmount: money,
      wonInOtherCurrencies: z.number().int(),
      roi: z.number().nullable().describe('won amount ÷ cost'),
      costPerLead: money.nullable(),
      costPerWonDeal: money.nullable(),
    }),
  ),
})
