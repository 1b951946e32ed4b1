import { DateTime } from 'luxon'

/**
 * CRM dates and datetimes → ISO 8601 strings with the offset of the organisation's time zone
 * (`2026-11-26T00:00:00+01:00`). Exports carry local wall-clock times without an offset, so the
 * zone is what makes them instants; a date without time is the start of that local day, which
 * keeps it in the right week/month when KPIs are bucketed in the same zone.
 */

/** Month-first (en-US) or day-first (en-GB, it-IT, de-DE…) for `a/b/yyyy` dates. */
export type DayOrder = 'MDY' | 'DMY'

/** A failure names its code and the day order its expectation was written for. */
export type DateResult = { ok: true; value: string } | { ok: false; reason: string; code: 'invalid_date' | 'not_a_date' | 'invalid_time'; dayOrder: DayOrder }

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i
// Year last: `5/16/2026`, `26/11/2026`, `26.11.2026`, `26-11-2026`, with an optional time.
const YEAR_LAST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:,?\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([ap])?\.?\s*(m\.?)?)?$/i

function expected(order: DayOrder): string {
  return order === 'MDY'
    ? 'a date such as 11/26/2026, 2026-11-26 or 2026-11-26 14:30'
    : 'a date such as 26/11/2026, 26.11.2026, 2026-11-26 or 2026-11-26 14:30'
}

function build(
  parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; millisecond: number },
  zone: string,
  raw: string,
  order: DayOrder,
): DateResult {
  const dt = DateTime.fromObject(parts, { zone })
  if (!dt.isValid) return { ok: false, code: 'invalid_date', dayOrder: order, reason: `"${raw}" is not a real date or time; expected ${expected(order)}` }
  return { ok: true, value: dt.toISO({ suppressMilliseconds: true }) as string }
}

/**
 * Exports repeat the same dates on thousands of rows, and resolving a zone offset (luxon, through
 * Intl) dominated the parse time; results are immutable, so they are memoised per file
 * conventions. Bounded: cleared when full, so a million distinct datetimes cost no memory.
 */
const memo = new Map<string, DateResult>()
const MEMO_MAX = 50_000

export function parseCrmDate(raw: string, options: { dayOrder: DayOrder; timeZone: string }): DateResult {
  const key = `${options.timeZone}\u0000${options.dayOrder}\u0000${raw}`
  const hit = memo.get(key)
  if (hit) return hit
  const result = parseCrmDateUncached(raw, options)
  if (memo.size >= MEMO_MAX) memo.clear()
  memo.set(key, result)
  return result
}

function parseCrmDateUncached(raw: string, options: { dayOrder: DayOrder; timeZone: string }): DateResult {
  const s = raw.trim()
  const { dayOrder, timeZone } = options

  const iso = ISO.exec(s)
  if (iso) {
    if (iso[8]) {
      // An explicit offset is an instant already: keep it, show it in the organisation's zone.
      const dt = DateTime.fromISO(s.replace(' ', 'T'), { setZone: true })
      if (!dt.isValid) return { ok: false, code: 'invalid_date', dayOrder, reason: `"${raw}" is not a real date or time; expected ${expected(dayOrder)}` }
      return { ok: true, value: dt.setZone(timeZone).toISO({ suppressMilliseconds: true }) as string }
    }
    return build(
      {
        year: Number(iso[1]),
        month: Number(iso[2]),
        day: Number(iso[3]),
        hour: Number(iso[4] ?? 0),
        minute: Number(iso[5] ?? 0),
        second: Number(iso[6] ?? 0),
        millisecond: Number((iso[7] ?? '0').slice(0, 3).padEnd(3, '0')),
      },
      timeZone,
      raw,
      dayOrder,
    )
  }

  const m = YEAR_LAST.exec(s)
  if (!m) return { ok: false, code: 'not_a_date', dayOrder, reason: `"${raw}" is not a date; expected ${expected(dayOrder)}` }
  // Nobody writes month.day.year: dotted dates are day-first whatever the file's order.
  const order = m[2] === '.' ? 'DMY' : dayOrder
  const first = Number(m[1])
  const second = Number(m[3])
  let hour = Number(m[5] ?? 0)
  if (m[8]) {
    if (!m[9] || hour < 1 || hour > 12) return { ok: false, code: 'invalid_time', dayOrder, reason: `"${raw}" has an invalid time; expected ${expected(dayOrder)}` }
    hour = (hour % 12) + (m[8].toLowerCase() === 'p' ? 12 : 0)
  }
  const dayMonth = order === 'DMY' ? { day: first, month: second } : { day: second, month: first }
  return build(
    { year: Number(m[4]), ...dayMonth, hour, minute: Number(m[6] ?? 0), second: Number(m[7] ?? 0), millisecond: 0 },
    timeZone,
    raw,
    order,
  )
}

/**
 * The file's day/month order from a sample of its slash or dash dates: a first part above 12
 * proves day-first, a second part above 12 proves month-first; the majority wins if a file
 * contradicts itself. Null when the sample proves nothing (every day ≤ 12, or ISO dates only).
 */
export function detectDayOrder(samples: Iterable<string>): DayOrder | null {
  let dmy = 0
  let mdy = 0
  for (const raw of samples) {
    const m = YEAR_LAST.exec(raw.trim())
    if (!m || m[2] === '.') continue
    if (Number(m[1]) > 12) dmy++
    else if (Number(m[3]) > 12) mdy++
  }
  if (dmy === 0 && mdy === 0) return null
  return dmy >= mdy ? 'DMY' : 'MDY'
}

/** True when the sample has `dd.mm.yyyy` dates, a day-first, comma-decimal (German) habit. */
export function hasDottedDates(samples: Iterable<string>): boolean {
  for (const raw of samples) {
    const m = YEAR_LAST.exec(raw.trim())
    if (m && m[2] === '.') return true
  }
  return false
}
