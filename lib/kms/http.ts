import type { IncomingMessage, ServerResponse } from "node:http";
import type { HeaderReader } from "@/lib/gateway/authenticate";
import { clientAddress, peerOptions } from "@/lib/http/client-ip";
import { API_CSP, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { logger } from "@/lib/log";
import { kmsCaller, type KmsCaller } from "./auth";
import { createP12Keys, createSharedSecretKeys, deleteKeys, keyDetails, searchKeys, updateKeyStatus } from "./handlers";
import { changeMetaKeyMerchants, createMetaKey, listMetaKeyMerchants, regenerateMetaKey } from "./meta-keys";
import type { OpenApiDocument } from "./openapi";
import { errorAnswer, type KmsAnswer } from "./respond";
import { KeyId } from "./schemas";

/**
 * The Key Management API on node:http, answered on the served fast path (lib/http/server.ts
 * dispatches `/kms/v2/` and `/keycenter/v1/` here, before Next.js): read the body (at most
 * MAX_BODY_BYTES), authenticate (auth.ts), route, answer JSON with the API's security headers.
 * Bad input is a 400 in Cybersource's error form; an unexpected failure a 500 in the same form.
 */

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

const PREFIXES = ["/kms/v2/", "/keycenter/v1/"];

type Handler = (
  caller: KmsCaller,
  request: { body: unknown; query: URLSearchParams; params: string[] },
) => Promise<KmsAnswer>;

interface Route {
  method: string;
  /** The path as the API documents it, `{keyId}` for the key. */
  path: string;
  handler: Handler;
  pattern: RegExp;
  /** Answered to anyone, before authentication: the API's published documentation. */
  public?: boolean;
}

const route = (method: string, path: string, handler: Handler): Route => ({
  method,
  path,
  handler,
  pattern: new RegExp(`^${path.replace(/\./g, "\\.").replace(/\{keyId\}/, "([^/]{1,200})")}$`),
});

const publicRoute = (method: string, path: string, answer: () => Promise<KmsAnswer>): Route => ({
  ...route(method, path, answer),
  public: true,
});

const ROUTES: Route[] = [
  publicRoute("GET", "/kms/v2/openapi.json", openApiAnswer),
  route("GET", "/kms/v2/keys", (c, r) => searchKeys(c, r.query)),
  route("POST", "/kms/v2/keys-sym", (c, r) => createSharedSecretKeys(c, r.body)),
  route("POST", "/kms/v2/keys-sym/deletes", (c, r) => deleteKeys(c, "sym", r.body)),
  route("GET", "/kms/v2/keys-sym/{keyId}", (c, r) => keyDetails(c, "sym", r.params[0]!)),
  route("POST", "/kms/v2/keys-asym", (c, r) => createP12Keys(c, r.body)),
  route("POST", "/kms/v2/keys-asym/deletes", (c, r) => deleteKeys(c, "asym", r.body)),
  route("GET", "/kms/v2/keys-asym/{keyId}", (c, r) => keyDetails(c, "asym", r.params[0]!)),
  route("PATCH", "/kms/v2/keys-asym/{keyId}", (c, r) => updateKeyStatus(c, "asym", r.params[0]!, r.body)),
  route("PATCH", "/kms/v2/keys-password/{keyId}", (c, r) => updateKeyStatus(c, "password", r.params[0]!, r.body)),
  route("PATCH", "/kms/v2/keys-pgp/{keyId}", (c, r) => updateKeyStatus(c, "pgp", r.params[0]!, r.body)),
  route("PATCH", "/kms/v2/keys-scmp/{keyId}", (c, r) => updateKeyStatus(c, "scmp", r.params[0]!, r.body)),
  // KeyCenter's own: meta keys (KMS v2 has no endpoint for them).
  route("POST", "/keycenter/v1/meta-keys", (c, r) => createMetaKey(c, r.body)),
  route("GET", "/keycenter/v1/meta-keys/{keyId}/merchants", (c, r) => listMetaKeyMerchants(c, r.params[0]!, r.query)),
  route("POST", "/keycenter/v1/meta-keys/{keyId}/merchants", (c, r) =>
    changeMetaKeyMerchants(c, r.params[0]!, "add", r.body),
  ),
  route("POST", "/keycenter/v1/meta-keys/{keyId}/merchants/deletes", (c, r) =>
    changeMetaKeyMerchants(c, r.params[0]!, "remove", r.body),
  ),
  route("POST", "/keycenter/v1/meta-keys/{keyId}/regenerate", (c, r) => regenerateMetaKey(c, r.params[0]!, r.body)),
];

/** Every authenticated endpoint, as `METHOD pattern` (the authorization matrix and the fuzz test enumerate them). */
export const KMS_ENDPOINTS: readonly string[] = ROUTES.filter((r) => !r.public).map((r) => `${r.method} ${r.path}`);

let openApi: Promise<OpenApiDocument> | undefined;

/** The OpenAPI document of every route above (lib/kms/openapi.ts), built once, on first use. */
export function kmsOpenApi(): Promise<OpenApiDocument> {
  return (openApi ??= import("./openapi").then((m) => m.kmsOpenApiDocument(ROUTES)));
}

async function openApiAnswer(): Promise<KmsAnswer> {
  return { status: 200, body: await kmsOpenApi(), headers: { "cache-control": "public, max-age=300" } };
}

/** Is this request the Key Management API's (any method)? */
export function isKmsPath(url: string | undefined): boolean {
  return !!url && PREFIXES.some((p) => url.startsWith(p));
}

const HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": API_CSP,
  ...STATIC_SECURITY_HEADERS,
  "x-keycenter-served-by": "direct",
  "content-type": "application/json;charset=utf-8",
};

