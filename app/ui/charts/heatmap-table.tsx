export type HeatmapCell = { row: string; column: string; share: number | null; text: string }

/**
 * A heatmap that is a real table (rows × columns), so it is accessible as it is: the colour only
 * repeats the printed figure. `share` 0–1 picks the colour; null (suppressed) stays grey.
 */
export function HeatmapTable(props: { caption: string; rowHeader: string; rows: { id: string; label: string }[]; columns: { id: string; label: string }[]; cells: HeatmapCell[] }) {
  const cell = (row: string, column: string) => props.cells.find((c) => c.row === row && c.column === column)
  const colour = (share: number | null) =>
    share === null ? 'bg-slate-100 text-slate-600' : share >= 0.7 ? 'bg-emerald-200' : share >= 0.55 ? 'bg-emerald-50' : share >= 0.4 ? 'bg-amber-100' : 'bg-red-200'
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="mb-2 text-left text-slate-600">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="p-2 text-left">{props.rowHeader}</th>
            {props.columns.map((c) => (
              <th key={c.id} scope="col" className="p-2 text-left">{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.id}>
              <th scope="row" className="p-2 text-left font-normal">{r.label}</th>
              {props.columns.map((c) => {
                const value = cell(r.id, c.id)
                return (
                  <td key={c.id} className={`border border-white p-2 ${colour(value?.share ?? null)}`}>
                    {value?.text ?? '—'}
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
