/**
 * The plain-language reading under each overlay result
 * (docs/architecture.md#the-performance-overlay), in English and Italian.
 *
 * Wording rules: it says what went with what ("went with", "è andato di pari passo"), never that
 * one thing caused or drove another, and always ends with the association caveat. A result on few
 * units or with a wide interval carries a warning (the thresholds come from statistics.ts).
 */
import type { Locale } from '~/i18n/locale'
import { DRIVER_LABELS } from '~/responses/drivers'
import { type KpiKey, type Level, type OverlayPeriod, type Sentiment } from './overlay'
import { smallSampleWarning } from './statistics'

export type ReadingInput = {
  level: Level
  period: OverlayPeriod
  lag: number
  sentiment: Sentiment
  kpi: KpiKey
  n: number
  r: number | null
  ciLow: number | null
  ciHigh: number | null
  p: number | null
}

export type Reading = { sentence: string; caveat: string; warnings: string[] }

/** Below this |r| the reading says the two moved almost independently rather than naming a direction. */
export const NEGLIGIBLE_R = 0.1

type KpiPhrases = { name: string; higher: string; lower: string }

const KPI_PHRASES: Record<Locale, Record<KpiKey, KpiPhrases>> = {
  en: {
    lead_conversion_rate: { name: 'lead conversion rate', higher: 'a higher lead conversion rate', lower: 'a lower lead conversion rate' },
    win_rate: { name: 'win rate', higher: 'a higher win rate', lower: 'a lower win rate' },
    avg_deal_size: { name: 'average deal size', higher: 'a larger average deal size', lower: 'a smaller average deal size' },
    sales_cycle_days: { name: 'median sales cycle', higher: 'a longer median sales cycle', lower: 'a shorter median sales cycle' },
    pipeline_value: { name: 'pipeline value', higher: 'a higher pipeline value', lower: 'a lower pipeline value' },
    pipeline_velocity: { name: 'pipeline velocity', higher: 'a higher pipeline velocity', lower: 'a lower pipeline velocity' },
    quota_attainment: { name: 'quota attainment', higher: 'a higher quota attainment', lower: 'a lower quota attainment' },
    opportunities_created: { name: 'opportunities created', higher: 'more opportunities created', lower: 'fewer opportunities created' },
    won: { name: 'deals won', higher: 'more deals won', lower: 'fewer deals won' },
  },
  it: {
    lead_conversion_rate: { name: 'tasso di conversione dei lead', higher: 'un tasso di conversione dei lead più alto', lower: 'un tasso di conversione dei lead più basso' },
    win_rate: { name: 'tasso di vittoria', higher: 'un tasso di vittoria più alto', lower: 'un tasso di vittoria più basso' },
    avg_deal_size: { name: 'valore medio delle trattative', higher: 'un valore medio delle trattative più alto', lower: 'un valore medio delle trattative più basso' },
    sales_cycle_days: { name: 'ciclo di vendita mediano', higher: 'un ciclo di vendita mediano più lungo', lower: 'un ciclo di vendita mediano più breve' },
    pipeline_value: { name: 'valore della pipeline', higher: 'un valore della pipeline più alto', lower: 'un valore della pipeline più basso' },
    pipeline_velocity: { name: 'velocità della pipeline', higher: 'una velocità della pipeline più alta', lower: 'una velocità della pipeline più bassa' },
    quota_attainment: { name: 'raggiungimento della quota', higher: 'un raggiungimento della quota più alto', lower: 'un raggiungimento della quota più basso' },
    opportunities_created: { name: 'opportunità create', higher: 'più opportunità create', lower: 'meno opportunità create' },
    won: { name: 'trattative vinte', higher: 'più trattative vinte', lower: 'meno trattative vinte' },
  },
}

export function kpiName(locale: Locale, kpi: KpiKey): string {
  return KPI_PHRASES[locale][kpi].name
}

export function sentimentName(locale: Locale, s: Sentiment): string {
  return s.kind === 'enps' ? 'eNPS' : DRIVER_LABELS[s.driver][locale]
}

/** "higher eNPS" / "un eNPS più alto"; a driver is named by its score. */
function higherSentiment(locale: Locale, s: Sentiment): string {
  if (locale === 'en') return s.kind === 'enps' ? 'higher eNPS' : `higher “${DRIVER_LABELS[s.driver].en}” scores`
  return s.kind === 'enps' ? 'un eNPS più alto' : `un punteggio «${DRIVER_LABELS[s.driver].it}» più alto`
}

const NUMBER_WORDS: Record<Locale, string[]> = { en: ['', 'one', 'two', 'three'], it: ['', 'un', 'due', 'tre'] }

