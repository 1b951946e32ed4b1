import { Bar, BarChart as RechartsBarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { ChartDataTable } from './chart-data-table'
import { useHydrated } from './use-hydrated'

export type BarDatum = { label: string; value: number }

/** Bars (e.g. an answer distribution) drawn in the browser, with the same data as a table beside them. */
export function BarChart(props: { caption: string; data: BarDatum[]; labels: { x: string; value: string } }) {
  const hydrated = useHydrated()
  return (
    <figure className="grid gap-3 sm:grid-cols-2">
      <div className="h-40 min-w-0" aria-hidden="true">
        {hydrated ? (
          <ResponsiveContainer width="100%" height="100%">
            <RechartsBarChart data={props.data} margin={{ top: 4, right: 4, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Bar dataKey="value" fill="#0369a1" isAnimationActive={false} name={props.labels.value} />
            </RechartsBarChart>
          </ResponsiveContainer>
        ) : null}
      </div>
      <ChartDataTable caption={props.caption} columns={[props.labels.x, props.labels.value]} rows={props.data.map((d) => ({ label: d.label, cells: [d.value] }))} />
      <figcaption className="sr-only">{props.caption}</figcaption>
    </figure>
  )
}
