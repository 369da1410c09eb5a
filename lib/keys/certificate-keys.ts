import { AppError } from "@/lib/errors";
import type { ServiceContext } from "@/lib/context";
import { createKey } from "./create";
import type { PemResult, P12Result } from "./creators";
import { keyType } from "./types";

/**
 * Certificate keys (SPEC K1, K2, K4, K7): REST – Certificate (.p12, or a certificate for the
 * merchant's CSR), Simple Order API (.p12) and REST – API Response MLE (.p12, or the
 * merchant's own certificate). Each is `createKey(type, …)` (create.ts: the one pipeline;
 * creators.ts: what each type makes); these names stay for their callers.
 */

export const P12_KEY_TYPES = ["REST_CERTIFICATE", "SIMPLE_ORDER", "REST_RESPONSE_MLE"] as const;
export type P12KeyType = (typeof P12_KEY_TYPES)[number];

export type { CertificateSource, PemResult, P12Result } from "./creators";

/** Download key → Set a Password → Generate key: `<org id>_<fileTag>.p12` (`merchant12378_rest.p12`) with a new key pair and certificate. */
export function createCertificateKey(input: {
  ctx: ServiceContext;
  type: P12KeyType;
  password: string;
  name?: string;
  kmsApi?: boolean;
}): Promise<P12Result> {
  const { type, ...rest } = input;
  if (!(P12_KEY_TYPES as readonly string[]).includes(type)) {
    return Promise.reject(
      new AppError("UNSUPPORTED_KEY_TYPE", `${keyType(type).label} keys are not certificate keys.`),
    );
  }
  return createKey(type, rest) as Promise<P12Result>;
}

/** Submit a Certificate Signing Request: a REST – Certificate, as `<org id>_certChain.pem`. */
export function createKeyFromCsr(input: {
  ctx: ServiceContext;
  csrPem: string;
  name?: string;
  kmsApi?: boolean;
}): Promise<PemResult> {
  return createKey("REST_CERTIFICATE", input) as Promise<PemResult>;
}

/** REST – API Response MLE with the merchant's own certificate, returned as `<org id>_response_mle_<key id>.pem`. */
export function createResponseMleKeyFromCertificate(input: {
  ctx: ServiceContext;
  certificatePem: string;
  name?: string;
}): Promise<PemResult> {
  return createKey("REST_RESPONSE_MLE", input) as Promise<PemResult>;
}
