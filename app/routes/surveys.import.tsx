import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { Form, useActionData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import type { PrivacyMode } from '#db/schema/surveys'
import { requirePermission } from '~/auth/guards.server'
import { type Messages, messagesFor } from '~/i18n'
import { useT } from '~/i18n/use-t'
import { importHistoryCsv, previewHistoryCsv } from '~/responses/history-import-csv.server'
import { FormErrors, SelectField, TextField } from '~/ui/fields'
import { Button, Card, Notice, PageHeader } from '~/ui/page'
import { useZodForm } from '~/ui/use-zod-form'

export const meta: MetaFunction = () => [{ title: 'Import survey history · Pulseboard' }]

const MAX_BYTES = 5 * 1024 * 1024
// Listed here rather than imported from the schema module, which would pull drizzle into the browser bundle.
const privacyModes = ['anonymous', 'confidential', 'identified'] as const satisfies readonly PrivacyMode[]

const importSchema = (t: Messages) =>
  z.object({
    intent: z.enum(['check', 'commit']),
    title: z.string({ error: t.results.import.titleRequired }).trim().min(1, { error: t.results.import.titleRequired }).max(200),
    privacy: z.enum(privacyModes).default('confidential'),
    file: z.instanceof(File).optional(),
    csv: z.string().optional(),
  })

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'surveys:design')
  return {}
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'surveys:design')
  const t = messagesFor(viewer.locale ?? 'en')
  const submission = parseWithZod(await request.formData(), { schema: importSchema(t) })
  if (submission.status !== 'success') return { result: submission.reply(), preview: null, problems: [], csv: null }
  const { intent, title, privacy, file } = submission.value
  const csv = intent === 'check' ? (file && file.size > 0 ? (file.size > MAX_BYTES ? null : await file.text()) : '') : (submission.value.csv ?? '')
  if (csv === null) return { result: submission.reply({ formErrors: [t.results.import.tooLarge] }), preview: null, problems: [], csv: null }
  if (!csv) return { result: submission.reply({ fieldErrors: { file: [t.results.import.missingFile] } }), preview: null, problems: [], csv: null }
  if (intent === 'check') {
    const checked = await previewHistoryCsv(ctx.db, csv)
    return { result: submission.reply(), preview: checked.ok ? checked.preview : null, problems: checked.ok ? [] : checked.problems, csv: checked.ok ? csv : null }
  }
  const imported = await importHistoryCsv(ctx.db, csv, { title, privacy }, { actorId: viewer.id })
  if (imported.status === 'invalid') return { result: submission.reply(), preview: null, problems: imported.problems, csv: null }
  throw redirect(`/results/${imported.surveyId}`)
}

export default function SurveyHistoryImport() {
  const t = useT()
  const data = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useZodForm(importSchema(t), {
    id: 'history-import',
    lastResult: data?.result,
    shouldValidate: 'onBlur',
    defaultValue: { privacy: 'confidential' },
  })
  const privacyOptions = privacyModes.map((p) => ({ value: p, label: t.results.privacy[p] }))
  return (
    <>
      <PageHeader title={t.results.import.title} description={t.results.import.description} />
      <div className="grid gap-6">
        <Card>
          <Form method="post" encType="multipart/form-data" {...getFormProps(form)}>
            <FormErrors id={form.errorId} errors={form.errors} />
            <TextField field={fields.title} label={t.results.import.surveyTitle} />
            <SelectField field={fields.privacy} label={t.results.import.privacy} options={privacyOptions} />
            <TextField field={fields.file} label={t.results.import.file} type="file" />
            {data?.csv && data.preview ? <input type="hidden" name="csv" value={data.csv} /> : null}
            <div className="flex flex-wrap gap-2">
              <Button name="intent" value="check" variant={data?.preview ? 'secondary' : 'primary'} disabled={navigation.state !== 'idle'}>
                {t.results.import.check}
              </Button>
              {data?.preview ? (
                <Button name="intent" value="commit" disabled={navigation.state !== 'idle'}>
                  {t.results.import.commit}
                </Button>
              ) : null}
            </div>
          </Form>
        </Card>
        {data?.preview ? (
          <Card title={t.results.import.preview}>
            <Notice tone="success">{t.results.import.previewSummary(data.preview)}</Notice>
            <p className="text-sm">
              {t.results.import.questionsFound}: {data.preview.questions.join(', ')}
            </p>
          </Card>
        ) : null}
        {data?.problems.length ? (
          <Card>
            <Notice tone="error">{t.results.import.errorsTitle}</Notice>
            <table className="w-full text-sm">
              <thead>
                <tr className="text-left">
                  <th scope="col" className="p-2">{t.results.import.line}</th>
                  <th scope="col" className="p-2">{t.results.import.column}</th>
                  <th scope="col" className="p-2">{t.results.import.problem}</th>
                </tr>
              </thead>
              <tbody>
                {data.problems.map((p, i) => (
                  <tr key={i} className="border-t border-slate-100">
                    <td className="p-2">{p.line}</td>
                    <td className="p-2">{p.column}</td>
                    <td className="p-2">{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        ) : null}
      </div>
    </>
  )
}
