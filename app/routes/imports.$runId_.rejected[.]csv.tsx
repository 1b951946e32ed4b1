import type { LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { notFound, requirePermission } from '~/auth/guards.server'
import { localisedReason } from '~/funnel/csv/reasons'
import { allRejections, getImportRun } from '~/funnel/import.server'
import { messagesFor } from '~/i18n'
import { csvCell } from '~/ui/csv'

const paramsSchema = z.object({ runId: z.uuid() })

/**
 * Every rejected row of an import as CSV — line, column, value and the reason in the viewer's
 * language — streamed a page at a time, so a file with a million rejections is never in memory.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requirePermission(ctx, request, 'crm:import')
  const parsed = paramsSchema.safeParse(params)
  const run = parsed.success ? await getImportRun(ctx.db, parsed.data.runId) : null
  if (!run) notFound()
  const m = messagesFor(viewer.locale ?? 'en').funnel.imports
  const encoder = new TextEncoder()
  const line = (cells: (string | number | null)[]) => encoder.encode(`${cells.map(csvCell).join(',')}\r\n`)
  const pages = allRejections(ctx.db, run.id)
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('\uFEFF'))
      controller.enqueue(line([m.rejections.line, m.rejections.column, m.rejections.value, m.rejections.reason]))
    },
    async pull(controller) {
      const next = await pages.next()
      if (next.done) return controller.close()
      for (const row of next.value) {
        const p = row.params ?? {}
        controller.enqueue(line([row.line, typeof p.column === 'string' ? p.column : null, typeof p.value === 'string' ? p.value : null, localisedReason(m.reasons, row)]))
      }
    },
    async cancel() {
      await pages.return(undefined)
    },
  })
  const name = `${(run.filename ?? 'import').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_')}-${m.rejections.fileSuffix}.csv`
  return new Response(body, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' },
  })
}
