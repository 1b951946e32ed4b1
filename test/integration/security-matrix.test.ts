import { readdirSync } from 'node:fs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AppContext } from '~/context'
import { createApiKey } from '~/settings/api-keys.server'
import { setupTestContext } from '#test/support/context'
import { createPerson, createTeam, setTeamManager } from '#test/support/factories'
import { call, makeRequest, signedInCookie } from '#test/support/requests'

/**
 * The route × role matrix, built from the actual route files: every route must have a policy
 * here, so a new route without a guard (or without a decision about who may use it) fails.
 * Each persona tries every loader (GET) and action (POST with an empty form); a refusal must be
 * a 403 (or 404 for things that are private to their participants), a signed-out visitor must be
 * sent to sign in (401 on the API), and an allowed persona must not be refused.
 */
const personas = ['signedOut', 'employee', 'manager', 'marketing', 'leader', 'hr', 'admin'] as const
type Persona = (typeof personas)[number]
type Who = readonly Persona[] | 'public' | 'signedIn'

const signedIn: Who = 'signedIn'
const admin = ['admin'] as const
const hrAdmin = ['hr', 'admin'] as const
const peopleReaders = ['hr', 'admin'] as const
const teamReaders = ['leader', 'hr', 'admin'] as const
const resultReaders = ['manager', 'leader', 'hr', 'admin'] as const
const orgResults = ['leader', 'hr', 'admin'] as const
// Marketing (funnel:top) reads the funnel page's top of the funnel and the published benchmarks;
// per-rep pages, rep rows (the API's default grouping) and forecasts are for managers and sales roles.
const funnelReaders = ['manager', 'marketing', 'leader', 'hr', 'admin'] as const
const funnelPerRep = ['manager', 'leader', 'hr', 'admin'] as const
const funnelOrg = ['leader', 'hr', 'admin'] as const
const oneOnOneHealth = ['leader', 'hr'] as const

type Policy = { path: string; params?: Record<string, string>; loader?: Who; action?: Who; api?: boolean }
const id = '00000000-0000-4000-8000-000000000000'

