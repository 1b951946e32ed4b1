import { detectDecimalSeparator, type DecimalSeparator } from './amount'
import { detectDayOrder, hasDottedDates, type DayOrder } from './date'

/**
 * The number and date conventions of one file. A file is one export from one user's CRM
 * settings, so the conventions are decided once per file, from a sample of its rows.
 */
export interface FileLocale {
  decimalSeparator: DecimalSeparator
  dayOrder: DayOrder
  /** How each convention was decided, for the import summary ("dates read as day/month from the file"). */
  decidedBy: { decimalSeparator: LocaleEvidence; dayOrder: LocaleEvidence }
}

export type LocaleEvidence = 'hint' | 'sample' | 'fallback'

/**
 * A BCP 47 tag (`it-IT`, or Salesforce's `en_US`) → its conventions. Only en-US and bare `en`
 * (Salesforce's default user locale) are month-first; every other English is day-first; the
 * other European languages we meet write comma decimals and day-first dates.
 */
export function conventionsOf(locale: string): { decimalSeparator: DecimalSeparator; dayOrder: DayOrder } {
  const [language, region] = locale.replace('_', '-').toLowerCase().split('-')
  if (language === 'en') return { decimalSeparator: '.', dayOrder: !region || region === 'us' ? 'MDY' : 'DMY' }
  if (language === 'ja' || language === 'zh' || language === 'ko') return { decimalSeparator: '.', dayOrder: 'MDY' }
  if (language === 'de' && region === 'ch') return { decimalSeparator: '.', dayOrder: 'DMY' }
  return { decimalSeparator: ',', dayOrder: 'DMY' }
}

export interface LocaleSample {
  amounts: readonly string[]
  dates: readonly string[]
  delimiter: string
}

/**
 * Decides the file's conventions: a hint forces them; otherwise the sample proves them (see
 * detectDecimalSeparator and detectDayOrder); otherwise the file's habits tip the balance — a
 * semicolon delimiter or `dd.mm.yyyy` dates mean a comma-decimal locale (Excel uses `;` exactly
 * where `,` is the decimal mark), and comma decimals or `€`/`£` amounts mean day-first dates.
 * The last resort is en-US, the locale of most CRM defaults.
 */
export function decideFileLocale(sample: LocaleSample, hint?: string): FileLocale {
  if (hint) {
    return { ...conventionsOf(hint), decidedBy: { decimalSeparator: 'hint', dayOrder: 'hint' } }
  }
  const dotted = hasDottedDates(sample.dates)
  const provenDecimal = detectDecimalSeparator(sample.amounts)
  const decimalSeparator: DecimalSeparator = provenDecimal ?? (sample.delimiter === ';' || dotted ? ',' : '.')
  const provenOrder = detectDayOrder(sample.dates)
  const europeanMoney = sample.amounts.some((a) => /[€£]|\b(EUR|GBP)\b/i.test(a))
  const dayOrder: DayOrder = provenOrder ?? (dotted || decimalSeparator === ',' || europeanMoney ? 'DMY' : 'MDY')
  return {
    decimalSeparator,
    dayOrder,
    decidedBy: { decimalSeparator: provenDecimal ? 'sample' : 'fallback', dayOrder: provenOrder ? 'sample' : 'fallback' },
  }
}
