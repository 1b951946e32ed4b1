import type { LoaderFunctionArgs } from '@remix-run/node'
import { allAuditEntries, auditFilterSchema } from '~/audit/audit-log.server'
import { recordAudit } from '~/audit/audit.server'
import { requirePermission } from '~/auth/guards.server'
import { toCsv } from '~/ui/csv'

/** The audit log for the screen's filters as CSV (safe against formula injection); the export itself is audited. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'audit:read')
  const parsed = auditFilterSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams))
  if (!parsed.success) {
    return new Response('Filters not understood: action is a dotted name such as person.erased; from and to are dates as YYYY-MM-DD, from on or before to.', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  const { page: _page, ...filter } = parsed.data
  const rows = await allAuditEntries(ctx.db, filter)
  await recordAudit(ctx.db, { actorId: viewer.id, action: 'audit.exported', details: { ...filter, rows: rows.length } })
  const csv = toCsv(
    ['at', 'action', 'actor', 'api_key', 'target', 'details'],
    rows.map((r) => [r.at, r.action, r.actorName, r.apiKeyName, r.target, Object.keys(r.details).length ? JSON.stringify(r.details) : '']),
  )
  return new Response(csv, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="pulseboard-audit-log.csv"', 'Cache-Control': 'no-store' },
  })
}