export const policies: Record<string, Policy> = {
  '$.tsx': { path: '/nowhere', params: { '*': 'nowhere' }, loader: 'public' },
  '_index.tsx': { path: '/', loader: signedIn },
  'me.tsx': { path: '/me', loader: signedIn, action: signedIn },
  'me_.digest.tsx': { path: '/me/digest', loader: signedIn, action: signedIn },
  'login.tsx': { path: '/login', loader: 'public', action: 'public' },
  'help.privacy.tsx': { path: '/help/privacy', loader: 'public' },
  'auth.verify.tsx': { path: '/auth/verify', loader: 'public', action: 'public' },
  'logout.tsx': { path: '/logout', loader: 'public', action: 'public' },
  'language.tsx': { path: '/language', loader: 'public', action: 'public' },
  's.$token.tsx': { path: '/s/x', params: { token: 'x' }, loader: 'public', action: 'public' },
  // The private link of a response: no sign-in (an anonymous respondent is nobody); an unknown token is a 404.
  'r.$token.tsx': { path: '/r/x', params: { token: 'x' }, loader: 'public' },
  'people._index.tsx': { path: '/people', loader: peopleReaders },
  'people.new.tsx': { path: '/people/new', loader: admin, action: admin },
  'people.$personId.tsx': { path: `/people/${id}`, params: { personId: id }, loader: peopleReaders, action: admin },
  'people.import.tsx': { path: '/people/import', loader: admin, action: admin },
  'teams._index.tsx': { path: '/teams', loader: teamReaders },
  'teams.new.tsx': { path: '/teams/new', loader: admin, action: admin },
  'teams.$teamId.tsx': { path: `/teams/${id}`, params: { teamId: id }, loader: teamReaders, action: admin },
  'org-chart.tsx': { path: '/org-chart', loader: teamReaders },
  'settings._index.tsx': { path: '/settings', loader: admin, action: admin },
  'settings.api-keys.tsx': { path: '/settings/api-keys', loader: admin, action: admin },
  'outbox._index.tsx': { path: '/outbox', loader: admin },
  'outbox.$messageId.tsx': { path: `/outbox/${id}`, params: { messageId: id }, loader: admin },
  'surveys._index.tsx': { path: '/surveys', loader: hrAdmin },
  'surveys.new.tsx': { path: '/surveys/new', loader: hrAdmin, action: hrAdmin },
  'surveys.$surveyId.tsx': { path: `/surveys/${id}`, params: { surveyId: id }, loader: hrAdmin, action: hrAdmin },
  'results._index.tsx': { path: '/results', loader: resultReaders },
  // Replying to a comment: hr org-wide, a manager for their own teams; leaders and admins read replies only.
  'results.$surveyId.tsx': { path: `/results/${id}`, params: { surveyId: id }, loader: resultReaders, action: ['manager', 'hr'] },
  'results.$surveyId_.export[.]csv.ts': { path: `/results/${id}/export.csv`, params: { surveyId: id }, loader: resultReaders },
  'funnel._index.tsx': { path: '/funnel', loader: funnelReaders },
  'funnel.reps.$personId.tsx': { path: `/funnel/reps/${id}`, params: { personId: id }, loader: funnelPerRep },
  'funnel.targets.tsx': { path: '/funnel/targets', loader: admin, action: admin },
  'funnel.benchmarks.tsx': { path: '/funnel/benchmarks', loader: funnelReaders, action: admin },
  'imports._index.tsx': { path: '/imports', loader: admin, action: admin },
  'imports.$runId.tsx': { path: `/imports/${id}`, params: { runId: id }, loader: admin, action: admin },
  'imports.$runId_.rejected[.]csv.tsx': { path: `/imports/${id}/rejected.csv`, params: { runId: id }, loader: admin },
  'owners.tsx': { path: '/owners', loader: admin, action: admin },
  // Leaders and HR often manage people too; the page shows only the viewer's own direct reports.
  'one-on-ones._index.tsx': { path: '/one-on-ones', loader: ['manager', 'leader', 'hr'], action: ['manager', 'leader', 'hr'] },
  'one-on-ones.$meetingId.tsx': { path: `/one-on-ones/${id}`, params: { meetingId: id }, loader: [], action: [] },
  'dashboard.print.tsx': { path: '/dashboard/print', loader: resultReaders },
  'dashboard.export[.]csv.ts': { path: '/dashboard/export.csv', loader: resultReaders },
  'surveys.import.tsx': { path: '/surveys/import', loader: hrAdmin, action: hrAdmin },
  'one-on-ones.health.tsx': { path: '/one-on-ones/health', loader: oneOnOneHealth },
  'api.v1.openapi[.]json.ts': { path: '/api/v1/openapi.json', loader: 'public', api: true },
  'api.v1.$.ts': { path: '/api/v1/nowhere', loader: 'public', action: 'public', api: true },
  'api.v1.people.ts': { path: '/api/v1/people', loader: peopleReaders, action: admin, api: true },
  'api.v1.teams.ts': { path: '/api/v1/teams', loader: teamReaders, api: true },
  'api.v1.surveys.ts': { path: '/api/v1/surveys', loader: hrAdmin, action: hrAdmin, api: true },
  'api.v1.surveys.$surveyId.rounds.ts': { path: `/api/v1/surveys/${id}/rounds`, params: { surveyId: id }, action: hrAdmin, api: true },
  'api.v1.responses.import.ts': { path: '/api/v1/responses/import', action: hrAdmin, api: true },
  'api.v1.metrics.enps.ts': { path: '/api/v1/metrics/enps', loader: orgResults, api: true },
  'api.v1.metrics.drivers.ts': { path: '/api/v1/metrics/drivers', loader: orgResults, api: true },
  // Rep rows, the default grouping: refused to marketing keys (their groupBy=org lead rows: funnel-top.test.ts).
  'api.v1.metrics.funnel.ts': { path: '/api/v1/metrics/funnel', loader: funnelOrg, api: true },
  'api.v1.metrics.forecast.ts': { path: '/api/v1/metrics/forecast', loader: funnelOrg, api: true },
  'api.v1.metrics.campaigns.ts': { path: '/api/v1/metrics/campaigns', loader: ['marketing', 'admin'], api: true },
  'api.v1.crm.opportunities.ts': { path: '/api/v1/crm/opportunities', action: admin, api: true },
  'api.v1.crm.leads.ts': { path: '/api/v1/crm/leads', action: admin, api: true },
  'api.v1.one-on-ones.ts': { path: '/api/v1/one-on-ones', loader: orgResults, api: true },
  'api.v1.insights.correlation.ts': { path: '/api/v1/insights/correlation', loader: orgResults, api: true },
  'people.$personId_.erase.tsx': { path: `/people/${id}/erase`, params: { personId: id }, loader: admin, action: admin },
  'me_.export[.]json.ts': { path: '/me/export.json', loader: signedIn },
  'audit.tsx': { path: '/audit', loader: admin },
  'audit_.export[.]csv.ts': { path: '/audit/export.csv', loader: admin },
  // Signals: hr, leaders and admins see all; a manager those of their own teams (and may dismiss them).
  'signals._index.tsx': { path: '/signals', loader: resultReaders, action: resultReaders },
  'api.v1.signals.ts': { path: '/api/v1/signals', loader: orgResults, api: true },
  // Actions: managers for their own teams; leaders read; hr and admins read and write org-wide.
  'actions._index.tsx': { path: '/actions', loader: resultReaders },
  'actions.new.tsx': { path: '/actions/new', loader: ['manager', 'hr', 'admin'], action: ['manager', 'hr', 'admin'] },
  'actions.$actionId.tsx': { path: `/actions/${id}`, params: { actionId: id }, loader: resultReaders, action: ['manager', 'hr', 'admin'] },
  'api.v1.actions.ts': { path: '/api/v1/actions', loader: orgResults, api: true },
}

