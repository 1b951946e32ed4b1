import { methodNotAllowed } from '~/api/errors.server'
import { ingestOpportunities } from '~/funnel/ingest.server'
import { ingestAction } from '~/funnel/ingest-route.server'

/** POST /api/v1/crm/opportunities — bulk upsert by (source, externalId); all or nothing. */
export const loader = () => methodNotAllowed(['POST'])
export const action = ingestAction('opportunities', ingestOpportunities)
