/**
 * The canonical fields a CRM column can be mapped to, per kind of file, and which of them an
 * import cannot do without. Several fields exist only as inputs (won/closed flags, won/lost
 * times, lead names for a derived id): they feed a normalised field and are not output as such.
 */

export const CRM_KINDS = ['opportunities', 'leads'] as const
export type CrmKind = (typeof CRM_KINDS)[number]

export const CRM_SOURCES = ['salesforce', 'hubspot', 'pipedrive', 'generic'] as const
export type CrmSource = (typeof CRM_SOURCES)[number]

export const OPPORTUNITY_FIELDS = [
  'externalId',
  'ownerKey',
  'name',
  'account',
  'amount',
  'currency',
  'stage',
  'status',
  'won',
  'closed',
  'createdAt',
  'closedAt',
  'wonAt',
  'lostAt',
  'expectedCloseAt',
  'leadSource',
  'industry',
  'campaign',
  'probability',
  'pipeline',
] as const
export type OpportunityField = (typeof OPPORTUNITY_FIELDS)[number]

export const LEAD_FIELDS = [
  'externalId',
  'ownerKey',
  'firstName',
  'lastName',
  'company',
  'email',
  'createdAt',
  'converted',
  'convertedAt',
  'status',
  'leadSource',
  'industry',
  'campaign',
] as const
export type LeadField = (typeof LEAD_FIELDS)[number]

export type CrmField = OpportunityField | LeadField

/** Canonical field → 0-based column index in the file. */
export type ColumnMapping = Partial<Record<CrmField, number>>

export function fieldsOf(kind: CrmKind): readonly CrmField[] {
  return kind === 'opportunities' ? OPPORTUNITY_FIELDS : LEAD_FIELDS
}

/**
 * A required field is satisfied by any one of its columns: a deal's outcome can come from a
 * status column, Salesforce's Won flag or the stage label; its close date from a close date or
 * Pipedrive's separate won/lost times.
 */
export interface RequiredField {
  field: CrmField
  satisfiedBy: readonly CrmField[]
}

export function requiredFields(kind: CrmKind, source: CrmSource): RequiredField[] {
  // Salesforce reports often leave the record id out; a stable id is then derived (external-id.ts).
  const id: RequiredField[] = source === 'salesforce' ? [] : [{ field: 'externalId', satisfiedBy: ['externalId'] }]
  if (kind === 'opportunities') {
    return [
      ...id,
      { field: 'ownerKey', satisfiedBy: ['ownerKey'] },
      { field: 'amount', satisfiedBy: ['amount'] },
      { field: 'stage', satisfiedBy: ['stage', 'status', 'won'] },
      { field: 'createdAt', satisfiedBy: ['createdAt'] },
      { field: 'closedAt', satisfiedBy: ['closedAt', 'wonAt', 'lostAt'] },
    ]
  }
  return [
    ...id,
    { field: 'ownerKey', satisfiedBy: ['ownerKey'] },
    { field: 'createdAt', satisfiedBy: ['createdAt'] },
    { field: 'convertedAt', satisfiedBy: ['convertedAt', 'converted'] },
  ]
}
