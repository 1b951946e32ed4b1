import type { ActionFunctionArgs } from '@remix-run/node'
import { apiError, handleApi, invalidBatch, methodNotAllowed, readJson } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import type { AppContext } from '~/context'
import { type IngestOutcome, MAX_BATCH_ITEMS } from './ingest.server'

/**
 * The action of both bulk-upsert endpoints (/api/v1/crm/opportunities and /leads): guard, read the
 * JSON body, ingest all or nothing, and answer in the API's error shape.
 */
export function ingestAction(noun: 'opportunities' | 'leads', ingest: (ctx: AppContext, body: unknown) => Promise<IngestOutcome>) {
  return ({ request, context }: ActionFunctionArgs) =>
    handleApi(async () => {
      if (request.method !== 'POST') return methodNotAllowed(['POST'])
      const ctx = context.app
      await requireApiKey(ctx, request, 'crm:import')
      const outcome = await ingest(ctx, await readJson(request))
      if (outcome.ok) return Response.json(outcome.result)
      switch (outcome.kind) {
        case 'invalid_batch':
          return invalidBatch(outcome.errors, noun)
        case 'invalid_body':
          return apiError(400, 'invalid_request', outcome.message)
        case 'too_large':
          return apiError(413, 'batch_too_large', `A batch holds at most ${MAX_BATCH_ITEMS.toLocaleString('en')} ${noun}; this one has ${outcome.count.toLocaleString('en')}. Split it into several requests.`, {
            max: MAX_BATCH_ITEMS,
            count: outcome.count,
          })
      }
    })
}
