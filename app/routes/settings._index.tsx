import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { requirePermission } from '~/auth/guards.server'
import { messagesFor } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { settingsSchema } from '~/settings/settings-schema'
import { getSettings, saveSettings } from '~/settings/settings.server'
import { FormErrors, SelectField, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'Settings · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'settings:write')
  const settings = await getSettings(context.app.db)
  // The form's fields are strings, like the thresholds'.
  const signalThresholds = { signalEnpsDrop: String(settings.signalEnpsDrop), signalKpiDropPct: String(settings.signalKpiDropPct), signalResponseRateDrop: String(settings.signalResponseRateDrop) }
  return { settings: { ...settings, ...signalThresholds, updatedAt: settings.updatedAt.toISOString() } }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requirePermission(context.app, request, 'settings:write')
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: settingsSchema(t) })
  if (submission.status !== 'success') return data({ result: submission.reply(), saved: false }, { status: 400 })
  await saveSettings(context.app.db, viewer.id, submission.value)
  return { result: submission.reply(), saved: true }
}

export default function SettingsPage() {
  const t = useT()
  const { settings } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useZodForm(settingsSchema(t), {
    id: 'settings',
    lastResult: actionData?.result,
    defaultValue: { ...settings, thresholdScores: String(settings.thresholdScores), thresholdComments: String(settings.thresholdComments), retentionMonths: settings.retentionMonths === null ? '' : String(settings.retentionMonths) },
    shouldValidate: 'onBlur',
  })
  const s = t.admin.settings
  return (
    <>
      <PageHeader title={s.title} description={s.description} />
      {actionData?.saved ? <Notice tone="success">{t.common.saved}</Notice> : null}
      <Card className="max-w-2xl">
        <Form method="post" {...getFormProps(form)}>
          <FormErrors id={form.errorId} errors={form.errors} />
          <TextField field={fields.orgName} label={s.orgName} />
          <SelectField field={fields.defaultLocale} label={s.defaultLocale} options={[{ value: 'en', label: 'English' }, { value: 'it', label: 'Italiano' }]} />
          <TextField field={fields.timezone} label={s.timezone} hint={s.timezoneHint} />
          <TextField field={fields.currency} label={s.currency} hint={s.currencyHint} />
          <SelectField field={fields.enpsScale} label={s.enpsScale} options={[{ value: '1-10', label: '1–10' }, { value: '0-10', label: '0–10' }]} />
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField field={fields.thresholdScores} label={s.thresholdScores} type="number" hint={s.thresholdHint} />
            <TextField field={fields.thresholdComments} label={s.thresholdComments} type="number" />
          </div>
          <SelectField
            field={fields.winRateConvention}
            label={s.winRateConvention}
            options={[
              { value: 'closed', label: s.winRateClosed },
              { value: 'created', label: s.winRateCreated },
            ]}
          />
          <fieldset className="mb-4 rounded-md border border-slate-200 p-4">
            <legend className="px-1 text-sm font-semibold">{t.signals.settings.legend}</legend>
            <TextField field={fields.signalEnpsDrop} label={t.signals.settings.enpsDrop} type="number" hint={t.signals.settings.enpsDropHint} />
            <TextField field={fields.signalKpiDropPct} label={t.signals.settings.kpiDropPct} type="number" hint={t.signals.settings.kpiDropPctHint} />
            <TextField field={fields.signalResponseRateDrop} label={t.signals.settings.responseRateDrop} type="number" hint={t.signals.settings.responseRateDropHint} />
          </fieldset>
          <fieldset className="mb-4 rounded-md border border-amber-300 p-4">
            <legend className="px-1 text-sm font-semibold">{t.dataProtection.retention.legend}</legend>
            <Notice tone="warning">{t.dataProtection.retention.warning}</Notice>
            <TextField field={fields.retentionMonths} label={t.dataProtection.retention.months} type="number" hint={t.dataProtection.retention.hint} />
          </fieldset>
          <Button>{t.common.actions.save}</Button>
        </Form>
      </Card>
    </>
  )
}
