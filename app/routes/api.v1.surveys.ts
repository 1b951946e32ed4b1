import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { apiError, handleApi, invalidInput, methodNotAllowed, readJson } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { messagesFor } from '~/i18n'
import { apiSurveyBody } from '~/surveys/api-spec'
import { getSurvey, listSurveys, saveSurveyDesign } from '~/surveys/surveys.server'

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    await requireApiKey(context.app, request, 'surveys:design')
    return Response.json({ surveys: await listSurveys(context.app.db) })
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handleApi(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'])
    const ctx = context.app
    await requireApiKey(ctx, request, 'surveys:design')
    const parsed = apiSurveyBody.safeParse(await readJson(request))
    if (!parsed.success) return invalidInput(parsed.error)
    const saved = await saveSurveyDesign(ctx.db, parsed.data, { createdById: null, messages: messagesFor('en').surveys.errors })
    if (!saved.ok) {
      const issues = 'problems' in saved ? saved.problems : [{ field: '(root)', message: saved.reason }]
      return apiError(400, 'invalid_request', `The request body is invalid: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { issues })
    }
    const survey = (await getSurvey(ctx.db, saved.id))!
    return Response.json({ survey: { id: survey.id, status: survey.status, nextDueAt: survey.nextDueAt?.toISOString() ?? null } }, { status: 201 })
  })
}
