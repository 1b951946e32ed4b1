import { parseWithZod } from '@conform-to/zod/v4'
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data, redirect } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { requirePermission } from '~/auth/guards.server'
import { useLocale, useT } from '~/i18n/use-t'
import { newSurveySchema, templateSummaries } from '~/surveys/question-bank'
import { createSurveyFromTemplate } from '~/surveys/surveys.server'
import { Button, Card, PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'New survey · Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context.app, request, 'surveys:design')
  return { templates: templateSummaries() }
}

/** Creates a draft from the chosen template and opens it in the designer; nothing is sent until it is started. */
export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'surveys:design')
  const submission = parseWithZod(await request.formData(), { schema: newSurveySchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const { id } = await createSurveyFromTemplate(ctx.db, { template: submission.value.template, createdById: viewer.id, locale: viewer.locale ?? 'en' })
  throw redirect(`/surveys/${id}`)
}

export default function NewSurvey() {
  const t = useT()
  const locale = useLocale()
  const { templates } = useLoaderData<typeof loader>()
  return (
    <>
      <PageHeader title={t.surveys.new.title} />
      <h2 className="mb-3 text-lg font-semibold">{t.surveys.new.fromTemplate}</h2>
      <div className="grid gap-4 md:grid-cols-3">
        {templates.map((tpl) => (
          <Card key={tpl.key} title={tpl.title[locale]}>
            <p className="mb-2 text-sm text-slate-600">
              {t.surveys.kinds[tpl.kind]} · {t.surveys.cadences[tpl.cadence]} · {t.surveys.new.questions({ n: tpl.questions.length })}
            </p>
            <ol className="mb-4 list-decimal pl-5 text-sm text-slate-800">
              {tpl.questions.map((q, i) => (
                <li key={i}>{q[locale].replaceAll('{org}', '…')}</li>
              ))}
            </ol>
            <Form method="post">
              <input type="hidden" name="template" value={tpl.key} />
              <Button>{t.surveys.new.use}</Button>
            </Form>
          </Card>
        ))}
      </div>
      <Form method="post" className="mt-6">
        <input type="hidden" name="template" value="blank" />
        <Button variant="secondary">{t.surveys.new.blank}</Button>
      </Form>
    </>
  )
}
