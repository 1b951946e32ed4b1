import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { requireViewer } from '~/auth/guards.server'
import { useT } from '~/i18n/use-t'
import { PageHeader } from '~/ui/page'

export const meta: MetaFunction = () => [{ title: 'Pulseboard' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireViewer(context.app, request)
  return { name: viewer.name, role: viewer.role }
}

export default function Home() {
  const t = useT()
  const data = useLoaderData<typeof loader>()
  return <PageHeader title={t.admin.home.welcome({ name: data.name })} description={t.admin.home.intro} />
}
