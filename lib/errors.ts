import type { z } from "zod";

/**
 * An expected failure thrown from deep inside a service: `userMessage` (and `fields`, shown
 * beside the form's fields) may reach the user; the action framework turns it into a result
 * value with the same code (lib/actions/define-action.ts failureOf). Codes are SCREAMING_SNAKE
 * and name the refusal, not the HTTP status: INVALID_INPUT (with `fields`) for what the form
 * can fix, NOT_FOUND for anything missing or outside the caller's scope (never "exists but is
 * not yours"), NOT_ALLOWED for a rule the caller cannot change, others as the domain needs.
 */
export class AppError extends Error {
  constructor(
    public readonly code: string,
    public readonly userMessage: string,
    public readonly fields?: Record<string, string>,
  ) {
    super(userMessage);
  }
}

/** Field errors from zod, one message per field, keyed by the field's path. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}