function when(locale: Locale, period: OverlayPeriod, lag: number): string {
  if (lag === 0) return locale === 'en' ? `in the same ${period}` : period === 'quarter' ? 'nello stesso trimestre' : 'nello stesso mese'
  if (locale === 'en') return `${NUMBER_WORDS.en[lag] ?? lag} ${period}${lag > 1 ? 's' : ''} later`
  const unit = period === 'quarter' ? (lag > 1 ? 'trimestri' : 'trimestre') : lag > 1 ? 'mesi' : 'mese'
  return `${NUMBER_WORDS.it[lag] ?? lag} ${unit} dopo`
}

function units(locale: Locale, level: Level, period: OverlayPeriod, n: number): string {
  const en = { rep: ['rep', 'reps'], team: ['team', 'teams'], period: period === 'quarter' ? ['quarter', 'quarters'] : ['month', 'months'] }
  const it = { rep: ['venditore', 'venditori'], team: ['team', 'team'], period: period === 'quarter' ? ['trimestre', 'trimestri'] : ['mese', 'mesi'] }
  return `${n} ${(locale === 'en' ? en : it)[level][n === 1 ? 0 : 1]}`
}

/** Two decimals with the locale's decimal separator and a true minus sign. */
function fixed(locale: Locale, value: number, digits = 2): string {
  const text = Math.abs(value).toFixed(digits)
  return `${value < 0 && Number(text) !== 0 ? '−' : ''}${locale === 'it' ? text.replace('.', ',') : text}`
}

/** p to two decimals, three below 0.01, and "< 0.001" rather than a misleading 0. */
function pText(locale: Locale, p: number): string {
  if (p < 0.001) return `p < ${fixed(locale, 0.001, 3)}`
  return `p = ${fixed(locale, p, p < 0.01 ? 3 : 2)}`
}

const CAVEAT: Record<Locale, string> = {
  en: 'This shows association, not cause.',
  it: 'Questo indica un’associazione, non una causa.',
}

export function reading(locale: Locale, input: ReadingInput): Reading {
  const across = locale === 'en' ? `Across ${units(locale, input.level, input.period, input.n)}` : `Su ${units(locale, input.level, input.period, input.n)}`
  const kpi = KPI_PHRASES[locale][input.kpi]
  const warnings: string[] = []
  const flags = smallSampleWarning(input.n, input.ciLow, input.ciHigh)
  if (input.r === null || input.p === null) {
    const sentence =
      locale === 'en'
        ? `${across}, no correlation can be computed: it needs at least 3 points and both ${sentimentName(locale, input.sentiment)} and ${kpi.name} must vary.`
        : `${across}, non si può calcolare una correlazione: servono almeno 3 punti e sia ${sentimentName(locale, input.sentiment)} sia ${kpi.name} devono variare.`
    return { sentence, caveat: CAVEAT[locale], warnings }
  }
  const stats =
    input.ciLow !== null && input.ciHigh !== null
      ? locale === 'en'
        ? `r = ${fixed(locale, input.r)}, 95% CI ${fixed(locale, input.ciLow)} to ${fixed(locale, input.ciHigh)}, ${pText(locale, input.p)}`
        : `r = ${fixed(locale, input.r)}, IC 95% da ${fixed(locale, input.ciLow)} a ${fixed(locale, input.ciHigh)}, ${pText(locale, input.p)}`
      : `r = ${fixed(locale, input.r)}, ${pText(locale, input.p)}`
  const time = when(locale, input.period, input.lag)
  let sentence: string
  if (Math.abs(input.r) < NEGLIGIBLE_R) {
    sentence =
      locale === 'en'
        ? `${across}, ${sentimentName(locale, input.sentiment)} and ${kpi.name} ${time} showed almost no association (${stats}).`
        : `${across}, ${sentimentName(locale, input.sentiment)} e ${kpi.name} ${time} non hanno mostrato quasi nessuna associazione (${stats}).`
  } else {
    const direction = input.r > 0 ? kpi.higher : kpi.lower
    sentence =
      locale === 'en'
        ? `${across}, ${higherSentiment(locale, input.sentiment)} went with ${direction} ${time} (${stats}).`
        : `${across}, ${higherSentiment(locale, input.sentiment)} è andato di pari passo con ${direction} ${time} (${stats}).`
  }
  if (flags.fewPoints) {
    warnings.push(
      locale === 'en'
        ? `Only ${units(locale, input.level, input.period, input.n)}: treat this as a hint, not a finding.`
        : `Solo ${units(locale, input.level, input.period, input.n)}: va letto come un indizio, non come un risultato.`,
    )
  }
  if (flags.wideInterval) {
    warnings.push(
      locale === 'en'
        ? 'The 95% interval is wide: the true correlation could be much weaker or stronger than this.'
        : 'L’intervallo al 95% è ampio: la correlazione reale potrebbe essere molto più debole o più forte di così.',
    )
  }
  return { sentence, caveat: CAVEAT[locale], warnings }
}
