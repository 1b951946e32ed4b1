import type { ReactNode } from 'react'

export type ChartTableRow = { label: string; cells: ReactNode[] }

/**
 * The data table every chart carries beside it: the accessible version of the chart, rendered on
 * the server (the chart itself is drawn in the browser only). The first column heads the row labels.
 */
export function ChartDataTable(props: { caption: string; columns: string[]; rows: ChartTableRow[]; className?: string }) {
  const table = (
    <table className="w-full text-sm">
      <caption className="sr-only">{props.caption}</caption>
      <thead>
        <tr className="text-left">
          {props.columns.map((c) => (
            <th key={c} scope="col" className="p-1">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.label} className="border-t border-slate-100">
            <th scope="row" className="p-1 text-left font-normal">
              {row.label}
            </th>
            {row.cells.map((c, i) => (
              <td key={i} className="p-1">
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
  return props.className ? <div className={props.className}>{table}</div> : table
}
