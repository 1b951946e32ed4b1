import { methodNotAllowed } from '~/api/errors.server'
import { ingestLeads } from '~/funnel/ingest.server'
import { ingestAction } from '~/funnel/ingest-route.server'

/** POST /api/v1/crm/leads — bulk upsert by (source, externalId); all or nothing. */
export const loader = () => methodNotAllowed(['POST'])
export const action = ingestAction('leads', ingestLeads)