function send(res: ServerResponse, answer: KmsAnswer): void {
  const body = Buffer.from(JSON.stringify(answer.body));
  res.writeHead(answer.status, { ...HEADERS, ...answer.headers, "content-length": body.length });
  res.end(body);
}

/** The body, or null when it is over `max` (the rest is left unread; the connection closes after the answer). */
function readAtMost(req: IncomingMessage, res: ServerResponse, max: number): Promise<Buffer | null> {
  if (Number(req.headers["content-length"] ?? 0) > max) {
    res.shouldKeepAlive = false;
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const stop = () => req.removeListener("data", take).removeListener("end", end).removeListener("error", reject);
    const take = (part: Buffer) => {
      size += part.length;
      if (size > max) {
        stop();
        res.shouldKeepAlive = false;
        resolve(null);
      } else parts.push(part);
    };
    const end = () => {
      stop();
      resolve(Buffer.concat(parts, size));
    };
    req.on("data", take).on("end", end).on("error", reject);
  });
}

/** node:http's headers as the gateway's authentication reads them. */
function headerReader(headers: IncomingMessage["headers"]): HeaderReader {
  const get = (name: string) => {
    const v = headers[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  };
  return { get, has: (name) => headers[name] !== undefined };
}

/** The JSON body: undefined when empty, a 400 when not JSON. */
function jsonOf(bytes: Buffer): { value: unknown } | KmsAnswer {
  if (bytes.length === 0) return { value: undefined };
  try {
    return { value: JSON.parse(bytes.toString("utf8")) };
  } catch {
    return errorAnswer(400, "INVALID_DATA", "Declined - The request body is not valid JSON", [
      { field: "body", reason: "INVALID_DATA" },
    ]);
  }
}

/** Answers one Key Management API request. Throws only for a failure nobody expects (a 500 by the caller). */
export async function answerKms(req: IncomingMessage, res: ServerResponse): Promise<KmsAnswer> {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://localhost");
  const matches = ROUTES.filter((r) => r.pattern.test(url.pathname));
  if (!matches.length) {
    req.resume();
    return errorAnswer(404, "NOT_FOUND", `No such endpoint: ${url.pathname.slice(0, 200)}`);
  }
  const chosen = matches.find((r) => r.method === method);
  if (!chosen) {
    req.resume();
    return errorAnswer(405, "METHOD_NOT_ALLOWED", `${method.slice(0, 10)} is not allowed here.`, [], {
      allow: matches.map((r) => r.method).join(", "),
    });
  }
  if (chosen.public) {
    req.resume();
    return (chosen.handler as () => Promise<KmsAnswer>)();
  }
  const bytes = await readAtMost(req, res, MAX_BODY_BYTES);
  if (bytes === null)
    return errorAnswer(
      413,
      "INVALID_DATA",
      `Declined - The request is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`,
    );
  const headers = headerReader(req.headers);
  const caller = await kmsCaller({
    method,
    pathWithQuery: req.url ?? "/",
    headers,
    body: bytes,
    clientAddress: clientAddress(headers, peerOptions()),
  });
  if (!("keyId" in caller)) return caller;
  const json = jsonOf(bytes);
  if (!("value" in json)) return json;
  let params: string[];
  try {
    params = chosen.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
    if (!params.every((p) => KeyId.safeParse(p).success)) throw new Error("not a key ID");
  } catch {
    return errorAnswer(400, "INVALID_DATA", "Declined - The key ID is not valid", [
      { field: "keyId", reason: "INVALID_DATA" },
    ]);
  }
  return chosen.handler(caller, { body: json.value, query: url.searchParams, params });
}

/** The node:http handler lib/http/server.ts dispatches `/kms/v2/` and `/keycenter/v1/` to. */
export async function kmsHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let answer: KmsAnswer;
  try {
    answer = await answerKms(req, res);
  } catch (e) {
    logger.error({ err: e }, "kms: a request failed");
    answer = errorAnswer(500, "SYSTEM_ERROR", "Internal error");
  }
  if (res.headersSent) return;
  send(res, answer);
}
