/** How the Imports page names cms's statuses and problem codes (cms/src/imports/row-problem.ts). */
export const STATUS_COLORS: Record<string, string> = { queued: 'default', running: 'blue', completed: 'green', failed: 'red', cancelled: 'orange' };

export const CODE_LABELS: Record<string, string> = {
  REQUIRED: 'A required value is missing',
  INVALID_VALUE: 'A value is not of the right form (amount, number, text)',
  INVALID_PHONE: 'Not a phone number in the client\'s country',
  INVALID_ENUM: 'Not one of the allowed values',
  INVALID_DATE: 'Not a date',
  DUPLICATE_IN_FILE: 'The account number came earlier in the file',
  DUPLICATE_IN_DATABASE: 'Already stored: skipped, or updated when duplicates update',
  PHONE_ON_OTHER_ACCOUNT: 'Imported; the phone is also on another account',
  TIMEZONE_INFERRED: 'Imported; the time zone was inferred',
  TOO_MANY_COLUMNS: 'The row has more cells than the header',
  UNKNOWN_ACCOUNT: 'No account of the client has this number',
  CURRENCY_MISMATCH: 'Not the account\'s currency',
};
