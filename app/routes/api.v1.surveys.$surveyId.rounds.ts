import type { ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { apiError, handleApi, methodNotAllowed } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { openRoundNow } from '~/surveys/rounds.server'

export async function loader() {
  return methodNotAllowed(['POST'])
}

/** Opens a round now; its invitations are queued for the workers to send. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  return handleApi(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST'])
    const ctx = context.app
    await requireApiKey(ctx, request, 'surveys:design')
    const id = z.uuid().safeParse(params.surveyId)
    if (!id.success) return apiError(404, 'not_found', 'There is no survey with this id.')
    const opened = await openRoundNow(ctx, id.data)
    if (!opened.ok) {
      if (opened.reason === 'not-found') return apiError(404, 'not_found', 'There is no survey with this id.')
      return apiError(409, 'conflict', opened.reason === 'ended' ? 'This survey has ended; no more rounds can be opened.' : 'This survey has no questions yet; add at least one before opening a round.')
    }
    return Response.json({ roundId: opened.roundId }, { status: 201 })
  })
}
