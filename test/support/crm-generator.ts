import { createWriteStream } from 'node:fs'
import { finished } from 'node:stream/promises'

/**
 * A deterministic Salesforce-style opportunity report (en-US conventions: month-first dates,
 * "$1,234.56" amounts, Won/Closed checkboxes, an Opportunity ID column) of any size, for the
 * large-import tests and the import measurement. Row i is a pure function of i (and `seed`), so
 * the same call always writes the same bytes; nothing is kept in memory but one chunk of lines.
 * Never committed as a data file: generate it where it is needed.
 */

export const GENERATED_HEADER = [
  'Opportunity ID',
  'Opportunity Owner',
  'Opportunity Name',
  'Account Name',
  'Stage',
  'Amount',
  'Probability (%)',
  'Lead Source',
  'Industry',
  'Created Date',
  'Close Date',
  'Won',
  'Closed',
] as const

const OWNERS = ['Giulia Rossi', 'Marco Bianchi', 'Sara Esposito', 'Luca Romano', 'Emma Clarke', 'James Walker', 'Olivia Hughes', 'Noah Patel']
const STAGES = [
  { label: 'Prospecting', won: 0, closed: 0, p: 10 },
  { label: 'Qualification', won: 0, closed: 0, p: 20 },
  { label: 'Needs Analysis', won: 0, closed: 0, p: 40 },
  { label: 'Proposal/Price Quote', won: 0, closed: 0, p: 60 },
  { label: 'Negotiation/Review', won: 0, closed: 0, p: 80 },
  { label: 'Closed Won', won: 1, closed: 1, p: 100 },
  { label: 'Closed Lost', won: 0, closed: 1, p: 0 },
]
const SOURCES = ['Web', 'Partner Referral', 'Outbound', 'Trade Show', 'Advertisement']
const INDUSTRIES = ['Technology', 'Manufacturing', 'Finance', 'Retail', 'Healthcare', 'Energy']

/** A small multiplicative hash: spreads i over the value lists without any state. */
function mix(i: number, salt: number): number {
  let x = (i + 1) * 2654435761 + salt * 40503
  x = Math.imul(x ^ (x >>> 15), 2246822519)
  x = Math.imul(x ^ (x >>> 13), 3266489917)
  return (x ^ (x >>> 16)) >>> 0
}

const pad = (n: number) => String(n).padStart(2, '0')
const usDate = (d: Date) => `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`
const usd = (cents: number) => {
  const whole = Math.floor(cents / 100)
  return `"$${whole.toLocaleString('en-US')}.${pad(cents % 100)}"`
}

const DAY = 24 * 60 * 60 * 1000
const START = Date.UTC(2024, 0, 1)

export type GeneratedRowOptions = {
  seed?: number
  /** Every `rejectEvery`-th row (1-based, when set) carries a negative amount and is rejected. */
  rejectEvery?: number
  /** Every `duplicateEvery`-th row (when set) repeats the id of the row before it. */
  duplicateEvery?: number
}

/** Line i (0-based data row) of the report, without its line break. */
export function generatedRow(i: number, options: GeneratedRowOptions = {}): string {
  const seed = options.seed ?? 1
  const stage = STAGES[mix(i, seed) % STAGES.length]
  const created = new Date(START + (mix(i, seed + 1) % 900) * DAY)
  const close = new Date(created.getTime() + (1 + (mix(i, seed + 2) % 120)) * DAY)
  const cents = 50_000 + (mix(i, seed + 3) % 9_950_000)
  const negative = options.rejectEvery !== undefined && (i + 1) % options.rejectEvery === 0
  const idOf = (n: number) => `006G${String(n).padStart(11, '0')}AAA`
  const duplicate = options.duplicateEvery !== undefined && i > 0 && (i + 1) % options.duplicateEvery === 0
  return [
    idOf(duplicate ? i - 1 : i),
    OWNERS[mix(i, seed + 4) % OWNERS.length],
    `"Deal ${i + 1}"`,
    `"Account ${(mix(i, seed + 5) % 20_000) + 1}, Inc."`,
    stage.label,
    negative ? `"-${usd(cents).slice(1, -1)}"` : usd(cents),
    String(stage.p),
    SOURCES[mix(i, seed + 6) % SOURCES.length],
    INDUSTRIES[mix(i, seed + 7) % INDUSTRIES.length],
    usDate(created),
    usDate(close),
    String(stage.won),
    String(stage.closed),
  ].join(',')
}

/** The whole report as a stream of chunks (a few thousand lines each). */
export async function* generatedReport(rows: number, options: GeneratedRowOptions = {}): AsyncGenerator<string> {
  let chunk = `${GENERATED_HEADER.join(',')}\n`
  for (let i = 0; i < rows; i++) {
    chunk += `${generatedRow(i, options)}\n`
    if (chunk.length > 256 * 1024) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk) yield chunk
}

/** Writes the report to `path`; returns its size in bytes. */
export async function writeGeneratedReport(path: string, rows: number, options: GeneratedRowOptions = {}): Promise<number> {
  const out = createWriteStream(path)
  let bytes = 0
  for await (const chunk of generatedReport(rows, options)) {
    bytes += Buffer.byteLength(chunk)
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  out.end()
  await finished(out)
  return bytes
}
