import type { LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/audit/audit.server'
import { forbidden, notFound, requireManagerOr, requireUuid } from '~/auth/guards.server'
import { resultsCsv } from '~/responses/results-export.server'
import { resultsFilterSchema, surveyResults } from '~/responses/results.server'
import { viewerScope } from '~/auth/scope.server'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireManagerOr(ctx, request, 'results:org')
  const scope = await viewerScope(ctx.db, viewer)
  if (scope.kind === 'none') forbidden()
  const surveyId = requireUuid(params.surveyId)
  const filter = resultsFilterSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!filter.success) throw new Response('Bad filter: round and team must be ids from the results page', { status: 400 })
  const outcome = await surveyResults(ctx.db, viewer, scope, { surveyId, ...filter.data })
  if (outcome.status === 'forbidden') forbidden()
  if (outcome.status === 'not_found') notFound()
  await recordAudit(ctx.db, { actorId: viewer.id, action: 'results.exported', target: outcome.results.survey.id, details: { roundId: outcome.results.round?.id ?? null, group: outcome.results.group } })
  const csv = resultsCsv(outcome.results, viewer.locale ?? 'en')
  const name = `results-${outcome.results.survey.id.slice(0, 8)}-${outcome.results.round?.opensOn ?? 'none'}.csv`
  return new Response(csv, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' },
  })
}
