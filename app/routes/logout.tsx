import { type ActionFunctionArgs, redirect } from '@remix-run/node'
import { endSession } from '~/auth/session.server'

export async function loader() {
  return redirect('/')
}

export async function action({ request, context }: ActionFunctionArgs) {
  const cookie = await endSession(context.app.db, context.app.env, request)
  return redirect('/login', { headers: { 'Set-Cookie': cookie } })
}
