import { AppError } from "@/lib/errors";
import type { Environment, KeyType } from "@/lib/generated/prisma/enums";
import { isRetired, keyType } from "./types";

/**
 * Whether a key type may be created at all (registry: creatable, retiredFrom), and the words
 * for a retired one: the Create Key page, the creation pipeline (create.ts) and the gateway's
 * SOAP Toolkit refusal (simple-order.ts) say it the same way.
 */

function longDate(iso: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
}

/**
 * The user-facing text for a type retired in an environment, built from the registry
 * (e.g. "SOAP Toolkit keys are no longer supported in the test environment since July 16, 2025. …"),
 * or null when the type has no retirement date there.
 */
export function retiredMessage(type: KeyType, environment: Environment): string | null {
  return retiredText(type, environment, (label) => `New ${label} keys cannot be created; existing ones stay listed.`);
}

/**
 * The gateway's refusal of a request authenticated with a key of a type retired in
 * `environment` on `at` (SOAP Toolkit), or null while the type is not retired there:
 * `faultstring` for the caller (since when, and the registry's pointer to the replacement),
 * `reason` for the log and the transaction row.
 */
export function retiredRefusal(
  type: KeyType,
  environment: Environment,
  at: Date,
): { reason: string; faultstring: string } | null {
  const faultstring = retiredText(type, environment, () => "");
  if (!faultstring || !isRetired(type, environment, at)) return null;
  const since = keyType(type).retiredFrom?.[environment];
  return { reason: `${keyType(type).label} keys are retired in ${environment} since ${since}`, faultstring };
}

function retiredText(type: KeyType, environment: Environment, middle: (label: string) => string): string | null {
  const spec = keyType(type);
  const from = spec.retiredFrom?.[environment];
  if (!from) return null;
  return [
    `${spec.label} keys are no longer supported in the ${environment.toLowerCase()} environment since ${longDate(from)}.`,
    middle(spec.label),
    spec.retiredNote ?? "",
  ]
    .filter(Boolean)
    .join(" ");
}

export type Creatability = { creatable: true } | { creatable: false; code: string; message: string };

/** Whether a new key of `type` may be created in `environment` at `now` (for the Create Key page). */
export function creatability(input: { type: KeyType; environment: Environment; now?: Date }): Creatability {
  const spec = keyType(input.type);
  if (!spec.creatable) {
    return {
      creatable: false,
      code: "KEY_TYPE_NOT_CREATABLE",
      message: `${spec.label} keys cannot be created in KeyCenter; they are found by search only.`,
    };
  }
  if (isRetired(input.type, input.environment, input.now ?? new Date())) {
    return { creatable: false, code: "KEY_TYPE_RETIRED", message: retiredMessage(input.type, input.environment)! };
  }
  return { creatable: true };
}

/** Throws AppError (code KEY_TYPE_RETIRED or KEY_TYPE_NOT_CREATABLE) unless `type` may be created. */
export function assertCreatable(input: { type: KeyType; environment: Environment; now?: Date }): void {
  const c = creatability(input);
  if (!c.creatable) throw new AppError(c.code, c.message, { type: c.message });
}
