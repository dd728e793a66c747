import type { HttpError } from '@refinedev/core';

type StrapiFieldError = { path?: Array<string | number>; message?: string };
type StrapiErrorBody = { error?: { status?: number; name?: string; message?: string; details?: { errors?: StrapiFieldError[] } } };

/**
 * A Strapi error response as Refine's HttpError: `details.errors[]` become field errors keyed
 * by the field's path (`phones.0.number`), so forms show them on the field that caused them.
 */
export function toHttpError(status: number, body: unknown): HttpError {
  const error = (body as StrapiErrorBody | null)?.error;
  const fieldErrors: Record<string, string[]> = {};
  for (const e of error?.details?.errors ?? []) {
    if (!e.path?.length || !e.message) continue;
    const key = e.path.join('.');
    (fieldErrors[key] ??= []).push(e.message);
  }
  const http: HttpError = { message: error?.message || `the request failed (${status})`, statusCode: status };
  if (Object.keys(fieldErrors).length) http.errors = fieldErrors;
  return http;
}
