import { Form } from '@remix-run/react'
import type { Locale } from '~/i18n/locale'
import type { Messages } from '~/i18n'

const tag = (locale: Locale) => (locale === 'it' ? 'it-IT' : 'en-GB')

/** Formatters for funnel figures; null (nothing to measure) shows as a dash, never as 0. */
export function funnelFormat(locale: Locale, none: string) {
  return {
    money: (v: number | null | undefined, currency: string) =>
      v == null ? none : new Intl.NumberFormat(tag(locale), { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v),
    moneyShort: (v: number | null | undefined, currency: string) =>
      v == null ? none : new Intl.NumberFormat(tag(locale), { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(v),
    percent: (v: number | null | undefined) => (v == null ? none : new Intl.NumberFormat(tag(locale), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v)),
    number: (v: number | null | undefined, digits = 0) =>
      v == null ? none : new Intl.NumberFormat(tag(locale), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v),
    multiple: (v: number | null | undefined) => (v == null ? none : `${new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 2 }).format(v)}×`),
  }
}

const selectClass = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm sm:text-sm'

/** The period picker and segment filters: a GET form, so every choice is a shareable URL and works without JavaScript. */
export function FilterForm(props: {
  t: Messages
  values: { period: string; from: string; to: string; team?: string | null; leadSource?: string | null; industry?: string | null; sort?: string; dir?: string }
  /** Without `teams`, no team filter (the top-of-funnel view is organisation-wide). */
  options?: { teams?: { id: string; name: string }[]; leadSources: string[]; industries: string[] }
}) {
  const { t, values, options } = props
  const f = t.funnel.filters
  return (
    <Form method="get" className="mb-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <fieldset>
        <legend className="mb-2 text-sm font-semibold">{f.legend}</legend>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7">
          <label className="text-sm">
            {f.period}
            <select name="period" defaultValue={values.period} className={selectClass}>
              {(['week', 'month', 'quarter'] as const).map((p) => (
                <option key={p} value={p}>
                  {t.funnel.periods[p]}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            {f.from}
            <input type="date" name="from" defaultValue={values.from} className={selectClass} />
          </label>
          <label className="text-sm">
            {f.to}
            <input type="date" name="to" defaultValue={values.to} className={selectClass} />
          </label>
          {options ? (
            <>
              {options.teams ? (
                <label className="text-sm">
                  {f.team}
                  <select name="team" defaultValue={values.team ?? ''} className={selectClass}>
                    <option value="">{f.allTeams}</option>
                    {options.teams.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              <label className="text-sm">
                {f.leadSource}
                <select name="leadSource" defaultValue={values.leadSource ?? ''} className={selectClass}>
                  <option value="">{f.all}</option>
                  {options.leadSources.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-sm">
                {f.industry}
                <select name="industry" defaultValue={values.industry ?? ''} className={selectClass}>
                  <option value="">{f.all}</option>
                  {options.industries.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : null}
          {values.sort ? <input type="hidden" name="sort" value={values.sort} /> : null}
          {values.dir ? <input type="hidden" name="dir" value={values.dir} /> : null}
          <div className="flex items-end">
            <button type="submit" className="inline-flex min-h-10 w-full items-center justify-center rounded-md bg-brand-700 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-800">
              {f.apply}
            </button>
          </div>
        </div>
      </fieldset>
    </Form>
  )
}
