import type { Endpoint } from '~/api/openapi'

export const surveyEndpoints: Endpoint[] = []
