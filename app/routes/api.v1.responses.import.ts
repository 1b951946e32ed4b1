import type { ActionFunctionArgs } from '@remix-run/node'
import { handleApi, invalidBatch, invalidInput, methodNotAllowed, readJson } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { historyImportSchema, importHistory } from '~/responses/history-import.server'

export async function action({ request, context }: ActionFunctionArgs) {
  return handleApi(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST'])
    const caller = await requireApiKey(context.app, request, 'surveys:design')
    const parsed = historyImportSchema.safeParse(await readJson(request))
    if (!parsed.success) return invalidInput(parsed.error)
    const result = await importHistory(context.app.db, parsed.data, { apiKeyId: caller.keyId })
    if (result.status === 'invalid') return invalidBatch(result.errors, 'responses')
    const { status: _status, ...body } = result
    return Response.json(body, { status: 201 })
  })
}

export async function loader() {
  return methodNotAllowed(['POST'])
}
