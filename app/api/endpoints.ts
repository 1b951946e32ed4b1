import { funnelEndpoints } from '~/funnel/api-spec'
import { actionEndpoints } from '~/insights/actions-api-spec'
import { insightsEndpoints } from '~/insights/api-spec'
import { signalEndpoints } from '~/insights/signals-api-spec'
import { oneOnOneEndpoints } from '~/one-on-ones/api-spec'
import { peopleEndpoints } from '~/people/api-spec'
import { responseEndpoints } from '~/responses/api-spec'
import { surveyEndpoints } from '~/surveys/api-spec'
import type { Endpoint } from './openapi'

/** Every /api/v1 endpoint; each feature lists its own in app/<feature>/api-spec.ts. */
export const endpoints: Endpoint[] = [...peopleEndpoints, ...surveyEndpoints, ...funnelEndpoints, ...oneOnOneEndpoints, ...responseEndpoints, ...insightsEndpoints, ...actionEndpoints, ...signalEndpoints]
