import { describe, expect, it } from 'vitest'
import { reading, type ReadingInput } from '~/insights/reading'
import { kpiWindow, shiftMonths } from '~/insights/overlay'

const base: ReadingInput = { level: 'rep', period: 'quarter', lag: 1, sentiment: { kind: 'enps' }, kpi: 'win_rate', n: 38, r: 0.41, ciLow: 0.11, ciHigh: 0.65, p: 0.01 }

describe('reading', () => {
  it('the example of the issue, in English and Italian', () => {
    expect(reading('en', base)).toEqual({
      sentence: 'Across 38 reps, higher eNPS went with a higher win rate one quarter later (r = 0.41, 95% CI 0.11 to 0.65, p = 0.01).',
      caveat: 'This shows association, not cause.',
      warnings: [],
    })
    expect(reading('it', base)).toEqual({
      sentence: 'Su 38 venditori, un eNPS più alto è andato di pari passo con un tasso di vittoria più alto un trimestre dopo (r = 0,41, IC 95% da 0,11 a 0,65, p = 0,01).',
      caveat: 'Questo indica un’associazione, non una causa.',
      warnings: [],
    })
  })

  it('a negative correlation on few reps with a wide interval warns twice', () => {
    const input: ReadingInput = { ...base, n: 6, r: -0.5, ciLow: -0.93, ciHigh: 0.5, p: 0.3127, lag: 0, kpi: 'sales_cycle_days', sentiment: { kind: 'driver', driver: 'workload' } }
    expect(reading('en', input)).toEqual({
      sentence: 'Across 6 reps, higher “Workload” scores went with a shorter median sales cycle in the same quarter (r = −0.50, 95% CI −0.93 to 0.50, p = 0.31).',
      caveat: 'This shows association, not cause.',
      warnings: ['Only 6 reps: treat this as a hint, not a finding.', 'The 95% interval is wide: the true correlation could be much weaker or stronger than this.'],
    })
    expect(reading('it', input)).toEqual({
      sentence:
        'Su 6 venditori, un punteggio «Carico di lavoro» più alto è andato di pari passo con un ciclo di vendita mediano più breve nello stesso trimestre (r = −0,50, IC 95% da −0,93 a 0,50, p = 0,31).',
      caveat: 'Questo indica un’associazione, non una causa.',
      warnings: ['Solo 6 venditori: va letto come un indizio, non come un risultato.', 'L’intervallo al 95% è ampio: la correlazione reale potrebbe essere molto più debole o più forte di così.'],
    })
  })

  it('a negligible r names no direction; tiny p is written as p < 0.001; months and teams', () => {
    expect(reading('en', { ...base, level: 'team', n: 12, r: 0.05, ciLow: -0.53, ciHigh: 0.6, p: 0.88, period: 'month', lag: 2, kpi: 'won' }).sentence).toBe(
      'Across 12 teams, eNPS and deals won two months later showed almost no association (r = 0.05, 95% CI −0.53 to 0.60, p = 0.88).',
    )
    expect(reading('it', { ...base, level: 'period', n: 12, r: 0.05, ciLow: -0.53, ciHigh: 0.6, p: 0.88, period: 'month', lag: 2, kpi: 'won' }).sentence).toBe(
      'Su 12 mesi, eNPS e trattative vinte due mesi dopo non hanno mostrato quasi nessuna associazione (r = 0,05, IC 95% da −0,53 a 0,60, p = 0,88).',
    )
    expect(reading('en', { ...base, r: 0.8, ciLow: 0.64, ciHigh: 0.89, p: 0.0000012 }).sentence).toContain('(r = 0.80, 95% CI 0.64 to 0.89, p < 0.001)')
    expect(reading('it', { ...base, r: 0.8, ciLow: 0.64, ciHigh: 0.89, p: 0.0042 }).sentence).toContain('p = 0,004)')
  })

  it('no correlation when it cannot be computed, and never a causal word', () => {
    expect(reading('en', { ...base, n: 5, r: null, ciLow: null, ciHigh: null, p: null }).sentence).toBe(
      'Across 5 reps, no correlation can be computed: it needs at least 3 points and both eNPS and win rate must vary.',
    )
    for (const locale of ['en', 'it'] as const) {
      for (const r of [-0.9, -0.3, 0, 0.3, 0.9]) {
        const text = JSON.stringify(reading(locale, { ...base, r }))
        expect(text).not.toMatch(/\b(caus(es|ed|ing)|drives?|leads? to|because|provoca|causato|determina|perché)\b/i)
      }
    }
  })
})

describe('overlay helpers', () => {
  it('windows shift by whole months and keep month ends', () => {
    expect(shiftMonths('2025-03-31', 3)).toBe('2025-06-30')
    expect(shiftMonths('2025-01-31', 1)).toBe('2025-02-28')
    expect(shiftMonths('2025-02-28', 1)).toBe('2025-03-31')
    expect(shiftMonths('2025-01-15', 1)).toBe('2025-02-15')
    expect(shiftMonths('2025-11-01', 3)).toBe('2026-02-01')
    expect(kpiWindow({ from: '2025-04-01', to: '2025-06-30', lag: 2, period: 'quarter' })).toEqual({ from: '2025-10-01', to: '2025-12-31' })
  })
})
