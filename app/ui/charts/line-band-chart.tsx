import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { ChartDataTable } from './chart-data-table'
import { useHydrated } from './use-hydrated'

export type BandPoint = { label: string; value: number | null; low: number | null; high: number | null; note?: string }

/**
 * A line with its confidence band (e.g. eNPS and its 95% interval) and, always, the same data as a
 * table: the table is the accessible version and is rendered on the server; the chart is drawn in
 * the browser only. A point without value (suppressed) leaves a gap, never a guess.
 */
export function LineBandChart(props: { caption: string; data: BandPoint[]; labels: { x: string; value: string; band: string }; domain?: [number, number]; format?: (value: number) => string }) {
  const hydrated = useHydrated()
  const format = props.format ?? String
  const chartData = props.data.map((p) => ({ label: p.label, value: p.value, band: p.low !== null && p.high !== null ? [p.low, p.high] : null }))
  return (
    <figure className="grid gap-4 lg:grid-cols-2">
      <div className="h-64 min-w-0" aria-hidden="true">
        {hydrated ? (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={chartData} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} />
              <YAxis domain={props.domain ?? ['auto', 'auto']} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Area dataKey="band" stroke="none" fill="#bae6fd" fillOpacity={0.6} connectNulls={false} isAnimationActive={false} name={props.labels.band} />
              <Line dataKey="value" stroke="#0369a1" strokeWidth={2} dot connectNulls={false} isAnimationActive={false} name={props.labels.value} />
            </ComposedChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      <ChartDataTable
        className="max-h-64 overflow-auto"
        caption={props.caption}
        columns={[props.labels.x, props.labels.value, props.labels.band]}
        rows={props.data.map((p) => ({ label: p.label, cells: [p.value !== null ? format(p.value) : (p.note ?? '—'), p.low !== null && p.high !== null ? `${format(p.low)} … ${format(p.high)}` : ''] }))}
      />
      <figcaption className="sr-only">{props.caption}</figcaption>
    </figure>
  )
}
