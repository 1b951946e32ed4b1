import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { ChartDataTable } from './chart-data-table'
import { useHydrated } from './use-hydrated'

export type DualAxisPoint = {
  label: string
  /** Left axis (e.g. eNPS) with its interval; null leaves a gap (suppressed). */
  left: number | null
  low: number | null
  high: number | null
  /** Right axis (e.g. a KPI). */
  right: number | null
  /** The same values as the table shows them, already formatted for the reader's language. */
  cells: string[]
}

/**
 * Two measures on one shared time axis, each on its own y axis (recharts ComposedChart), with the
 * left measure's confidence band. The table beside it is the accessible version and is rendered on
 * the server; the chart is drawn in the browser only.
 */
export function DualAxisTrendChart(props: { caption: string; data: DualAxisPoint[]; labels: { left: string; right: string; band: string }; columns: string[]; leftDomain?: [number, number] }) {
  const hydrated = useHydrated()
  const chartData = props.data.map((p) => ({ label: p.label, left: p.left, right: p.right, band: p.low !== null && p.high !== null ? [p.low, p.high] : null }))
  return (
    <figure className="grid gap-4 lg:grid-cols-2">
      <div className="h-72 min-w-0 print:hidden" aria-hidden="true">
        {hydrated ? (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={chartData} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} />
              <YAxis yAxisId="left" domain={props.leftDomain ?? ['auto', 'auto']} tick={{ fontSize: 11 }} />
              <YAxis yAxisId="right" orientation="right" domain={['auto', 'auto']} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Legend />
              <Area yAxisId="left" dataKey="band" stroke="none" fill="#bae6fd" fillOpacity={0.6} isAnimationActive={false} name={props.labels.band} />
              <Line yAxisId="left" dataKey="left" stroke="#0369a1" strokeWidth={2} dot connectNulls={false} isAnimationActive={false} name={props.labels.left} />
              <Line yAxisId="right" dataKey="right" stroke="#c2410c" strokeWidth={2} strokeDasharray="5 3" dot connectNulls={false} isAnimationActive={false} name={props.labels.right} />
            </ComposedChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      <ChartDataTable className="max-h-72 overflow-auto print:max-h-none" caption={props.caption} columns={props.columns} rows={props.data} />
      <figcaption className="sr-only">{props.caption}</figcaption>
    </figure>
  )
}
