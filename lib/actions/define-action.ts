import "server-only";
import { randomBytes } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { fail, STEP_UP_REQUIRED, type ActionError, type ActionResult } from "@/lib/action-result";
import type { Permission } from "@/lib/auth/permissions";
import {
  AuthorizationError,
  getPortalSession,
  requirePermission,
  STEP_UP_MAX_AGE_MS,
  type PortalSession,
} from "@/lib/auth/session";
import { AppError, fieldErrors } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { OrgRef } from "@/lib/orgs/hierarchy";
import { hasUnsupportedCharacters, UNSUPPORTED_CHARACTERS } from "@/lib/validation";

/**
 * What a thrown error becomes in an action's result: redirects and other Next.js signals pass
 * through, an AppError is an expected failure, anything else is logged with a reference the
 * user can quote and reaches the browser only as a generic message.
 */
export function failureOf(action: string, e: unknown): { ok: false; error: ActionError } {
  unstable_rethrow(e);
  if (e instanceof AppError) return fail(e.code, e.userMessage, e.fields);
  const reference = randomBytes(4).toString("hex").toUpperCase();
  logger.error({ action, reference, err: e }, "action failed");
  return fail("INTERNAL", `Something went wrong on our side. Reference: ${reference}.`);
}

/** An action's input as the schema sees it: FormData becomes a plain object, repeats an array. */
export function toInput(raw: unknown): unknown {
  if (raw instanceof FormData) {
    // No prototype: a field named "constructor" or "__proto__" is a field like any other.
    const obj: Record<string, unknown> = Object.create(null);
    for (const [k, v] of raw.entries()) {
      if (k.startsWith("$ACTION")) continue;
      if (Object.hasOwn(obj, k)) obj[k] = ([] as unknown[]).concat(obj[k], v);
      else obj[k] = v;
    }
    return obj;
  }
  return raw;
}

/**
 * The path of the first string anywhere in `input` holding a character no field accepts, or
 * null. Checked before any schema, so no action ever hands such a string to a service.
 */
export function unsupportedCharacterPath(input: unknown, path: string[] = [], depth = 0): string | null {
  // NUL and lone surrogates only (the rule for secrets): each schema refuses more where it should.
  const bad = (s: string) => hasUnsupportedCharacters(s, { secret: true });
  if (typeof input === "string") return bad(input) ? path.join(".") || "form" : null;
  if (depth > 20 || input === null || typeof input !== "object" || input instanceof Blob) return null;
  for (const [k, v] of Object.entries(input)) {
    if (bad(k)) return path.join(".") || "form";
    const found = unsupportedCharacterPath(v, [...path, k], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * What an action does to saved data; it decides step-up (DESIGN.md: every mutating action
 * needs a fresh authentication). tests/integration/step-up-matrix.test.ts runs every action
 * with a stale session and holds each to its word.
 * - "read": changes nothing saved.
 * - "own": changes only the caller's own session, second factor or notification read marks.
 * - "run": runs something on the caller's behalf (a scan, a test event, a test payment) and
 *   changes no person, role, role assignment, org setting, webhook or key.
 * - "change": creates, changes or removes a person, role, role assignment, org setting,
 *   webhook or key: always requires step-up.
 */
export type ActionEffect = "read" | "own" | "run" | "change";

export interface ActionMeta {
  name: string;
  effect: ActionEffect;
  permission: Permission | Permission[] | null;
  stepUp: boolean;
}

const actionMeta = new WeakMap<object, ActionMeta>();

/** What `defineAction` was told about an action (for the authorization and step-up matrices). */
export function describeAction(action: unknown): ActionMeta | undefined {
  return typeof action === "function" ? actionMeta.get(action) : undefined;
}

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
 * Call as `action(input)`: one argument, an object or a form's FormData (components/ui/
 * use-action-form.ts keeps useActionState's previous state on the client).
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
     * What it does to saved data. "change" requires step-up (B5): the caller must have proved
     * who they are (password or code) within the last 5 minutes, else STEP_UP_REQUIRED
     * (components/auth/step-up.tsx asks and retries).
     */
    effect: ActionEffect;
    /** Open to a person who must still enroll the second factor their org requires. */
    duringEnrollment?: boolean;
  },
  handler: (ctx: ActionContext<z.output<S>>) => Promise<ActionResult<T>>,
): (...args: unknown[]) => Promise<ActionResult<T>> {
  const stepUp = config.effect === "change";
  const action = async (...args: unknown[]): Promise<ActionResult<T>> => {
    try {
      const session = await getPortalSession();
      if (!session) return fail("UNAUTHENTICATED", "Your session has ended. Please sign in again.");
      if (session.mfaEnrollmentRequired && !config.duringEnrollment) {
        return fail("MFA_ENROLLMENT_REQUIRED", "Your organization requires two-step verification. Set it up first.");
      }
      const input = toInput(args.length > 1 ? args[1] : args[0]);
      const badField = unsupportedCharacterPath(input);
      if (badField !== null) {
        return fail("INVALID_INPUT", "Please correct the highlighted fields.", { [badField]: UNSUPPORTED_CHARACTERS });
      }
      const parsed = config.input.safeParse(input);
      if (!parsed.success) {
        return fail("INVALID_INPUT", "Please correct the highlighted fields.", fieldErrors(parsed.error));
      }
      const org = config.org ? await config.org(parsed.data, session) : session.actingOrg;
      if (!org) return fail("NOT_FOUND", "That organization does not exist or is not yours.");
      for (const permission of [config.permission].flat()) requirePermission(session, permission, { org });
      if (stepUp && session.verifiedAt.getTime() < Date.now() - STEP_UP_MAX_AGE_MS) {
        return fail(STEP_UP_REQUIRED, "Confirm it's you: enter your password again.");
      }
      return await handler({ input: parsed.data, session, org });
    } catch (e) {
      if (e instanceof AuthorizationError) return fail(e.code, e.message);
      return failureOf(config.name, e);
    }
  };
  actionMeta.set(action, { name: config.name, effect: config.effect, permission: config.permission, stepUp });
  return action;
}
