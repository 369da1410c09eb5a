import "server-only";
import { headers } from "next/headers";
import { fail, type ActionResult } from "@/lib/action-result";
import { failureOf, toInput, unsupportedCharacterPath } from "@/lib/actions/define-action";
import { UNSUPPORTED_CHARACTERS } from "@/lib/validation";
import { clientIp } from "@/lib/auth/session";

/** A signed-out form's fields as text: a missing field (or a file, or a repeat) is "". */
export type FormFields = (name: string) => string;

/**
 * The few actions open to signed-out callers (first-run set-up, invitation acceptance) run
 * outside `defineAction`, which needs a session; they keep its promises: the input is read as
 * defineAction reads it and refused (INVALID_INPUT) when it is not a form or holds NUL or a
 * lone surrogate anywhere; an AppError becomes a result value; anything else is logged and
 * reaches the browser as a generic message with a reference. Redirects pass through.
 */
export async function publicAction<T>(
  name: string,
  raw: unknown,
  run: (field: FormFields) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  try {
    const input = toInput(raw);
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      return fail("INVALID_INPUT", "Please correct the highlighted fields.");
    }
    const badField = unsupportedCharacterPath(input);
    if (badField !== null) {
      return fail("INVALID_INPUT", "Please correct the highlighted fields.", {
        [badField]: UNSUPPORTED_CHARACTERS,
      });
    }
    const record = input as Record<string, unknown>;
    return await run((field) => {
      const v = Object.hasOwn(record, field) ? record[field] : undefined;
      return typeof v === "string" ? v : "";
    });
  } catch (e) {
    return failureOf(name, e);
  }
}

/** The refusal when a form's "Confirm password" differs from its "Password", else null. */
export function passwordMismatch(field: FormFields): ActionResult<never> | null {
  return field("password") === field("confirmPassword")
    ? null
    : fail("INVALID_INPUT", "Please correct the highlighted fields.", { confirmPassword: "The two passwords differ." });
}

/** The audit actor of a signed-out request: where it came from. */
export async function requestActor(): Promise<{ ip: string | null; userAgent: string | null }> {
  const h = await headers();
  return { ip: clientIp(h), userAgent: h.get("user-agent") };
}
