import { CartesianGrid, ComposedChart, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis, ZAxis } from 'recharts'
import { ChartDataTable } from './chart-data-table'
import { useHydrated } from './use-hydrated'

export type ScatterDatum = { label: string; x: number; y: number; size?: number; cells: string[] }

/**
 * Points (teams, reps or bands of reps) with an optional least-squares line, drawn in the browser;
 * the table beside it, rendered on the server, holds exactly the points drawn.
 */
export function ScatterFitChart(props: {
  caption: string
  data: ScatterDatum[]
  fit: { slope: number; intercept: number } | null
  labels: { x: string; y: string; fit: string }
  columns: string[]
}) {
  const hydrated = useHydrated()
  const xs = props.data.map((d) => d.x)
  const line =
    props.fit && xs.length >= 2
      ? [Math.min(...xs), Math.max(...xs)].map((x) => ({ x, fit: props.fit!.intercept + props.fit!.slope * x }))
      : []
  return (
    <figure className="grid gap-4 lg:grid-cols-2">
      <div className="h-64 min-w-0 print:hidden" aria-hidden="true">
        {hydrated ? (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart margin={{ top: 8, right: 8, bottom: 16, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis type="number" dataKey="x" name={props.labels.x} domain={['auto', 'auto']} tick={{ fontSize: 11 }} />
              <YAxis type="number" dataKey="y" name={props.labels.y} domain={['auto', 'auto']} tick={{ fontSize: 11 }} />
              <ZAxis type="number" dataKey="size" range={[60, 400]} />
              <Tooltip cursor={{ strokeDasharray: '3 3' }} />
              <Scatter data={props.data.map((d) => ({ x: d.x, y: d.y, size: d.size ?? 1, label: d.label }))} fill="#0369a1" isAnimationActive={false} name={props.labels.y} />
              {line.length ? <Line data={line} dataKey="fit" stroke="#64748b" strokeDasharray="4 4" dot={false} isAnimationActive={false} name={props.labels.fit} /> : null}
            </ComposedChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      <ChartDataTable className="max-h-64 overflow-auto print:max-h-none" caption={props.caption} columns={props.columns} rows={props.data} />
      <figcaption className="sr-only">{props.caption}</figcaption>
    </figure>
  )
}
