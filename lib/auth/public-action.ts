import { randomBytes } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { AppError, fail, type ActionResult } from "@/lib/actions";
import { logger } from "@/lib/log";

/**
 * The few actions open to signed-out callers (first-run set-up, invitation acceptance) run
 * outside `defineAction`, which needs a session; they keep its promise about failures: an
 * AppError becomes a result value, anything else is logged and reaches the browser as a
 * generic message with a reference. Redirects pass through.
 */
export async function publicAction<T>(name: string, run: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await run();
  } catch (e) {
    unstable_rethrow(e);
    if (e instanceof AppError) return fail(e.code, e.userMessage, e.fields);
    const reference = randomBytes(4).toString("hex").toUpperCase();
    logger.error({ action: name, reference, err: e instanceof Error ? e.message : String(e) }, "action failed");
    return fail("INTERNAL", `Something went wrong on our side. Reference: ${reference}.`);
  }
}

/** A form field as text: absent (or a file) is "". */
export function formText(formData: FormData, name: string): string {
  const v = formData.get(name);
  return typeof v === "string" ? v : "";
}
