/**
 * Money amounts as CRMs export them: `$1,234.56`, `£1,234.56`, `1.234,56 €`, `€ 1.234,56`,
 * `EUR 1234.5`, `(1,234.56)`, `-1.234,56`. The result is an exact decimal string (never a float:
 * the database stores numeric and sums must not drift) with at least two decimals.
 */

export type DecimalSeparator = '.' | ','

export type AmountResult =
  | { ok: true; value: string; currency: string | null }
  | { ok: false; reason: string; code: 'invalid_amount' }
  | { ok: false; reason: string; code: 'two_currencies'; currencies: string[] }

const SYMBOLS: Record<string, string> = { US$: 'USD', $: 'USD', '€': 'EUR', '£': 'GBP' }
const ISO_CODES = new Set(Intl.supportedValuesOf('currency'))

const PREFIX = /^(US\$|\$|€|£|[A-Za-z]{3}(?=[\s\d.,(+\-−]))\s*/
const SUFFIX = /\s*(US\$|\$|€|£|[A-Za-z]{3})$/
// Spaces (also the no-break kinds French/Italian Excel writes) and Swiss apostrophes only group digits.
const GROUPING_NOISE = /[\s\u00a0\u202f'’]/g

function currencyOf(token: string): string | null {
  if (token in SYMBOLS) return SYMBOLS[token]
  const code = token.toUpperCase()
  return ISO_CODES.has(code) ? code : null
}

function invalid(raw: string): AmountResult {
  return { ok: false, code: 'invalid_amount', reason: `"${raw}" is not an amount; expected a number such as 1234.56, $1,234.56 or 1.234,56 €` }
}

/**
 * Which separator is the decimal one. Unambiguous cases decide themselves (both separators
 * present: the last is decimal; a separator repeated: grouping; not followed by exactly three
 * digits: decimal); only `1,234` / `1.234` need the file's convention.
 */
function splitNumber(digits: string, decimal: DecimalSeparator): { int: string; frac: string } | null {
  const dots = (digits.match(/\./g) ?? []).length
  const commas = (digits.match(/,/g) ?? []).length
  let decimalSep: string | null = null
  if (dots && commas) {
    decimalSep = digits.lastIndexOf('.') > digits.lastIndexOf(',') ? '.' : ','
    if ((decimalSep === '.' ? dots : commas) > 1) return null
  } else if (dots + commas === 1) {
    const sep = dots ? '.' : ','
    const after = digits.length - digits.indexOf(sep) - 1
    decimalSep = after !== 3 || sep === decimal ? sep : null
  }
  let int = digits
  let frac = ''
  if (decimalSep) {
    const at = digits.lastIndexOf(decimalSep)
    int = digits.slice(0, at)
    frac = digits.slice(at + 1)
    if (!/^\d+$/.test(frac)) return null
  }
  if (int === '') int = '0'
  if (/[.,]/.test(int)) {
    // Grouped thousands must be real groups of three: "12,34.5" is a typo, not 1234.5.
    if (!/^\d{1,3}([.,]\d{3})+$/.test(int) || new Set(int.match(/[.,]/g)).size > 1) return null
    int = int.replace(/[.,]/g, '')
  }
  if (!/^\d+$/.test(int)) return null
  return { int, frac }
}

export function parseAmount(raw: string, decimal: DecimalSeparator = '.'): AmountResult {
  let s = raw.trim()
  let negative = false
  const currencies: string[] = []

  const paren = /^\((.*)\)$/.exec(s)
  if (paren) {
    negative = true
    s = paren[1].trim()
  }
  const takeSign = (re: RegExp): boolean => {
    if (!re.test(s)) return true
    if (negative) return false // "-(12)" or "--12": two signs is a typo, not a double negative
    negative = true
    s = s.replace(re, '').trim()
    return true
  }
  const takeCurrency = (re: RegExp): boolean => {
    const m = re.exec(s)
    if (!m) return true
    const code = currencyOf(m[1])
    if (!code) return false
    currencies.push(code)
    s = s.replace(re, '').trim()
    return true
  }

  // Sign and symbol come in either order ("-$12", "$-12", "€ -12", "12- €" from SAP).
  const wellFormed =
    takeSign(/^[-−]/) && takeCurrency(PREFIX) && takeSign(/^[-−]/) && takeCurrency(SUFFIX) && takeSign(/[-−]$/)
  if (!wellFormed) return invalid(raw)
  if (new Set(currencies).size > 1) {
    return { ok: false, code: 'two_currencies', currencies, reason: `"${raw}" names two currencies (${currencies.join(' and ')})` }
  }

  const digits = s.replace(GROUPING_NOISE, '')
  if (!/^(\d[\d.,]*\d|\d|[.,]\d+)$/.test(digits)) return invalid(raw)
  const parts = splitNumber(digits, decimal)
  if (!parts) return invalid(raw)

  const int = parts.int.replace(/^0+(?=\d)/, '')
  const frac = parts.frac.padEnd(2, '0')
  const isZero = /^0+$/.test(int + frac)
  return { ok: true, value: `${negative && !isZero ? '-' : ''}${int}.${frac}`, currency: currencies[0] ?? null }
}

/**
 * The file's decimal separator, from a sample of its amounts: any amount ending in `,d` or `,dd`
 * (or grouped like `1.234.567`, or `1.234,5`) proves comma-decimal; `.d`/`.dd` endings or
 * `1,234,567` prove dot-decimal. Comma evidence wins, as the brief for the importer states;
 * null when the sample proves nothing (all integers, or only `1,234`-style values).
 */
export function detectDecimalSeparator(samples: Iterable<string>): DecimalSeparator | null {
  let comma = false
  let dot = false
  for (const raw of samples) {
    const s = raw.replace(/[^\d.,]/g, '')
    if (/,\d{1,2}$/.test(s) || /\.\d{3}\./.test(s) || /\.\d{3},\d+$/.test(s)) comma = true
    else if (/\.\d{1,2}$/.test(s) || /,\d{3},/.test(s) || /,\d{3}\.\d+$/.test(s)) dot = true
  }
  return comma ? ',' : dot ? '.' : null
}
