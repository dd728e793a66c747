/**
 * Whether an error escaping a request was caused by the request's own input
 * (a filter value of the wrong type, a malformed operator), and what to tell
 * the client then, in words that give away neither the query nor the driver.
 * Strapi validates the keys of a query but not the shapes and types of its
 * values; those reach the query builder or PostgreSQL and came back as 500.
 */
const QUERY_SHAPE_MESSAGES: Array<[RegExp, string]> = [
  // @strapi/database's where-clause builder: the message names the operator and nothing internal.
  [/^Operator \$[A-Za-z]+ must be an array$/, ''],
  [/^Where must be an (array or an )?object$/, 'A filter must be an object or an array'],
  // knex, from $between given anything but a pair.
  [/whereBetween must be an array/, 'Operator $between must be an array of two values'],
  [/^Undefined binding\(s\) detected/, 'A filter value is missing'],
];

export function clientInputProblem(error: unknown): string | null {
  if (!error || typeof error !== 'object') return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // SQLSTATE class 22, data exception: a value that is not of its column's type, or not text PostgreSQL can store (a NUL byte).
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return 'A value in the request does not fit the type of its field';
  if (typeof message !== 'string') return null;
  for (const [pattern, said] of QUERY_SHAPE_MESSAGES) if (pattern.test(message)) return said || message;
  return null;
}
