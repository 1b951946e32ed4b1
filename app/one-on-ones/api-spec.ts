import type { Endpoint } from '~/api/openapi'

export const oneOnOneEndpoints: Endpoint[] = []
