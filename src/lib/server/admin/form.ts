// Reading form posts: one zod parse at the edge, errors per field, values kept for redisplay.
import type { z } from 'astro/zod';
import { DatabaseUnavailableError } from '../db/db-errors.ts';
import { NotFoundError, RefusedError } from '../errors.ts';
import { unsavedFormMessage } from '../views/degraded.view.ts';

export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Validates input; the first message for each field, keyed by its dotted path. */
export function parseForm<S extends z.ZodType>(schema: S, input: unknown): FormResult<z.infer<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, data: r.data };
  const errors: FieldErrors = {};
  for (const issue of r.error.issues) {
    const key = issue.path.join('.') || 'form';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** Every text field of a form as a plain object (repeated names keep the last value). */
export function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * The form errors for a failed save: a refusal names its field, a missing record and an unavailable database
 * go to the top of the form (which keeps what was typed). Anything else is a bug and is thrown on.
 */
export function saveErrors(e: unknown): FieldErrors {
  if (e instanceof RefusedError) return { [e.field]: e.message };
  if (e instanceof NotFoundError) return { form: e.message };
  if (e instanceof DatabaseUnavailableError) return { form: unsavedFormMessage() };
  throw e;
}
