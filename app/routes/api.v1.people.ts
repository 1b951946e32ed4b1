import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { handleApi, invalidBatch, invalidInput, methodNotAllowed, parseQuery, readJson, validateBatch } from '~/api/errors.server'
import { requireApiKey } from '~/auth/guards.server'
import { messagesFor } from '~/i18n'
import { upsertPeople } from '~/people/batch.server'
import { describeIssue } from '~/people/errors'
import { apiListPeople } from '~/people/people.server'
import { peopleListQuery, peopleUpsertEnvelope, personUpsertSchema } from '~/people/schemas'

export async function loader({ request, context }: LoaderFunctionArgs) {
  return handleApi(async () => {
    await requireApiKey(context.app, request, 'people:read')
    const query = parseQuery(request, peopleListQuery)
    return Response.json({ people: await apiListPeople(context.app.db, query) })
  })
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== 'POST') return methodNotAllowed(['GET', 'POST'])
  return handleApi(async () => {
    const ctx = context.app
    const caller = await requireApiKey(ctx, request, 'people:write')
    const t = messagesFor('en')
    const envelope = peopleUpsertEnvelope.safeParse(await readJson(request))
    if (!envelope.success) return invalidInput(envelope.error)
    const batch = validateBatch(envelope.data.people, personUpsertSchema(t))
    if (!batch.ok) return invalidBatch(batch.errors, 'people')
    const outcome = await upsertPeople(ctx.db, batch.values, { actor: { apiKeyId: caller.keyId }, mode: 'commit', action: 'people.upserted' })
    if (!outcome.ok) {
      if (!('issues' in outcome)) throw new Error('unexpected outcome')
      return invalidBatch(
        outcome.issues.map((i) => ({ index: i.index, field: i.field, message: describeIssue(t, i) })),
        'people',
      )
    }
    return Response.json({ created: outcome.created, updated: outcome.updated })
  })
}
