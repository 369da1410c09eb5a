import { randomBytes } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import {
  AuthorizationError,
  getPortalSession,
  requirePermission,
  STEP_UP_MAX_AGE_MS,
  type PortalSession,
} from "@/lib/auth/session";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { logger } from "@/lib/log";

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

/** An expected failure thrown from deep inside a service; becomes a result value. */
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

function toInput(raw: unknown): unknown {
  if (raw instanceof FormData) {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of raw.entries()) {
      if (k.startsWith("$ACTION")) continue;
      if (k in obj) obj[k] = ([] as unknown[]).concat(obj[k], v);
      else obj[k] = v;
    }
    return obj;
  }
  return raw;
}

/** The failure code of a sensitive action whose caller must verify again (B5). */
export const STEP_UP_REQUIRED = "STEP_UP_REQUIRED";

export interface ActionContext<I> {
  input: I;
  session: PortalSession;
  /** The org the action works on: checked against the caller's scope already. */
  org: OrgRef;
}

/**
 * The one shape of a server action (DESIGN.md): parse with zod, check permission and org
 * scope on the server, run the service, return a typed result. Expected failures are
 * values; unexpected ones are logged with a reference the user can quote.
 * Call as `action(input)` or, from useActionState, `action(prevState, formData)`.
 */
export function defineAction<S extends z.ZodType, T>(
  config: {
    name: string;
    input: S;
    /** Every one of these is required (null: any signed-in person). */
    permission: Permission | Permission[] | null;
    /** The org the action touches; default: the org acted for. Resolved before the check. */
    org?: (input: z.output<S>, session: PortalSession) => Promise<OrgRef | null> | OrgRef | null;
    /**
     * Sensitive (B5): the caller must have proved who they are (password or code) within the
     * last 5 minutes, else STEP_UP_REQUIRED (components/auth/step-up.tsx asks and retries).
     * A function decides per input (e.g. only when turning a feature off).
     */
    stepUp?: boolean | ((input: z.output<S>) => boolean);
    /** Open to a person who must still enroll the second factor their org requires. */
    duringEnrollment?: boolean;
  },
  handler: (ctx: ActionContext<z.output<S>>) => Promise<ActionResult<T>>,
): (...args: unknown[]) => Promise<ActionResult<T>> {
  return async (...args: unknown[]) => {
    try {
      const session = await getPortalSession();
      if (!session) return fail("UNAUTHENTICATED", "Your session has ended. Please sign in again.");
      if (session.mfaEnrollmentRequired && !config.duringEnrollment) {
        return fail("MFA_ENROLLMENT_REQUIRED", "Your organization requires two-step verification. Set it up first.");
      }
      const parsed = config.input.safeParse(toInput(args.length > 1 ? args[1] : args[0]));
      if (!parsed.success) {
        return fail("INVALID_INPUT", "Please correct the highlighted fields.", fieldErrors(parsed.error));
      }
      const org = config.org ? await config.org(parsed.data, session) : session.actingOrg;
      if (!org) return fail("NOT_FOUND", "That organization does not exist or is not yours.");
      for (const permission of [config.permission].flat()) requirePermission(session, permission, { org });
      const stepUp = typeof config.stepUp === "function" ? config.stepUp(parsed.data) : config.stepUp;
      if (stepUp && session.verifiedAt.getTime() < Date.now() - STEP_UP_MAX_AGE_MS) {
        return fail(STEP_UP_REQUIRED, "Confirm it's you: enter your password again.");
      }
      return await handler({ input: parsed.data, session, org });
    } catch (e) {
      unstable_rethrow(e);
      if (e instanceof AuthorizationError) return fail(e.code, e.message);
      if (e instanceof AppError) return fail(e.code, e.userMessage, e.fields);
      const reference = randomBytes(4).toString("hex").toUpperCase();
      logger.error(
        { action: config.name, reference, err: e instanceof Error ? e.message : String(e) },
        "action failed",
      );
      return fail("INTERNAL", `Something went wrong on our side. Reference: ${reference}.`);
    }
  };
}
