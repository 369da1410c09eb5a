import { openSecret } from "@/lib/crypto/secrets";
import type { Key } from "@/lib/generated/prisma/client";
import { createKey, type CreateKeyInput } from "./create";
import type { CreatedKey, SecureAcceptanceResult, SharedSecretResult } from "./creators";

/**
 * Secrets and public keys (SPEC K3, K5, K6, K8, K9): REST shared secrets, Secure Acceptance
 * access/secret keys, PGP public keys, Token Management MLE public keys. Each is
 * `createKey(type, …)` (create.ts: the one pipeline; creators.ts: what each type makes);
 * these names stay for their callers.
 */

export { KEY_NAME_MAX } from "./create";
export {
  type CreatedKey,
  type KeyDownload,
  type SecureAcceptanceResult,
  type SharedSecretResult,
  SHARED_SECRET_MERCHANT_ONLY,
  SIGNATURE_METHODS,
  SIGNATURE_VERSIONS,
} from "./creators";
export { assertCreatable, type Creatability, creatability, retiredMessage, retiredRefusal } from "./retirement";

/** Opens a key's sealed secret (shared secret, Secure Acceptance secret key). Never log the result. */
export function readSecret(key: Pick<Key, "id" | "secretCiphertext">): string {
  if (!key.secretCiphertext) throw new Error(`Key ${key.id} has no stored secret`);
  return openSecret(key.secretCiphertext, key.id).toString("utf8");
}

/** REST – Shared Secret (K3, guide {#restgs-security-key-pair-task}). */
export function createSharedSecretKey(input: CreateKeyInput<"REST_SHARED_SECRET">): Promise<SharedSecretResult> {
  return createKey("REST_SHARED_SECRET", input);
}

/** Secure Acceptance (K6, guide {#keys-secure-acceptance-create}); the name is required. */
export function createSecureAcceptanceKey(
  input: CreateKeyInput<"SECURE_ACCEPTANCE"> & { name: string },
): Promise<SecureAcceptanceResult> {
  return createKey("SECURE_ACCEPTANCE", input);
}

/** PGP (K5, guide {#keys-pgp-add}): a pasted ASCII-armored PGP public key (RSA ≥ 2048). */
export function createPgpKey(input: CreateKeyInput<"PGP">): Promise<{ key: CreatedKey }> {
  return createKey("PGP", input);
}

/** Token Management MLE (K9, guide {#keys-mle-create}): a pasted RSA public key. */
export function createTokenManagementMleKey(
  input: CreateKeyInput<"TOKEN_MANAGEMENT_MLE">,
): Promise<{ key: CreatedKey }> {
  return createKey("TOKEN_MANAGEMENT_MLE", input);
}
