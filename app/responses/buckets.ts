/**
 * The fixed buckets sentiment is published in (docs/privacy.md): a round, or a calendar week
 * (from Monday), month or quarter, each made of whole rounds (a round belongs to the period of the day it opened,
 * in the organisation's time zone). A request with arbitrary days is answered by the buckets it
 * covers: every period that the window touches, whole.
 */
import { DateTime } from 'luxon'

export type BucketUnit = 'week' | 'month' | 'quarter'

export type CoveredWindow = { unit: BucketUnit; from: string; to: string; requested: { from: string; to: string } }

const startOf = (day: string, unit: BucketUnit) => DateTime.fromISO(day, { zone: 'UTC' }).startOf(unit)

/** The first and last day of the whole periods that [from, to] touches. */
export function coveringWindow(from: string, to: string, unit: BucketUnit): CoveredWindow {
  const start = startOf(from, unit)
  const end = startOf(to, unit).endOf(unit)
  return { unit, from: start.toISODate()!, to: end.toISODate()!, requested: { from, to } }
}

/** The periods of a covered window, as the ISO day each begins on. */
export function bucketsOf(window: Pick<CoveredWindow, 'from' | 'to' | 'unit'>): string[] {
  const out: string[] = []
  for (let d = startOf(window.from, window.unit); d.toISODate()! <= window.to; d = d.plus(window.unit === 'week' ? { weeks: 1 } : window.unit === 'month' ? { months: 1 } : { months: 3 })) out.push(d.toISODate()!)
  return out
}
