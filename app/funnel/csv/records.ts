import { z } from 'zod'
import type { RejectionCode, RejectionParams } from './reasons'

/**
 * What one CSV row becomes. The parser validates every record it builds against these schemas,
 * so the import job downstream can trust them (STYLE.md: validate at the edge, trust inside).
 */

/** ISO 8601 with the organisation's offset, as date.ts writes it. */
const instant = z.iso.datetime({ offset: true })
/** Exact decimal, at least two decimals, never negative (negative amounts are rejected). */
const decimal = z.string().regex(/^\d+\.\d{2,}$/)
const text = z.string().min(1).nullable()

export const opportunityRowSchema = z
  .object({
    /** 1-based physical line of the file the row starts on. */
    line: z.number().int().positive(),
    externalId: z.string().min(1),
    /** The owner as the CRM shows it (name or email); matched to a person elsewhere. */
    ownerKey: z.string().min(1),
    name: text,
    account: text,
    amount: decimal,
    /** ISO 4217; null when the file names none (the organisation's currency then applies). */
    currency: z.string().regex(/^[A-Z]{3}$/).nullable(),
    /** The stage label as exported, kept for stage conversion. */
    stage: text,
    status: z.enum(['open', 'won', 'lost']),
    createdAt: instant,
    /** When a won or lost deal closed; null while open. */
    closedAt: instant.nullable(),
    /** An open deal's expected close date (Salesforce's and HubSpot's "Close Date" on open deals). */
    expectedCloseAt: instant.nullable(),
    leadSource: text,
    industry: text,
    campaign: text,
    /** Fraction 0–1. */
    probability: z.number().min(0).max(1).nullable(),
    pipeline: text,
  })
  .refine((r) => (r.status === 'open') === (r.closedAt === null), { message: 'closedAt is set exactly when the deal is won or lost' })
export type OpportunityRow = z.infer<typeof opportunityRowSchema>

export const leadRowSchema = z
  .object({
    line: z.number().int().positive(),
    externalId: z.string().min(1),
    ownerKey: z.string().min(1),
    createdAt: instant,
    /** Converted to an opportunity (lead conversion rate is the share of these in a cohort). */
    converted: z.boolean(),
    convertedAt: instant.nullable(),
    /** The lead status label as exported ("Working - Contacted", "Qualified"…). */
    status: text,
    leadSource: text,
    industry: text,
    campaign: text,
  })
  .refine((r) => r.converted || r.convertedAt === null, { message: 'only a converted lead has convertedAt' })
export type LeadRow = z.infer<typeof leadRowSchema>

/** A data row that was not imported, and why, in words a sales-ops person can act on. */
export interface Rejection {
  line: number
  /** In English (see reasons.ts: the same reason as `code` + `params`, rendered). */
  reason: string
  code: RejectionCode
  params: RejectionParams
  /** The header of the offending column, when one column is at fault. */
  column: string | null
  value: string | null
}
