import { Heading, Text } from '@react-email/components'
import type { ReactNode } from 'react'
import type { Locale } from '~/i18n/locale'
import { paragraph } from './layout'

/**
 * Pieces of the scheduled reports: headed sections and data tables that read in the email itself
 * (real table headers for screen readers; the plain-text part renders them as aligned columns).
 */
export function ReportSection(props: { title: string; note?: string; children: ReactNode }) {
  return (
    <>
      <Heading as="h2" style={{ color: '#111827', fontSize: 18, margin: '24px 0 8px' }}>
        {props.title}
      </Heading>
      {props.note ? <Text style={{ ...paragraph, fontSize: 13, color: '#4b5563', margin: '0 0 8px' }}>{props.note}</Text> : null}
      {props.children}
    </>
  )
}

const cell = { borderBottom: '1px solid #e5e7eb', padding: '6px 8px', fontSize: 14, color: '#111827', verticalAlign: 'top' as const }

export function DataTable(props: { caption: string; headers: string[]; rows: ReactNode[][]; numeric?: number[] }) {
  const align = (i: number) => (props.numeric?.includes(i) ? ('right' as const) : ('left' as const))
  return (
    <table role="table" width="100%" cellPadding={0} cellSpacing={0} style={{ borderCollapse: 'collapse', margin: '0 0 12px', width: '100%' }}>
      <caption style={{ textAlign: 'left', fontSize: 12, color: '#6b7280', padding: '0 0 4px' }}>{props.caption}</caption>
      <thead>
        <tr>
          {props.headers.map((h, i) => (
            <th key={i} scope="col" style={{ ...cell, textAlign: align(i), fontWeight: 700, backgroundColor: '#f9fafb' }}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, r) => (
          <tr key={r}>
            {row.map((value, i) =>
              i === 0 ? (
                <th key={i} scope="row" style={{ ...cell, textAlign: 'left', fontWeight: 400 }}>
                  {value}
                </th>
              ) : (
                <td key={i} style={{ ...cell, textAlign: align(i) }}>
                  {value}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export function Empty(props: { children: ReactNode }) {
  return <Text style={{ ...paragraph, color: '#4b5563' }}>{props.children}</Text>
}

const tag = (locale: Locale) => (locale === 'it' ? 'it-IT' : 'en-GB')

/** A month as words ("November 2026", "novembre 2026") from its first day. */
export function formatMonth(locale: Locale, monthStart: string): string {
  return new Intl.DateTimeFormat(tag(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${monthStart}T12:00:00Z`))
}

/** A short month for table headers ("Nov 26", "nov 26"). */
export function formatShortMonth(locale: Locale, monthStart: string): string {
  return new Intl.DateTimeFormat(tag(locale), { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(`${monthStart}T12:00:00Z`))
}
