import type { ButtonHTMLAttributes, ReactNode } from 'react'

export function PageHeader(props: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">{props.title}</h1>
        {props.description ? <p className="mt-1 max-w-3xl text-slate-700">{props.description}</p> : null}
      </div>
      {props.actions ? <div className="flex flex-wrap gap-2">{props.actions}</div> : null}
    </div>
  )
}

export function Card(props: { title?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6 ${props.className ?? ''}`}>
      {props.title ? <h2 className="mb-3 text-lg font-semibold">{props.title}</h2> : null}
      {props.children}
    </section>
  )
}

export function Button(props: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' }) {
  const { variant = 'primary', className, ...rest } = props
  const styles = {
    primary: 'bg-brand-700 text-white hover:bg-brand-800 disabled:bg-slate-400',
    secondary: 'border border-slate-300 bg-white text-slate-800 hover:bg-slate-50',
    danger: 'bg-red-700 text-white hover:bg-red-800',
  }[variant]
  return <button type="submit" {...rest} className={`inline-flex min-h-10 items-center justify-center rounded-md px-4 py-2 text-sm font-semibold ${styles} ${className ?? ''}`} />
}

export function Notice(props: { tone?: 'info' | 'success' | 'warning' | 'error'; children: ReactNode }) {
  const tone = props.tone ?? 'info'
  const styles = {
    info: 'border-sky-300 bg-sky-50 text-sky-900',
    success: 'border-emerald-300 bg-emerald-50 text-emerald-900',
    warning: 'border-amber-300 bg-amber-50 text-amber-900',
    error: 'border-red-300 bg-red-50 text-red-900',
  }[tone]
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={`mb-4 rounded-md border p-3 text-sm ${styles}`}>
      {props.children}
    </div>
  )
}
