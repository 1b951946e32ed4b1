/**
 * The one error a CRM upload can fail with as a whole. Row-level problems are not errors: they
 * become rejections (see records.ts) so one bad row never sinks a 100k-row import.
 */
export type CrmCsvErrorCode =
  | 'empty_file'
  /** The stored upload is gone (cleaned up, or another machine's disk): upload it again. */
  | 'file_missing'
  | 'binary_file'
  | 'invalid_encoding'
  | 'malformed_csv'
  | 'unrecognised_format'
  | 'invalid_mapping'

export class CrmCsvError extends Error {
  readonly code: CrmCsvErrorCode
  /** 1-based physical line of the file, when the problem sits on one line. */
  readonly line: number | null

  constructor(code: CrmCsvErrorCode, message: string, line: number | null = null) {
    super(message)
    this.name = 'CrmCsvError'
    this.code = code
    this.line = line
  }
}
