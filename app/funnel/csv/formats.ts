import type { CrmField, CrmKind, CrmSource } from './fields'

/**
 * The export formats we recognise, as header aliases in English and Italian (the two UI
 * languages). Aliases are compared through headerKey(), so they are written as the CRM shows
 * them. For each field the first alias present in the file wins, so order says preference
 * (HubSpot contacts: "Lead Status" before "Lifecycle Stage").
 */
export interface CrmFormat {
  source: CrmSource
  kind: CrmKind
  /** Every group must have one header present for the file to be this format at all. */
  signature: readonly (readonly string[])[]
  aliases: Partial<Record<CrmField, readonly string[]>>
}

const salesforceOpportunities: CrmFormat = {
  source: 'salesforce',
  kind: 'opportunities',
  signature: [['Opportunity Owner', 'Opportunity Name', 'Opportunity ID', 'Titolare opportunità', 'Proprietario opportunità', 'Nome opportunità', 'ID opportunità']],
  aliases: {
    externalId: ['Opportunity ID', 'ID opportunità'],
    ownerKey: ['Opportunity Owner', 'Titolare opportunità', 'Proprietario opportunità', 'Owner Name'],
    name: ['Opportunity Name', 'Nome opportunità'],
    account: ['Account Name', 'Nome account'],
    amount: ['Amount', 'Importo'],
    currency: ['Opportunity Currency', 'Currency', 'Valuta opportunità', 'Valuta'],
    stage: ['Stage', 'Fase'],
    won: ['Won', 'Vinta', 'Vinto'],
    closed: ['Closed', 'Chiusa', 'Chiuso'],
    createdAt: ['Created Date', 'Data di creazione', 'Data creazione'],
    closedAt: ['Close Date', 'Data di chiusura', 'Data chiusura'],
    leadSource: ['Lead Source', 'Origine lead'],
    industry: ['Industry', 'Settore'],
    campaign: ['Primary Campaign Source', 'Campaign', 'Origine campagna principale', 'Campagna'],
    probability: ['Probability (%)', 'Probabilità (%)'],
    pipeline: ['Opportunity Record Type', 'Tipo di record opportunità'],
  },
}

const salesforceLeads: CrmFormat = {
  source: 'salesforce',
  kind: 'leads',
  signature: [['Lead Owner', 'Lead ID', 'Titolare lead', 'Proprietario lead', 'ID lead']],
  aliases: {
    externalId: ['Lead ID', 'ID lead'],
    ownerKey: ['Lead Owner', 'Titolare lead', 'Proprietario lead'],
    firstName: ['First Name', 'Nome'],
    lastName: ['Last Name', 'Cognome'],
    company: ['Company', 'Company / Account', 'Società', 'Azienda'],
    email: ['Email'],
    status: ['Lead Status', 'Stato lead'],
    createdAt: ['Created Date', 'Data di creazione', 'Data creazione'],
    converted: ['Converted', 'Convertito'],
    convertedAt: ['Converted Date', 'Data di conversione', 'Data conversione'],
    leadSource: ['Lead Source', 'Origine lead'],
    industry: ['Industry', 'Settore'],
    campaign: ['Campaign', 'Campagna'],
  },
}

const hubspotDeals: CrmFormat = {
  source: 'hubspot',
  kind: 'opportunities',
  signature: [['Deal owner', "Proprietario dell'affare"], ['Deal Stage', "Fase dell'affare"]],
  aliases: {
    externalId: ['Record ID', 'Deal ID', 'ID record'],
    ownerKey: ['Deal owner', "Proprietario dell'affare"],
    name: ['Deal Name', "Nome dell'affare"],
    account: ['Associated Company', 'Company name', 'Azienda associata'],
    amount: ['Amount', 'Importo'],
    currency: ['Currency', 'Valuta'],
    stage: ['Deal Stage', "Fase dell'affare"],
    createdAt: ['Create Date', 'Data di creazione'],
    closedAt: ['Close Date', 'Data di chiusura'],
    leadSource: ['Original Source', 'Original Traffic Source', 'Fonte originale'],
    industry: ['Industry', 'Settore'],
    campaign: ['Campaign', 'Campagna'],
    probability: ['Deal probability', "Probabilità dell'affare"],
    pipeline: ['Pipeline'],
  },
}

