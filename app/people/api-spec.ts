import { type Endpoint, defineEndpoint } from '~/api/openapi'
import { messagesFor } from '~/i18n'
import { peopleListQuery, peopleListResponse, peopleUpsertBodySchema, peopleUpsertResponse, teamsListResponse } from './schemas'

export const listPeopleEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/people',
  summary: 'List people (optionally filtered by name/email, team name, or active status)',
  permission: 'people:read',
  query: peopleListQuery,
  response: peopleListResponse,
  tags: ['people'],
})

export const upsertPeopleEndpoint = defineEndpoint({
  method: 'post',
  path: '/api/v1/people',
  summary:
    'Create or update people by email, all or nothing. Omitted fields keep their stored value; teams are created by name when missing; managerEmail may name someone in the same batch.',
  permission: 'people:write',
  // The API speaks English; the schema is the same one the CSV import uses.
  body: peopleUpsertBodySchema(messagesFor('en')),
  response: peopleUpsertResponse,
  tags: ['people'],
})

export const listTeamsEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/teams',
  summary: 'List teams with their parent team and manager',
  permission: 'teams:read',
  response: teamsListResponse,
  tags: ['people'],
})

export const peopleEndpoints: Endpoint[] = [listPeopleEndpoint, upsertPeopleEndpoint, listTeamsEndpoint]
