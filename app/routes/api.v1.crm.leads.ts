import type { ActionFunctionArgs } from '@remix-run/node'
import { apiError, handleApi, invalidBatch, methodNotAllowed, readJson } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { type IngestOutcome, MAX_BATCH_ITEMS, ingestLeads } from '~/funnel/ingest.server'

/** POST /api/v1/crm/leads — bulk upsert by (source, externalId); all or nothing. */
export const loader = () => methodNotAllowed(['POST'])

export async function action({ request, context }: ActionFunctionArgs) {
  return handleApi(async () => {
    if (request.method !== 'POST') return methodNotAllowed(['POST'])
    const ctx = context.app
    await requireApiKey(ctx, request, 'crm:import')
    const outcome: IngestOutcome = await ingestLeads(ctx, await readJson(request))
    if (outcome.ok) return Response.json(outcome.result)
    switch (outcome.kind) {
      case 'invalid_batch':
        return invalidBatch(outcome.errors, 'leads')
      case 'invalid_body':
        return apiError(400, 'invalid_request', outcome.message)
      case 'too_large':
        return apiError(413, 'batch_too_large', `A batch holds at most ${MAX_BATCH_ITEMS.toLocaleString('en')} leads; this one has ${outcome.count.toLocaleString('en')}. Split it into several requests.`, {
          max: MAX_BATCH_ITEMS,
          count: outcome.count,
        })
    }
  })
}