/** HubSpot has no separate lead object: contacts are the leads, and becoming an opportunity is the conversion. */
const hubspotContacts: CrmFormat = {
  source: 'hubspot',
  kind: 'leads',
  signature: [['Contact owner', 'Proprietario del contatto']],
  aliases: {
    externalId: ['Record ID', 'Contact ID', 'ID record'],
    ownerKey: ['Contact owner', 'Proprietario del contatto'],
    firstName: ['First Name', 'Nome'],
    lastName: ['Last Name', 'Cognome'],
    email: ['Email'],
    company: ['Company Name', 'Nome azienda'],
    status: ['Lead Status', 'Stato del lead', 'Lifecycle Stage', 'Fase del ciclo di vita'],
    createdAt: ['Create Date', 'Data di creazione'],
    convertedAt: [
      'Became an Opportunity Date',
      'Data in cui è diventato opportunità',
      'Became a Customer Date',
      'Data in cui è diventato cliente',
    ],
    leadSource: ['Original Source', 'Original Traffic Source', 'Fonte originale'],
    industry: ['Industry', 'Settore'],
    campaign: ['Campaign', 'Campagna'],
  },
}

const pipedriveDeals: CrmFormat = {
  source: 'pipedrive',
  kind: 'opportunities',
  signature: [['Deal - Title', 'Deal - Value', 'Affare - Titolo', 'Affare - Valore']],
  aliases: {
    externalId: ['Deal - ID', 'Affare - ID'],
    ownerKey: ['Deal - Owner', 'Affare - Proprietario'],
    name: ['Deal - Title', 'Affare - Titolo'],
    account: ['Deal - Organization', 'Affare - Organizzazione'],
    amount: ['Deal - Value', 'Affare - Valore'],
    currency: ['Deal - Currency', 'Affare - Valuta'],
    pipeline: ['Deal - Pipeline', 'Affare - Pipeline'],
    stage: ['Deal - Stage', 'Affare - Fase'],
    status: ['Deal - Status', 'Affare - Stato'],
    createdAt: ['Deal - Deal created', 'Deal - Add time', 'Affare - Affare creato', 'Affare - Data di creazione'],
    closedAt: ['Deal - Deal closed on', 'Deal - Close time', 'Affare - Affare chiuso il'],
    wonAt: ['Deal - Won time', 'Affare - Data di vincita'],
    lostAt: ['Deal - Lost time', 'Affare - Data di perdita'],
    expectedCloseAt: ['Deal - Expected close date', 'Affare - Data di chiusura prevista'],
    leadSource: ['Deal - Source', 'Deal - Lead source', 'Affare - Origine'],
    probability: ['Deal - Probability', 'Affare - Probabilità'],
    campaign: ['Deal - Campaign', 'Affare - Campagna'],
    industry: ['Deal - Industry', 'Affare - Settore'],
  },
}

/** Our own template, specified in GENERIC-TEMPLATE.md. */
const genericOpportunities: CrmFormat = {
  source: 'generic',
  kind: 'opportunities',
  signature: [['external_id'], ['amount']],
  aliases: {
    externalId: ['external_id'],
    ownerKey: ['owner'],
    name: ['name'],
    account: ['account'],
    amount: ['amount'],
    currency: ['currency'],
    stage: ['stage'],
    status: ['status'],
    createdAt: ['created_at'],
    closedAt: ['closed_at'],
    expectedCloseAt: ['expected_close_at'],
    leadSource: ['lead_source'],
    industry: ['industry'],
    campaign: ['campaign'],
    probability: ['probability'],
    pipeline: ['pipeline'],
  },
}

const genericLeads: CrmFormat = {
  source: 'generic',
  kind: 'leads',
  signature: [['external_id']],
  aliases: {
    externalId: ['external_id'],
    ownerKey: ['owner'],
    createdAt: ['created_at'],
    convertedAt: ['converted_at'],
    status: ['status'],
    leadSource: ['lead_source'],
    industry: ['industry'],
    campaign: ['campaign'],
  },
}

/** In order of preference when two formats match equally well. */
export const CRM_FORMATS: readonly CrmFormat[] = [
  salesforceOpportunities,
  salesforceLeads,
  hubspotDeals,
  hubspotContacts,
  pipedriveDeals,
  genericOpportunities,
  genericLeads,
]

export function formatFor(source: CrmSource, kind: CrmKind): CrmFormat | undefined {
  return CRM_FORMATS.find((f) => f.source === source && f.kind === kind)
}
