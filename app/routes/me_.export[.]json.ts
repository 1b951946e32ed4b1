import type { LoaderFunctionArgs } from '@remix-run/node'
import { notFound, requireViewer } from '~/auth/guards.server'
import { exportOwnDataAudited } from '~/privacy/export.server'

/** The signed-in person's own data as a JSON download; every export is audited. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = context.app
  const viewer = await requireViewer(ctx, request)
  const data = await exportOwnDataAudited(ctx, viewer.id)
  if (!data) notFound()
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="pulseboard-my-data-${data.exportedAt.slice(0, 10)}.json"`,
      'Cache-Control': 'no-store',
    },
  })
}
