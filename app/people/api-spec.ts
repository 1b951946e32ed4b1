import type { Endpoint } from '~/api/openapi'

export const peopleEndpoints: Endpoint[] = []
