import type { Endpoint } from '~/api/openapi'

export const funnelEndpoints: Endpoint[] = []
