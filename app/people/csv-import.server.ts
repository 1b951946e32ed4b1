import { parse } from 'csv-parse/sync'
import type { Db } from '#db/client'
import { roles, type Role } from '#db/schema/people'
import type { Actor } from '~/audit/audit.server'
import type { Messages } from '~/i18n'
import { messagesFor } from '~/i18n'
import { type BatchCounts, upsertPeople } from './batch.server'
import { describeIssue } from './errors'
import { type PersonUpsert, personUpsertSchema } from './schemas'

export const MAX_CSV_BYTES = 5 * 1024 * 1024

/** The columns of the people CSV (test/fixtures/people.csv) and the header names accepted for each. */
const columns = {
  email: ['email', 'e_mail', 'mail', 'email_address', 'work_email', 'indirizzo_email', 'posta_elettronica'],
  name: ['name', 'full_name', 'fullname', 'display_name', 'nome', 'nome_completo', 'nome_e_cognome', 'nominativo'],
  role: ['role', 'ruolo', 'access_role'],
  team: ['team', 'team_name', 'squadra', 'nome_team', 'gruppo'],
  manager_email: ['manager_email', 'manager_e_mail', 'manager', 'reports_to', 'reports_to_email', 'line_manager', 'email_responsabile', 'responsabile', 'riporta_a'],
  crm_owner: ['crm_owner', 'crm_owners', 'crm_owner_key', 'crm_owner_keys', 'owner', 'proprietario_crm', 'chiave_crm'],
  locale: ['locale', 'language', 'lang', 'lingua'],
  timezone: ['timezone', 'time_zone', 'tz', 'fuso_orario'],
} as const
export type Column = keyof typeof columns
const required: Column[] = ['email', 'name']

/** "E-mail", "Full name", "Email responsabile" → e_mail, full_name, email_responsabile. */
function normaliseHeader(header: string) {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
}

const columnByHeader = new Map<string, Column>(Object.entries(columns).flatMap(([column, names]) => names.map((n) => [n, column as Column] as const)))

/** Role names as people write them in either language ("Amministratore", "HR", "Dipendente"). */
const roleByLabel = new Map<string, Role>(
  roles.flatMap((role) => [
    [role, role],
    [messagesFor('en').people.roles[role].toLowerCase(), role],
    [messagesFor('it').people.roles[role].toLowerCase(), role],
  ]),
)

export type CsvRowIssue = { line: number; column: Column; message: string }
export type CsvPreview =
  | { ok: false; fileError: string }
  | { ok: false; rows: number; issues: CsvRowIssue[] }
  | ({ ok: true; rows: number; committed: boolean } & BatchCounts)
  | { ok: false; rows: number; changed: BatchCounts }

type Parsed = { ok: true; items: { line: number; raw: Record<string, unknown> }[] } | { ok: false; fileError: string }

/** Reads the CSV text: BOM, `,` or `;`, any column order, header aliases; each record keeps its line number. */
export function parsePeopleCsv(t: Messages, text: string): Parsed {
  const body = text.replace(/^\uFEFF/, '')
  const headerLine = body.split(/\r?\n/, 1)[0] ?? ''
  const delimiter = (headerLine.match(/;/g)?.length ?? 0) > (headerLine.match(/,/g)?.length ?? 0) ? ';' : ','
  let records: { record: string[]; info: { lines: number } }[]
  try {
    records = parse(body, { delimiter, bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as never
  } catch (error) {
    return { ok: false, fileError: t.people.import.unreadable({ reason: (error as Error).message }) }
  }
  const [header, ...rows] = records
  const mapping = (header?.record ?? []).map((h) => columnByHeader.get(normaliseHeader(h)) ?? null)
  const missing = required.filter((c) => !mapping.includes(c))
  if (!header || missing.length) return { ok: false, fileError: t.people.import.missingColumns({ columns: required.join(', ') }) }
  if (!rows.length) return { ok: false, fileError: t.people.import.empty }
  const present = new Set(mapping.filter((c): c is Column => c !== null))
  const items = rows.map(({ record, info }) => {
    const cell = (c: Column) => {
      const i = mapping.indexOf(c)
      return i >= 0 ? (record[i] ?? '') : ''
    }
    const raw: Record<string, unknown> = { email: cell('email'), name: cell('name') }
    // A column the file does not have keeps what is stored; an empty cell clears (role: keeps).
    if (present.has('role') && cell('role')) raw.role = roleByLabel.get(cell('role').toLowerCase()) ?? cell('role')
    if (present.has('team')) raw.team = cell('team') || null
    if (present.has('manager_email')) raw.managerEmail = cell('manager_email') || null
    if (present.has('crm_owner')) raw.crmOwnerKeys = [...new Set(cell('crm_owner').split('|').map((k) => k.trim()).filter(Boolean))]
    if (present.has('locale')) raw.locale = cell('locale').toLowerCase() || null
    if (present.has('timezone')) raw.timezone = cell('timezone') || null
    return { line: info.lines, raw }
  })
  return { ok: true, items }
}

const columnOfField: Record<string, Column> = { email: 'email', name: 'name', role: 'role', team: 'team', managerEmail: 'manager_email', crmOwnerKeys: 'crm_owner', locale: 'locale', timezone: 'timezone' }

/**
 * Previews (everything written, checked and rolled back) or commits a people CSV. Every bad row is
 * reported with its line number and reason, and then nothing can be committed.
 */
export async function importPeopleCsv(
  db: Db,
  t: Messages,
  text: string,
  options: { actor: Actor; mode: 'preview' | 'commit'; expect?: { created: number; updated: number } },
): Promise<CsvPreview> {
  const parsed = parsePeopleCsv(t, text)
  if (!parsed.ok) return parsed
  const schema = personUpsertSchema(t)
  const issues: CsvRowIssue[] = []
  const items: PersonUpsert[] = []
  const lines: number[] = []
  const badEmails: string[] = []
  for (const { line, raw } of parsed.items) {
    const result = schema.safeParse(raw)
    if (result.success) {
      items.push(result.data)
      lines.push(line)
    } else {
      if (typeof raw.email === 'string') badEmails.push(raw.email.trim().toLowerCase())
      // One reason per column, the first zod gives.
      const seen = new Set<string>()
      for (const issue of result.error.issues) {
        const column = columnOfField[String(issue.path[0])] ?? 'email'
        if (seen.has(column)) continue
        seen.add(column)
        issues.push({ line, column, message: issue.message })
      }
    }
  }
  // Cross-row checks run on the rows that passed, so a bad row is reported once, for its own reason.
  const outcome = await upsertPeople(db, items, { actor: options.actor, mode: issues.length ? 'preview' : options.mode, action: 'people.imported', expect: options.expect, alsoInBatch: badEmails })
  if (!outcome.ok && 'issues' in outcome) issues.push(...outcome.issues.map((i) => ({ line: lines[i.index], column: columnOfField[i.field], message: describeIssue(t, i, (n) => lines[n]) })))
  if (issues.length) return { ok: false, rows: parsed.items.length, issues: issues.sort((a, b) => a.line - b.line) }
  if (!outcome.ok && 'changed' in outcome) return { ok: false, rows: parsed.items.length, changed: outcome.changed }
  if (!outcome.ok) throw new Error('unreachable')
  return { ...outcome, rows: parsed.items.length }
}
