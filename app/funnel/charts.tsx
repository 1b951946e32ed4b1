import { useEffect, useState } from 'react'
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'

/** recharts measures the DOM, so charts render only in the browser; the data table beside each is server-rendered. */
function useMounted() {
  const [mounted, setMounted] = useState(false)
  useEffect(() => setMounted(true), [])
  return mounted
}

export type Point = { label: string; value: number | null }

export function TrendChart(props: { points: Point[]; label: string; height?: number; format?: (v: number) => string }) {
  const mounted = useMounted()
  const height = props.height ?? 180
  if (!mounted) return <div style={{ height }} aria-hidden="true" />
  return (
    <div style={{ height }} role="img" aria-label={props.label}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={props.points} margin={{ top: 8, right: 12, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} width={56} tickFormatter={props.format} />
          <Tooltip formatter={(v) => (typeof v === 'number' && props.format ? props.format(v) : String(v))} />
          <Line type="monotone" dataKey="value" name={props.label} stroke="#1d4ed8" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}

export function Sparkline(props: { points: Point[]; label: string }) {
  const mounted = useMounted()
  if (!mounted) return <div className="h-10" aria-hidden="true" />
  return (
    <div className="h-10" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={props.points}>
          <Line type="monotone" dataKey="value" name={props.label} stroke="#1d4ed8" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}

export function StageChart(props: { points: Point[]; label: string }) {
  const mounted = useMounted()
  if (!mounted) return <div className="h-56" aria-hidden="true" />
  return (
    <div className="h-56" role="img" aria-label={props.label}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={props.points} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="label" width={110} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Bar dataKey="value" name={props.label} fill="#1d4ed8" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}
