import { createHash, createHmac, randomUUID } from "node:crypto";
import { importPKCS8, SignJWT } from "jose";
import { AppError } from "@/lib/errors";
import { openSigningP12 } from "@/lib/live-console/p12";

/**
 * The Live Console's client side: signs a request the way the official Cybersource REST SDK
 * does (../shared/CYBERSOURCE-SDK.md), written apart from the gateway's verifier so that each
 * checks the other. Nothing here is stored.
 */
export interface OutgoingRequest {
  method: "POST";
  path: string;
  host: string;
  body: string;
  headers: Record<string, string>;
}

const sha256b64 = (s: string) => createHash("sha256").update(s, "utf8").digest("base64");

/** The JSON POST both schemes send, with their authentication headers. */
function outgoing(
  input: { host: string; path: string; body: string; merchantId: string },
  auth: Record<string, string>,
): OutgoingRequest {
  return {
    method: "POST",
    path: input.path,
    host: input.host,
    body: input.body,
    headers: { "content-type": "application/json;charset=utf-8", "v-c-merchant-id": input.merchantId, ...auth },
  };
}

/** HTTP Signature: key ID + shared secret; for a meta key the signed merchant line is the owner's ID. */
export function signHttpSignature(input: {
  host: string;
  path: string;
  body: string;
  merchantId: string;
  keyId: string;
  sharedSecret: string;
  metaKeyOwner?: string;
  date?: Date;
}): OutgoingRequest {
  const date = (input.date ?? new Date()).toUTCString();
  const digest = `SHA-256=${sha256b64(input.body)}`;
  const signedMerchant = input.metaKeyOwner || input.merchantId;
  const signingString = [
    `host: ${input.host}`,
    `date: ${date}`,
    `request-target: post ${input.path}`,
    `digest: ${digest}`,
    `v-c-merchant-id: ${signedMerchant}`,
  ].join("\n");
  const secret = Buffer.from(input.sharedSecret.trim(), "base64");
  if (secret.length === 0) {
    const message = "Enter the shared secret as it was downloaded (base64).";
    throw new AppError("INVALID_INPUT", message, { sharedSecret: message });
  }
  const signature = createHmac("sha256", secret).update(signingString).digest("base64");
  return outgoing(input, {
    date,
    digest,
    signature: `keyid="${input.keyId}", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="${signature}"`,
  });
}

/**
 * JWT (RS256) with the private key and certificate of a KeyCenter .p12, as current SDKs send it
 * (the .p12 read as the SDK reads it: lib/live-console/p12.ts). With `responseMleKid`, the
 * `v-c-response-mle-kid` claim asks for the response encrypted to that REST – API Response MLE key.
 */
export async function signJwt(input: {
  host: string;
  path: string;
  body: string;
  merchantId: string;
  p12: Buffer;
  password: string;
  metaKeyOwner?: string;
  responseMleKid?: string;
}): Promise<OutgoingRequest> {
  const { privateKeyPem, kid } = openSigningP12({
    p12: input.p12,
    password: input.password,
    owner: input.metaKeyOwner || input.merchantId,
  });
  const iat = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    digest: sha256b64(input.body),
    "digest-algorithm": "SHA-256",
    "request-host": input.host,
    "request-resource-path": input.path,
    "request-method": "post",
    "v-c-merchant-id": input.merchantId,
    "v-c-jwt-version": "2",
    iss: input.metaKeyOwner || input.merchantId,
    jti: randomUUID(),
    ...(input.responseMleKid ? { "v-c-response-mle-kid": input.responseMleKid } : {}),
  })
    .setProtectedHeader({ typ: "JWT", alg: "RS256", kid })
    .setIssuedAt(iat)
    .setExpirationTime(iat + 120)
    .sign(await importPKCS8(privateKeyPem, "RS256"));
  return outgoing(input, { authorization: `Bearer ${token}` });
}

function ownBase(): string {
  return process.env.KEYCENTER_INTERNAL_URL ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}`;
}

/** The host this KeyCenter's gateway is reached at from the server itself (what `host` signs). */
export function ownGatewayHost(): string {
  return new URL(ownBase()).host;
}

/** Sends to this KeyCenter's own gateway (never to a host the caller names). */
export async function sendToOwnGateway(req: OutgoingRequest) {
  const started = performance.now();
  const res = await fetch(new URL(req.path, ownBase()), { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  return {
    status: res.status,
    elapsedMs: Math.round(performance.now() - started),
    headers: Object.fromEntries([...res.headers.entries()].filter(([k]) => k !== "set-cookie")),
    body: text,
  };
}

export const SAMPLE_PAYMENT = JSON.stringify(
  {
    clientReferenceInformation: { code: "TC50171_3" },
    processingInformation: { commerceIndicator: "internet" },
    paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
    orderInformation: {
      amountDetails: { totalAmount: "102.21", currency: "USD" },
      billTo: {
        firstName: "John",
        lastName: "Doe",
        address1: "1 Market St",
        locality: "san francisco",
        administrativeArea: "CA",
        postalCode: "94105",
        country: "US",
        email: "test@cybs.com",
        phoneNumber: "4158880000",
      },
    },
  },
  null,
  2,
);
