import type { ReactNode } from 'react'

/**
 * The plain data table of the screens: a header row, then one row per record, scrolling sideways
 * on a narrow screen. The charts carry their own (./charts/chart-data-table.tsx).
 *
 * Three looks, as the screens had them:
 * - `report` (the funnel's figures): upper-case headings, every row headed by its first cell;
 * - `list` (records with actions: import rejections, owner mappings …);
 * - `compact` (small tables inside a card: a survey's rounds, the 1:1 prep figures).
 */
export type DataTableColumn = { header: ReactNode; align?: 'right'; numeric?: boolean }

type Variant = 'report' | 'list' | 'compact'

// `head` styles the <thead>, or its row where `headOnRow` (as the list screens had it; the same rule either way).
const looks: Record<Variant, { table: string; head: string; headOnRow?: boolean; th: string; row: string; rowHeader: string; cell: string; lastPadding: boolean; empty: string }> = {
  report: {
    table: 'min-w-full text-left text-sm',
    head: 'border-b border-slate-300 text-xs uppercase text-slate-600',
    th: 'whitespace-nowrap px-2 py-2 font-semibold',
    row: 'border-b border-slate-100',
    rowHeader: 'whitespace-nowrap px-2 py-1.5 font-medium',
    cell: 'whitespace-nowrap px-2 py-1.5',
    lastPadding: true,
    empty: 'px-2 py-3 text-slate-600',
  },
  list: {
    table: 'min-w-full text-left text-sm',
    head: 'border-b border-slate-200',
    headOnRow: true,
    th: 'py-2 pr-3',
    row: 'border-b border-slate-100',
    rowHeader: 'py-2 pr-3 font-medium',
    cell: 'py-2 pr-3',
    lastPadding: true,
    empty: 'py-3 text-slate-600',
  },
  compact: {
    table: 'w-full text-left text-sm',
    head: 'border-b border-slate-200 text-slate-600',
    th: 'py-1 pr-2',
    row: 'border-b border-slate-100',
    rowHeader: 'py-1 pr-2 font-normal',
    cell: 'py-1 pr-2',
    // The last column ends at the card's padding.
    lastPadding: false,
    empty: 'py-2 text-slate-600',
  },
}

const cx = (...classes: (string | false | undefined)[]) => classes.filter(Boolean).join(' ')

export function DataTable(props: {
  columns: (ReactNode | DataTableColumn)[]
  rows: ReactNode[][]
  /** React keys of the rows (their position when omitted). */
  rowKeys?: string[]
  caption?: ReactNode
  captionHidden?: boolean
  /** Shown in a single row when there are no rows; without it an empty table has no body rows. */
  empty?: ReactNode
  variant?: Variant
  /** Whether each row's first cell heads it (`<th scope="row">`); the report look always does. */
  rowHeaders?: boolean
  /** Rows whose cells may wrap onto several lines start at the top. */
  topAligned?: boolean
  /** Whether the table scrolls sideways in its own box (default) or sits in the page as is. */
  scroll?: boolean
  className?: string
}) {
  const look = looks[props.variant ?? 'report']
  const rowHeaders = props.rowHeaders ?? (props.variant ?? 'report') === 'report'
  const columns = props.columns.map((c) => (c !== null && typeof c === 'object' && 'header' in c ? c : { header: c as ReactNode }))
  const last = columns.length - 1
  const padded = (base: string, i: number) => (look.lastPadding || i < last ? base : base.replace(/ ?\bpr-\d+/, ''))
  const table = (
    <table className={cx(look.table, props.className)}>
      {props.caption !== undefined ? <caption className={props.captionHidden ? 'sr-only' : 'mb-2 text-left text-sm font-medium text-slate-700'}>{props.caption}</caption> : null}
      <thead className={look.headOnRow ? undefined : look.head}>
        <tr className={look.headOnRow ? look.head : undefined}>
          {columns.map((c, i) => (
            <th key={i} scope="col" className={cx(padded(look.th, i), c.align === 'right' && 'text-right')}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && props.empty !== undefined ? (
          <tr>
            <td colSpan={columns.length} className={look.empty}>
              {props.empty}
            </td>
          </tr>
        ) : (
          props.rows.map((cells, r) => (
            <tr key={props.rowKeys?.[r] ?? r} className={cx(look.row, props.topAligned && 'align-top')}>
              {cells.map((cell, i) => {
                const column: DataTableColumn | undefined = columns[i]
                const align = column?.align === 'right' && 'text-right'
                if (i === 0 && rowHeaders) {
                  return (
                    <th key={i} scope="row" className={cx(padded(look.rowHeader, i), align)}>
                      {cell}
                    </th>
                  )
                }
                const numeric = look === looks.report || column?.numeric
                return (
                  <td key={i} className={cx(padded(look.cell, i), align, numeric && 'tabular-nums')}>
                    {cell}
                  </td>
                )
              })}
            </tr>
          ))
        )}
      </tbody>
    </table>
  )
  return (props.scroll ?? true) ? <div className="overflow-x-auto">{table}</div> : table
}
