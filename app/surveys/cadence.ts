/**
 * When survey rounds are due: pure functions of the schedule, computed in the organisation's time
 * zone with luxon so that "Monday 09:00" stays 09:00 local across daylight-saving changes.
 */
import { DateTime } from 'luxon'
import type { QuietPeriod } from '#db/schema/surveys'

export const CADENCES = ['once', 'weekly', 'biweekly', 'monthly', 'quarterly'] as const
export type Cadence = (typeof CADENCES)[number]

/** The longest response window per cadence: a round must close before the next one opens. */
export const MAX_WINDOW_DAYS: Record<Cadence, number> = { once: 90, weekly: 7, biweekly: 14, monthly: 28, quarterly: 90 }
export const MAX_REMINDERS = 3
export const DEFAULT_WINDOW_DAYS = 5
export const DEFAULT_REMINDER_DAYS = [2, 4]

export type Schedule = {
  cadence: Cadence
  /** ISO weekday 1–7 (weekly, biweekly) or day of month 1–31 (monthly, quarterly; clamped to the month's end). */
  sendDay: number
  /** HH:MM, local time. */
  sendTime: string
  /** First local day a round may be due (YYYY-MM-DD); null means from today. */
  startsOn: string | null
  timezone: string
  quietPeriods: QuietPeriod[]
}

function at(day: DateTime, sendTime: string): DateTime {
  const [hour, minute] = sendTime.split(':').map(Number)
  // Built from wall-clock fields in the zone: luxon moves a non-existent time (spring forward) one hour on.
  return DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: day.zone })
}

function monthDay(year: number, month: number, sendDay: number, zone: string): DateTime {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone })
  return first.set({ day: Math.min(sendDay, first.daysInMonth ?? 28) })
}

/** The regular occurrence (before quiet periods) on or after the local day `from`. */
function regularOnOrAfter(schedule: Schedule, from: DateTime, anchor: DateTime): DateTime | null {
  const { cadence, sendDay, sendTime } = schedule
  switch (cadence) {
    case 'once':
      return from <= anchor ? at(anchor, sendTime) : null
    case 'weekly':
    case 'biweekly': {
      // The first matching weekday on or after the anchor; biweekly then steps in fortnights from it.
      const firstDay = anchor.plus({ days: (sendDay - anchor.weekday + 7) % 7 })
      const step = cadence === 'weekly' ? 7 : 14
      // Both are local midnights, so the rounded difference is the count of calendar days.
      const gap = Math.max(0, Math.round(from.diff(firstDay, 'days').days))
      const n = Math.ceil(gap / step)
      return at(firstDay.plus({ days: n * step }), sendTime)
    }
    case 'monthly':
    case 'quarterly': {
      const stepMonths = cadence === 'monthly' ? 1 : 3
      // Quarterly rounds are due in the months of calendar quarters' starts (Jan, Apr, Jul, Oct).
      let month = DateTime.fromObject({ year: from.year, month: from.month, day: 1 }, { zone: from.zone })
      if (cadence === 'quarterly') month = month.set({ month: Math.floor((month.month - 1) / 3) * 3 + 1 })
      for (let i = 0; i < 6; i++) {
        const day = monthDay(month.year, month.month, sendDay, from.zone.name)
        if (day >= from.startOf('day')) return at(day, sendTime)
        month = month.plus({ months: stepMonths })
      }
      return null
    }
  }
}

/** Moves a due time out of any quiet period: to the first day after it, at the same local time. */
export function shiftOutOfQuietPeriods(due: DateTime, quietPeriods: QuietPeriod[], sendTime: string): DateTime {
  let current = due
  for (let guard = 0; guard < quietPeriods.length + 1; guard++) {
    const day = current.toISODate()!
    const inside = quietPeriods.find((q) => q.from <= day && day <= q.to)
    if (!inside) return current
    const after = DateTime.fromISO(inside.to, { zone: current.zone }).plus({ days: 1 })
    current = at(after, sendTime)
  }
  return current
}

/**
 * The first due time strictly after `after` (UTC instant), quiet periods applied; null when the
 * schedule has no more rounds (a one-off already sent).
 */
export function nextDueAt(schedule: Schedule, after: Date): Date | null {
  const zone = schedule.timezone
  const afterLocal = DateTime.fromJSDate(after, { zone })
  const anchor = schedule.startsOn ? DateTime.fromISO(schedule.startsOn, { zone }) : afterLocal.startOf('day')
  let from: DateTime = afterLocal.startOf('day') < anchor ? anchor : afterLocal.startOf('day')
  for (let guard = 0; guard < 200; guard++) {
    const regular = regularOnOrAfter(schedule, from, anchor)
    if (!regular) return null
    const shifted = shiftOutOfQuietPeriods(regular, schedule.quietPeriods, schedule.sendTime)
    if (shifted.toMillis() > after.getTime()) return shifted.toUTC().toJSDate()
    if (schedule.cadence === 'once') return null
    from = regular.startOf('day').plus({ days: 1 })
  }
  return null
}

/** The round's closing time: the window in local days, so a DST change does not cut an hour. */
export function closesAt(opensAt: Date, windowDays: number, timezone: string): Date {
  return DateTime.fromJSDate(opensAt, { zone: timezone }).plus({ days: windowDays }).toUTC().toJSDate()
}

/** When the reminder of `day` (days after opening, local) is due. */
export function reminderAt(opensAt: Date, day: number, timezone: string): Date {
  return DateTime.fromJSDate(opensAt, { zone: timezone }).plus({ days: day }).toUTC().toJSDate()
}

/**
 * How many reminders a non-respondent should have had by `now`: the count of configured reminder
 * days already reached, inside the window, capped at three.
 */
export function remindersDue(opensAt: Date, closes: Date, reminderDays: number[], now: Date, timezone: string): number {
  const reached = [...reminderDays]
    .sort((a, b) => a - b)
    .slice(0, MAX_REMINDERS)
    .filter((d) => {
      const when = reminderAt(opensAt, d, timezone)
      return when.getTime() <= now.getTime() && when.getTime() < closes.getTime()
    })
  return reached.length
}
