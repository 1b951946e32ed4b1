import { describe, expect, it } from 'vitest'
import { type Schedule, closesAt, nextDueAt, remindersDue, shiftOutOfQuietPeriods } from '~/surveys/cadence'
import { DateTime } from 'luxon'

const rome = (s: Partial<Schedule>): Schedule => ({ cadence: 'weekly', sendDay: 1, sendTime: '09:00', startsOn: null, timezone: 'Europe/Rome', quietPeriods: [], ...s })
const utc = (iso: string) => new Date(iso)

describe('nextDueAt', () => {
  it('keeps 09:00 Rome time across the spring-forward change (08:00 UTC → 07:00 UTC)', () => {
    const s = rome({ cadence: 'weekly', sendDay: 1, startsOn: '2026-03-16' })
    const first = nextDueAt(s, utc('2026-03-15T00:00:00Z'))!
    expect(first.toISOString()).toBe('2026-03-16T08:00:00.000Z')
    const second = nextDueAt(s, first)!
    expect(second.toISOString()).toBe('2026-03-23T08:00:00.000Z')
    // Summer time starts on Sunday 29 March 2026.
    const third = nextDueAt(s, second)!
    expect(third.toISOString()).toBe('2026-03-30T07:00:00.000Z')
  })

  it('keeps local time across the autumn change and steps biweekly from the first matching weekday', () => {
    const s = rome({ cadence: 'biweekly', sendDay: 3, sendTime: '14:30', startsOn: '2026-10-15' })
    // 15 Oct 2026 is a Thursday: the first Wednesday on or after it is 21 Oct.
    const first = nextDueAt(s, utc('2026-10-01T00:00:00Z'))!
    expect(first.toISOString()).toBe('2026-10-21T12:30:00.000Z')
    // Winter time from Sunday 25 October: 14:30 Rome is 13:30 UTC.
    expect(nextDueAt(s, first)!.toISOString()).toBe('2026-11-04T13:30:00.000Z')
  })

  it('is strictly after the given instant: the same day after the send time moves to the next week', () => {
    const s = rome({ sendDay: 1, startsOn: '2026-01-01' })
    expect(nextDueAt(s, utc('2026-01-05T08:00:00Z'))!.toISOString()).toBe('2026-01-12T08:00:00.000Z')
    expect(nextDueAt(s, utc('2026-01-05T07:59:00Z'))!.toISOString()).toBe('2026-01-05T08:00:00.000Z')
  })

  it('clamps a monthly day 31 to the month end (28 February, 30 April)', () => {
    const s = rome({ cadence: 'monthly', sendDay: 31, sendTime: '10:00', startsOn: '2026-01-01' })
    const jan = nextDueAt(s, utc('2026-01-01T00:00:00Z'))!
    expect(jan.toISOString()).toBe('2026-01-31T09:00:00.000Z')
    const feb = nextDueAt(s, jan)!
    expect(feb.toISOString()).toBe('2026-02-28T09:00:00.000Z')
    const mar = nextDueAt(s, feb)!
    expect(mar.toISOString()).toBe('2026-03-31T08:00:00.000Z')
    expect(nextDueAt(s, mar)!.toISOString()).toBe('2026-04-30T08:00:00.000Z')
  })

  it('runs quarterly in the first month of each calendar quarter', () => {
    const s = rome({ cadence: 'quarterly', sendDay: 5, startsOn: '2026-02-10' })
    const first = nextDueAt(s, utc('2026-02-10T00:00:00Z'))!
    expect(first.toISOString()).toBe('2026-04-05T07:00:00.000Z')
    expect(nextDueAt(s, first)!.toISOString()).toBe('2026-07-05T07:00:00.000Z')
  })

  it('moves a round due inside a quiet period to the first day after it, at the same local time', () => {
    const s = rome({ sendDay: 1, startsOn: '2026-03-01', quietPeriods: [{ from: '2026-03-23', to: '2026-03-31', label: 'Quarter close' }] })
    const before = nextDueAt(s, utc('2026-03-16T08:00:00Z'))!
    // Monday 23 March and Monday 30 March are both quiet: one round on Wednesday 1 April at 09:00 (summer time).
    expect(before.toISOString()).toBe('2026-04-01T07:00:00.000Z')
    expect(nextDueAt(s, before)!.toISOString()).toBe('2026-04-06T07:00:00.000Z')
  })

  it('shifts through adjoining quiet periods', () => {
    const due = DateTime.fromISO('2026-06-30T09:00', { zone: 'Europe/Rome' })
    const shifted = shiftOutOfQuietPeriods(due, [{ from: '2026-06-25', to: '2026-06-30' }, { from: '2026-07-01', to: '2026-07-02' }], '09:00')
    expect(shifted.toUTC().toISO()).toBe('2026-07-03T07:00:00.000Z')
  })

  it('a one-off round is due once, on its start day', () => {
    const s = rome({ cadence: 'once', startsOn: '2026-05-04', sendTime: '11:15' })
    const only = nextDueAt(s, utc('2026-05-01T00:00:00Z'))!
    expect(only.toISOString()).toBe('2026-05-04T09:15:00.000Z')
    expect(nextDueAt(s, only)).toBeNull()
  })
})

describe('windows and reminders', () => {
  it('closes after the window in local days, across a DST change', () => {
    expect(closesAt(utc('2026-03-27T08:00:00Z'), 5, 'Europe/Rome').toISOString()).toBe('2026-04-01T07:00:00.000Z')
  })

  it('counts reminders reached by now, inside the window, at most three', () => {
    const opens = utc('2026-01-05T08:00:00Z')
    const closes = closesAt(opens, 5, 'Europe/Rome')
    expect(remindersDue(opens, closes, [2, 4], utc('2026-01-07T07:59:00Z'), 'Europe/Rome')).toBe(0)
    expect(remindersDue(opens, closes, [2, 4], utc('2026-01-07T08:00:00Z'), 'Europe/Rome')).toBe(1)
    expect(remindersDue(opens, closes, [4, 2], utc('2026-01-09T09:00:00Z'), 'Europe/Rome')).toBe(2)
    expect(remindersDue(opens, closes, [1, 2, 3, 4], utc('2026-01-10T00:00:00Z'), 'Europe/Rome')).toBe(3)
    // A reminder day at or after closing never fires.
    expect(remindersDue(opens, closes, [5], utc('2026-01-12T00:00:00Z'), 'Europe/Rome')).toBe(0)
  })
})
