/** Why an export request is refused; the controller answers 400 with the code and the offending name. */
export type ExportErrorCode = 'UNKNOWN_TYPE' | 'UNKNOWN_FORMAT' | 'UNKNOWN_COLUMN' | 'UNSORTABLE_COLUMN' | 'BAD_FILE_NAME' | 'BAD_DEFINITION';

export class ExportError extends Error {
  constructor(
    readonly code: ExportErrorCode,
    message: string,
    readonly subject: string | null = null,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}
