/**
 * What every server action answers (DESIGN.md "Server actions"): a value, never a throw, for
 * an expected failure. Isomorphic: client components read results and codes from here.
 */
export interface ActionError {
  code: string;
  message: string;
  fields?: Record<string, string>;
}
export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: ActionError };

export const ok = <T>(data: T): ActionResult<T> => ({ ok: true, data });
export const fail = (
  code: string,
  message: string,
  fields?: Record<string, string>,
): { ok: false; error: ActionError } => ({
  ok: false,
  error: { code, message, ...(fields ? { fields } : {}) },
});

/**
 * The failure code of a sensitive action whose caller must verify again (B5);
 * components/auth/step-up.tsx asks and retries.
 */
export const STEP_UP_REQUIRED = "STEP_UP_REQUIRED";
