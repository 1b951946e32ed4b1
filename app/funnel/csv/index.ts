/**
 * CRM CSV parsing for the funnel import: bytes in, validated opportunity/lead rows and
 * rejections out, streaming. No database here; the import job persists what this yields.
 */
export { parseCrmCsv } from './parse-crm-csv'
export type { BatchEvent, CrmCsvEvent, EndEvent, FormatEvent, ParseCrmCsvOptions } from './parse-crm-csv'
export { CrmCsvError, type CrmCsvErrorCode } from './errors'
export { recognizeCrmFormat, validateMapping } from './recognize'
export type { FormatRecognition, MappingValidation, RecognitionHints, UserMapping } from './recognize'
export { CRM_KINDS, CRM_SOURCES, LEAD_FIELDS, OPPORTUNITY_FIELDS, requiredFields } from './fields'
export type { ColumnMapping, CrmField, CrmKind, CrmSource, LeadField, OpportunityField, RequiredField } from './fields'
export { leadRowSchema, opportunityRowSchema } from './records'
export type { LeadRow, OpportunityRow, Rejection } from './records'
export { parseAmount, detectDecimalSeparator, type AmountResult, type DecimalSeparator } from './amount'
export { parseCrmDate, detectDayOrder, type DateResult, type DayOrder } from './date'
export { parseCheckbox } from './checkbox'
export { parsePercent } from './percent'
export { parseStatus, statusFromFlags, statusFromStage, type DealStatus } from './status'
export { conventionsOf, decideFileLocale, type FileLocale } from './locale'
export { deriveExternalId } from './external-id'
export { decodeCrmBytes, type TextEncodingName } from './decode'
export { detectDelimiter, type Delimiter } from './delimiter'
