import type { KeyType } from "@/lib/generated/prisma/enums";

/**
 * KeyCenter's key types as the Key Management API names and groups them: searchKeys' `keyTypes`
 * (certificate, password, pgp, scmp_api) and which endpoint family (keys-sym, keys-asym,
 * keys-password, keys-pgp, keys-scmp) reaches which types. The rules of each type (may it be
 * deactivated, what permission it needs) stay the registry's (lib/keys/types.ts).
 */
export const KMS_TYPE_NAMES: Record<KeyType, string> = {
  REST_CERTIFICATE: "certificate",
  SIMPLE_ORDER: "certificate",
  REST_RESPONSE_MLE: "certificate",
  REST_SHARED_SECRET: "password",
  SECURE_ACCEPTANCE: "password",
  PGP: "pgp",
  SOAP_TOOLKIT: "scmp_api",
  TOKEN_MANAGEMENT_MLE: "mle",
  ISV_BRIDGE: "isv_bridge",
  MPOS: "mpos",
};

export const ALL_KEY_TYPES = Object.keys(KMS_TYPE_NAMES) as KeyType[];

/** The KeyCenter types searchKeys' `keyTypes` names select. */
export function typesNamed(names: readonly string[]): KeyType[] {
  return ALL_KEY_TYPES.filter((t) => names.includes(KMS_TYPE_NAMES[t]));
}

/** Which types each endpoint family reaches. */
export const FAMILY_TYPES = {
  sym: ["REST_SHARED_SECRET"],
  asym: ["REST_CERTIFICATE", "SIMPLE_ORDER", "REST_RESPONSE_MLE"],
  password: ["REST_SHARED_SECRET", "SECURE_ACCEPTANCE"],
  pgp: ["PGP"],
  scmp: ["SOAP_TOOLKIT"],
} as const satisfies Record<string, readonly KeyType[]>;

export type Family = keyof typeof FAMILY_TYPES;
