/**
 * Raw Key Management API requests for tests that need what the SDK never sends (bad input,
 * every route with every caller): signed with HTTP Signature exactly as the official SDK signs
 * (../shared/CYBERSOURCE-SDK.md: host date request-target [digest] v-c-merchant-id, HMAC-SHA256
 * keyed with the base64-decoded secret), sent with node:http so that Host is the SDK's.
 */
import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";

export interface KmsCreds {
  keyId: string;
  secret: string;
  /** v-c-merchant-id: the transacting MID. */
  merchantId: string;
  /** The org that owns a meta key (signed as v-c-merchant-id). */
  signedMerchantId?: string;
  /** The signed date (default now). */
  at?: Date;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | null;
}

export const SDK_HOST = "apitest.cybersource.com";

/** The SDK's headers for one request (none when `creds` is null). */
export function signedHeaders(
  creds: KmsCreds | null,
  method: string,
  pathWithQuery: string,
  body: Buffer,
): Record<string, string> {
  const headers: Record<string, string> = { host: SDK_HOST, "content-type": "application/json;charset=utf-8" };
  if (!creds) return headers;
  const date = (creds.at ?? new Date()).toUTCString();
  const withBody = ["POST", "PUT", "PATCH"].includes(method);
  const digest = `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
  const names = ["host", "date", "request-target", ...(withBody ? ["digest"] : []), "v-c-merchant-id"];
  const lines = names.map((n) => {
    if (n === "host") return `host: ${SDK_HOST}`;
    if (n === "date") return `date: ${date}`;
    if (n === "request-target") return `request-target: ${method.toLowerCase()} ${pathWithQuery}`;
    if (n === "digest") return `digest: ${digest}`;
    return `v-c-merchant-id: ${creds.signedMerchantId ?? creds.merchantId}`;
  });
  const signature = createHmac("sha256", Buffer.from(creds.secret, "base64")).update(lines.join("\n")).digest("base64");
  return {
    ...headers,
    date,
    ...(withBody ? { digest } : {}),
    "v-c-merchant-id": creds.merchantId,
    signature: `keyid="${creds.keyId}", algorithm="HmacSHA256", headers="${names.join(" ")}", signature="${signature}"`,
  };
}

/** Sends one request to `port` on 127.0.0.1; `body` is sent as given (a string is sent as UTF-8). */
export function kmsRequest(
  port: number,
  creds: KmsCreds | null,
  method: string,
  pathWithQuery: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<RawAnswer> {
  const bytes =
    body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8");
  const headers = { ...signedHeaders(creds, method, pathWithQuery, bytes), ...extraHeaders };
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method, path: pathWithQuery, headers: { ...headers, "content-length": bytes.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: Record<string, unknown> | null = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(bytes);
  });
}
