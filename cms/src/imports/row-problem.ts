/** Why a row (or the whole file) was refused, as a caller branches on it. */
export enum ImportErrorCode {
  REQUIRED = 'REQUIRED',
  INVALID_VALUE = 'INVALID_VALUE',
  INVALID_PHONE = 'INVALID_PHONE',
  INVALID_ENUM = 'INVALID_ENUM',
  INVALID_DATE = 'INVALID_DATE',
  DUPLICATE_IN_FILE = 'DUPLICATE_IN_FILE',
  DUPLICATE_IN_DATABASE = 'DUPLICATE_IN_DATABASE',
  PHONE_ON_OTHER_ACCOUNT = 'PHONE_ON_OTHER_ACCOUNT',
  TIMEZONE_INFERRED = 'TIMEZONE_INFERRED',
  TOO_MANY_COLUMNS = 'TOO_MANY_COLUMNS',
  UNKNOWN_ACCOUNT = 'UNKNOWN_ACCOUNT',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
}

/** Notices that do not stop a row: it is imported, and the notice says what was assumed or found. */
export const WARNING_CODES = new Set<string>([ImportErrorCode.PHONE_ON_OTHER_ACCOUNT, ImportErrorCode.TIMEZONE_INFERRED, ImportErrorCode.DUPLICATE_IN_DATABASE]);

/** One problem with one cell of one row. */
export type RowProblem = { field: string; code: ImportErrorCode; message: string; value: string | null };

/** Why a whole file was refused (nothing imported), with a code a caller branches on. */
export class ImportFileError extends Error {
  constructor(public readonly code: 'EMPTY_FILE' | 'MISSING_COLUMNS' | 'BAD_MAPPING' | 'UNREADABLE_FILE' | 'NO_SUCH_SHEET' | 'TOO_LARGE', message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}
