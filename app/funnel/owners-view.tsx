import type { SubmissionResult } from '@conform-to/react'
import { Form, Link } from '@remix-run/react'
import { formatNumber } from '~/i18n/format'
import { useLocale, useT } from '~/i18n/use-t'
import { DataTable } from '~/ui/data-table'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import type { loadOwnersPage } from './owners.server'

export type OwnersPageData = Awaited<ReturnType<typeof loadOwnersPage>>

/** What the owners page's action answers: the confirmation, or Conform's reply to a refused form. */
export type OwnersActionData = { ok: true; message: string } | { ok: false; result: SubmissionResult<string[]> } | undefined

/** The CRM owners page: owner keys nobody matches, each with a person to map it to, and the mappings made. */
export function OwnersView(props: { data: OwnersPageData; actionData: OwnersActionData }) {
  const t = useT()
  const locale = useLocale()
  const { unmapped, mappings, people } = props.data
  const { actionData } = props
  const m = t.funnel.owners
  const n = (value: number) => formatNumber(locale, value)
  // A refusal names the key it is about and the first reason the form was refused for.
  const refusal = actionData && !actionData.ok ? actionData.result : null
  const refusedKey = refusal?.initialValue?.ownerKey
  const reason = refusal ? (Object.values(refusal.error ?? {}).flat().find(Boolean) ?? t.common.errors.fixBelow) : null
  return (
    <>
      <PageHeader
        title={m.title}
        description={m.description}
        actions={
          <Link to="/imports" className="text-sm font-semibold text-brand-700 underline">
            {t.funnel.imports.title}
          </Link>
        }
      />
      {actionData?.ok ? <Notice tone="success">{actionData.message}</Notice> : null}
      {refusal ? (
        <Notice tone="error">
          {typeof refusedKey === 'string' && refusedKey ? `${refusedKey}: ` : ''}
          {reason}
        </Notice>
      ) : null}
      <div className="grid gap-6">
        <Card title={`${m.unmapped} (${n(unmapped.length)})`}>
          {unmapped.length === 0 ? (
            <p className="text-sm">{m.none}</p>
          ) : (
            <>
              <p className="mb-3 text-sm">{m.unmappedIntro}</p>
              <ul className="divide-y divide-slate-100">
                {unmapped.map((owner, i) => (
                  <li key={owner.ownerKey} className="py-3">
                    <Form method="post" className="flex flex-col gap-2 sm:flex-row sm:items-end">
                      <input type="hidden" name="intent" value="map" />
                      <input type="hidden" name="ownerKey" value={owner.ownerKey} />
                      <div className="sm:w-1/3">
                        <p className="font-medium">{owner.ownerKey}</p>
                        <p className="text-xs text-slate-600">
                          {m.columns.opportunities}: {n(owner.opportunities)} · {m.columns.leads}: {n(owner.leads)}
                        </p>
                      </div>
                      <div className="sm:flex-1">
                        <label htmlFor={`owner-${i}`} className="block text-sm font-medium text-slate-800">
                          {m.person({ key: owner.ownerKey })}
                        </label>
                        <select id={`owner-${i}`} name="personId" required defaultValue="" className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base sm:text-sm">
                          <option value="">{m.choose}</option>
                          {people.map((p) => (
                            <option key={p.id} value={p.id}>
                              {p.name} ({p.email})
                            </option>
                          ))}
                        </select>
                      </div>
                      <Button>{m.map}</Button>
                    </Form>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
        <Card title={m.mappings}>
          {mappings.length === 0 ? (
            <p className="text-sm">{m.noMappings}</p>
          ) : (
            <DataTable
              variant="list"
              columns={[m.columns.key, m.columns.person, { header: m.columns.opportunities, align: 'right', numeric: true }, { header: m.columns.leads, align: 'right', numeric: true }, m.columns.action]}
              rowKeys={mappings.map((row) => row.ownerKey)}
              rows={mappings.map((row) => [
                row.ownerKey,
                <>
                  {row.personName} <span className="text-xs text-slate-600">({row.personEmail})</span>
                </>,
                n(row.opportunities),
                n(row.leads),
                <Form method="post">
                  <input type="hidden" name="intent" value="unmap" />
                  <input type="hidden" name="ownerKey" value={row.ownerKey} />
                  <Button variant="secondary" aria-label={`${m.unmap} ${row.ownerKey}`}>
                    {m.unmap}
                  </Button>
                </Form>,
              ])}
            />
          )}
        </Card>
      </div>
    </>
  )
}
