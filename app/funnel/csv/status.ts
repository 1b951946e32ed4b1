import { parseCheckbox } from './checkbox'

/** Where a deal stands. Everything the KPIs need from a stage is this; the label is kept as is. */
export type DealStatus = 'open' | 'won' | 'lost'

/** Comparison key for labels: "Closed Won", "closedwon" (HubSpot's internal id) and "Closed won" are one. */
function labelKey(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, '')
}

const WON_STAGES = new Set(['closedwon', 'won', 'chiusavinta', 'chiusovinto', 'vinta', 'vinto', 'gewonnen', 'abgeschlossengewonnen'])
const LOST_STAGES = new Set(['closedlost', 'lost', 'chiusapersa', 'chiusoperso', 'persa', 'perso', 'verloren', 'abgeschlossenverloren'])
const OPEN_VALUES = new Set(['open', 'aperta', 'aperto', 'offen', 'incorso'])

/** A stage label says won or lost only when it is one of the closed labels; any other stage is open. */
export function statusFromStage(label: string): DealStatus {
  const key = labelKey(label)
  if (WON_STAGES.has(key)) return 'won'
  if (LOST_STAGES.has(key)) return 'lost'
  return 'open'
}

export const STATUS_ACCEPTED = 'open, won or lost (aperta, vinta, persa; Closed Won, Chiusa vinta, Closed Lost, Chiusa persa)'

/** A status column (Pipedrive, our template): must be one of the known values, null otherwise. */
export function parseStatus(raw: string): DealStatus | null {
  const key = labelKey(raw)
  if (OPEN_VALUES.has(key)) return 'open'
  if (WON_STAGES.has(key)) return 'won'
  if (LOST_STAGES.has(key)) return 'lost'
  return null
}

export type FlagsResult =
  | { ok: true; status: DealStatus }
  | { ok: false; reason: string; code: 'invalid_won_flag' | 'invalid_closed_flag' | 'won_not_closed'; value: string }

/**
 * Salesforce's Won and Closed checkboxes are the authority (an org can rename "Closed Won" to
 * anything); Closed without Won is lost. Won without Closed cannot be exported by Salesforce.
 */
export function statusFromFlags(wonRaw: string, closedRaw: string | null): FlagsResult {
  const won = parseCheckbox(wonRaw)
  if (won === null) return { ok: false, code: 'invalid_won_flag', value: wonRaw, reason: `Won is "${wonRaw}"; expected 1 or 0` }
  if (closedRaw === null) return { ok: true, status: won ? 'won' : 'open' }
  const closed = parseCheckbox(closedRaw)
  if (closed === null) return { ok: false, code: 'invalid_closed_flag', value: closedRaw, reason: `Closed is "${closedRaw}"; expected 1 or 0` }
  if (won && !closed) return { ok: false, code: 'won_not_closed', value: wonRaw, reason: 'Won is 1 but Closed is 0; a won deal must be closed' }
  return { ok: true, status: won ? 'won' : closed ? 'lost' : 'open' }
}