function routeFiles(): string[] {
  return readdirSync('app/routes', { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? [`${entry.name}/route.tsx`] : [entry.name]))
}

let ctx: AppContext
const personIds = {} as Record<Persona, string | undefined>
let cookies = {} as Record<Persona, string | undefined>
const keys = {} as Record<Persona, string | undefined>

beforeAll(async () => {
  ctx = await setupTestContext()
  const team = await createTeam(ctx.db, { name: 'Matrix team' })
  for (const persona of personas) {
    if (persona === 'signedOut') continue
    const role = persona === 'manager' ? 'employee' : persona
    const person = await createPerson(ctx.db, { role, email: `${persona}@matrix.test`, teamId: team.id })
    personIds[persona] = person.id
    if (persona === 'manager') {
      await setTeamManager(ctx.db, team.id, person.id)
      await createPerson(ctx.db, { role: 'employee', managerId: person.id, teamId: team.id })
    }
    if (persona !== 'manager') keys[persona] = (await createApiKey(ctx.db, { name: persona, role })).key
  }
})

// Fresh sessions for every test: the sign-out route, tried by everyone, ends the ones it is given.
beforeEach(async () => {
  cookies = {} as typeof cookies
  for (const persona of personas) if (personIds[persona]) cookies[persona] = await signedInCookie(ctx, personIds[persona]!)
})

const allowed = (who: Who, persona: Persona) => who === 'public' || (who === 'signedIn' ? persona !== 'signedOut' : who.includes(persona))

function verdict(result: unknown): { status: number; location: string | null } {
  if (result instanceof Response) return { status: result.status, location: result.headers.get('Location') }
  return { status: 200, location: null }
}

describe('route × role matrix', () => {
  it('has a policy for every route file, and no policy for a route that does not exist', () => {
    const files = routeFiles()
    expect(files.filter((f) => !(f in policies))).toEqual([])
    expect(Object.keys(policies).filter((f) => !files.includes(f))).toEqual([])
  })

  for (const [file, policy] of Object.entries(policies)) {
    for (const kind of ['loader', 'action'] as const) {
      const who = policy[kind]
      if (!who) continue
      it(`${kind} of ${file}`, async () => {
        const mod = (await import(`~/routes/${file.replace(/\.tsx?$/, '')}`)) as Record<string, unknown>
        const fn = mod[kind] as Parameters<typeof call>[0] | undefined
        expect(fn, `${file} has no ${kind}`).toBeTypeOf('function')
        const outcomes: string[] = []
        for (const persona of personas) {
          if (policy.api && persona === 'manager') continue
          const headers: Record<string, string> = {}
          if (policy.api && keys[persona]) headers.Authorization = `Bearer ${keys[persona]}`
          const request = makeRequest(policy.path, {
            method: kind === 'loader' ? 'GET' : 'POST',
            cookie: policy.api ? undefined : cookies[persona],
            headers: kind === 'action' && policy.api ? { ...headers, 'Content-Type': 'application/json' } : headers,
            body: kind === 'action' ? (policy.api ? '{}' : new URLSearchParams()) : undefined,
          })
          const { status, location } = verdict(await call(fn!, ctx, request, policy.params ?? {}))
          // Things private to their participants (a 1:1) answer 404 to everyone else, as if absent;
          // an empty form may be refused as invalid (400) before the lookup, which reveals nothing either.
          const participantsOnly = Array.isArray(who) && who.length === 0
          const refused = status === 403 || status === 401 || (status === 302 && location?.startsWith('/login?redirectTo=')) || (participantsOnly && (status === 404 || status === 400))
          const ok = allowed(who, persona)
            ? !refused
            : persona === 'signedOut'
              ? policy.api
                ? status === 401
                : status === 302 && location!.startsWith('/login?redirectTo=')
              : status === 403 || (participantsOnly && (status === 404 || status === 400))
          if (!ok) outcomes.push(`${persona}: ${status}${location ? ` → ${location}` : ''} (expected ${allowed(who, persona) ? 'allow' : 'deny'})`)
        }
        expect(outcomes.join("\n")).toBe("")
      })
    }
  }
})
