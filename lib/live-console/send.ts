import forge from "node-forge";
import { gatewayMleCertificatePem } from "@/lib/crypto/environment";
import { AppError } from "@/lib/errors";
import type { Environment } from "@/lib/generated/prisma/enums";
import {
  ownGatewayHost,
  sendToOwnGateway,
  signHttpSignature,
  signJwt,
  type OutgoingRequest,
} from "@/lib/gateway/client";
import { decryptResponseLikeSdk, encryptedResponseOf, encryptRequestLikeSdk } from "./mle";
import { openResponseMleP12, openSigningP12 } from "./p12";

/**
 * The Live Console (SPEC G6, the guide's Developer Center "Request: Live Console"): signs the
 * sample payment with the credentials typed or uploaded (kept only for this request, never
 * stored or logged) and sends it to this KeyCenter's gateway. **Send Request with Message Level
 * Encryption** (G4) encrypts the body to the CyberSource_SJC_US certificate, as the SDK does, and,
 * with the MLE Configuration's Response MLE key, asks for the response encrypted to that key and
 * decrypts it with the key in its .p12, so the raw answer and the decrypted one are shown side by side.
 */
export const LIVE_CONSOLE_PATH = "/pts/v2/payments";

/** The gateway the console talks to serves the Test environment (lib/gateway/pipeline.ts). */
const GATEWAY_ENVIRONMENT: Environment = "TEST";

export interface ResponseMleCredentials {
  /** Response encryption: the REST – API Response MLE key ID (else the one in the .p12, as the SDK extracts it). */
  keyId?: string;
  /** Response decryption: the .p12 with the key's private key, and its password. */
  p12?: Buffer;
  password?: string;
}

export interface LiveConsoleInput {
  authType: "http_signature" | "jwt";
  merchantId: string;
  metaKeyOwner?: string;
  keyId?: string;
  sharedSecret?: string;
  p12?: Buffer;
  password?: string;
  body: string;
  /** Send Request with Message Level Encryption. */
  messageLevelEncryption?: boolean;
  responseMle?: ResponseMleCredentials;
}

export interface LiveConsoleResult {
  request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    /** With MLE: the body as sent, `{"encryptedRequest":"<JWE>"}`. */
    encryptedBody?: string;
    mle?: {
      /** The `kid` of the request JWE: the CyberSource_SJC_US certificate's subject serialNumber. */
      requestKid: string;
      /** Where that certificate came from: the uploaded .p12 (the SDK's default) or this environment. */
      certificateFrom: "p12" | "environment";
      responseMleKeyId?: string;
    };
  };
  response: { status: number; elapsedMs: number; headers: Record<string, string>; body: string };
  /** The response decrypted with the Response MLE key (or why it could not be). */
  decrypted?: { body: string } | { error: string };
}

function refuse(field: string, message: string): never {
  throw new AppError("INVALID_INPUT", message, { [field]: message });
}

/** Which key ID the response is to be encrypted to, and the key that decrypts it (when a .p12 is given). */
export function responseMleKey(
  creds: ResponseMleCredentials,
  owner: string,
): { keyId: string; privateKeyPem?: string } | null {
  const typed = creds.keyId?.trim() || undefined;
  if (!creds.p12) return typed ? { keyId: typed } : null;
  const opened = openResponseMleP12({ p12: creds.p12, password: creds.password ?? "", owner });
  const keyId = typed ?? opened.keyIdInFile;
  if (!keyId) {
    refuse(
      "responseMleKeyId",
      "Enter the key ID of your REST – API Response MLE key (this .p12 has no certificate of yours to read it from).",
    );
  }
  return { keyId, privateKeyPem: opened.privateKeyPem };
}

function subjectSerial(certificatePem: string): string {
  return forge.pki.certificateFromPem(certificatePem).subject.getField({ type: "2.5.4.5" })?.value as string;
}

export async function sendLiveConsole(input: LiveConsoleInput): Promise<LiveConsoleResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.body);
  } catch {
    refuse("body", "The request body is not valid JSON.");
  }
  const common = {
    host: ownGatewayHost(),
    path: LIVE_CONSOLE_PATH,
    body: input.body,
    merchantId: input.merchantId,
    metaKeyOwner: input.metaKeyOwner || undefined,
  };
  const owner = common.metaKeyOwner ?? input.merchantId;

  let request: OutgoingRequest;
  let mle: LiveConsoleResult["request"]["mle"];
  let responseKey: ReturnType<typeof responseMleKey> = null;
  if (input.authType === "http_signature") {
    if (input.messageLevelEncryption) {
      refuse(
        "authType",
        "Message-level encryption works with JSON Web Tokens: choose JSON Web Token (.p12), or Send without it.",
      );
    }
    if (!input.keyId) refuse("keyId", "Enter the key.");
    if (!input.sharedSecret) refuse("sharedSecret", "Enter the shared secret.");
    request = signHttpSignature({ ...common, keyId: input.keyId, sharedSecret: input.sharedSecret });
  } else {
    if (!input.p12 || input.p12.length === 0) refuse("p12", "Choose a .p12 file.");
    const password = input.password ?? "";
    let body = input.body;
    let responseMleKid: string | undefined;
    if (input.messageLevelEncryption) {
      // As the SDK: the CyberSource_SJC_US certificate in the merchant's .p12; else this
      // environment's (the certificate the SDK takes from mleForRequestPublicCertPath).
      const signing = openSigningP12({ p12: input.p12, password, owner });
      const fromP12 = signing.requestMleCertificatePem;
      const certificatePem = fromP12 ?? (await gatewayMleCertificatePem(GATEWAY_ENVIRONMENT));
      body = await encryptRequestLikeSdk(parsed, certificatePem);
      responseKey = input.responseMle ? responseMleKey(input.responseMle, owner) : null;
      responseMleKid = responseKey?.keyId;
      mle = {
        requestKid: subjectSerial(certificatePem),
        certificateFrom: fromP12 ? "p12" : "environment",
        responseMleKeyId: responseMleKid,
      };
    }
    request = await signJwt({ ...common, body, p12: input.p12, password, responseMleKid });
  }

  const response = await sendToOwnGateway(request);
  let decrypted: LiveConsoleResult["decrypted"];
  const jwe = encryptedResponseOf(response.body);
  if (jwe && responseKey?.privateKeyPem) {
    try {
      decrypted = { body: await decryptResponseLikeSdk(jwe, responseKey.privateKeyPem) };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      decrypted = { error: e.userMessage };
    }
  } else if (jwe) {
    decrypted = {
      error: "The response is encrypted: add the Response MLE key's .p12 under MLE Configuration to see it decrypted.",
    };
  }
  return {
    request: {
      method: request.method,
      path: request.path,
      headers: { ...request.headers, ...(request.headers.authorization ? { authorization: "Bearer …" } : {}) },
      encryptedBody: mle ? request.body : undefined,
      mle,
    },
    response,
    decrypted,
  };
}

/** MLE Configuration → Update Credentials: the Response MLE key ID and .p12 checked before any request. */
export function checkResponseMleCredentials(input: {
  merchantId: string;
  metaKeyOwner?: string;
  credentials: ResponseMleCredentials;
}): { keyId: string; decrypts: boolean } {
  const key = responseMleKey(input.credentials, input.metaKeyOwner || input.merchantId);
  if (!key) refuse("responseMleKeyId", "Enter the key ID of your REST – API Response MLE key, or choose its .p12.");
  return { keyId: key.keyId, decrypts: key.privateKeyPem !== undefined };
}
