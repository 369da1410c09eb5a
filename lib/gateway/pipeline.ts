import type { Environment } from "@/lib/generated/prisma/enums";
import { clientIp } from "@/lib/http/client-ip";
import { API_CSP, STATIC_SECURITY_HEADERS } from "@/lib/http/security-headers";
import { logger } from "@/lib/log";
import type { AuthResult, HeaderReader } from "./authenticate";
import { readLimited } from "./http";
import { capText } from "./input";
import { newRequestId, recordRequest, type RequestStamp, type RowOutcome } from "./record";
import { countFailure, throttled } from "./throttle";

/**
 * The one request pipeline of the test gateway's machine endpoints — REST payments
 * (payments.ts), Simple Order (simple-order.ts), Secure Acceptance (secure-acceptance.ts):
 *
 * 1. read: the body, at most the endpoint's limit. An address over the failure limit
 *    (throttle.ts) is answered 429 before the body is read; a larger body is refused (413).
 * 2. authenticate: the endpoint's own check. A refusal counts against the client address
 *    (over the limit: 429, not recorded), is recorded and answered as the endpoint answers it.
 * 3. handle: the endpoint's work on an authenticated request.
 * 4. record: one gateway_transactions row per request (record.ts, group commit), written
 *    before the answer.
 * 5. log: one line per request — request ID, endpoint, outcome, HTTP status, duration, who it
 *    claimed to be and why it was refused; never a credential or the body.
 *
 * An endpoint gives only its own parts (GatewayEndpoint). Both servers call `serve`: the
 * direct path of lib/http/server.ts (node:http, no Web Request) and the route handlers under
 * app/ (webHandler).
 */

/** An answer, as either server writes it. */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request as its server sees it, before the body is read. */
export interface Incoming {
  method: string;
  pathWithQuery: string;
  headers: HeaderReader;
  /** The client's address (lib/http/client-ip.ts); null when unknown. */
  clientAddress: string | null;
  /** Reads at most `max` bytes of the body; null when there is more. */
  readBody(max: number): Promise<Uint8Array | null>;
  /** Drops the body unread (an address over the failure limit). */
  discardBody(): void;
}

/** One request while the pipeline runs it: its ID, the gateway's clock, the environment, the address. */
export interface Exchange extends RequestStamp {
  clientAddress: string | null;
}

/** A refused request: its row (auth null: refused before any credential was read) and what the endpoint answers from. */
export interface Refusal extends RowOutcome {
  status: "INVALID_REQUEST" | "AUTHENTICATION_FAILED";
  reason: string;
  auth: (AuthResult & { ok: false }) | null;
}

/** An authenticated request's row and answer. */
export interface Handled<A> extends RowOutcome {
  answer: A;
}

export type Authentication<Ok, R extends Refusal> =
  { ok: true; auth: AuthResult & { ok: true }; value: Ok } | { ok: false; refusal: R };

/**
 * What an endpoint gives the pipeline. `In`: the request as the endpoint reads it from its
 * body; `Ok`: what authentication hands to `handle`; `R`: its refusals; `A`: its answers.
 */
export interface GatewayEndpoint<In, Ok, R extends Refusal, A> {
  /** The endpoint in the log ("payments", "simple order", "secure acceptance"). */
  name: string;
  maxBodyBytes: number;
  /** The request from its body (at most maxBodyBytes) and its server's view of it. */
  read(body: Uint8Array, incoming: Incoming): In;
  /** Never throws for a bad request; database errors propagate. */
  authenticate(input: In, x: Exchange): Promise<Authentication<Ok, R>>;
  handle(value: Ok, auth: AuthResult & { ok: true }, x: Exchange): Promise<Handled<A>>;
  /** The refusal of a body over maxBodyBytes (recorded without credentials). */
  tooLarge(x: Exchange): R;
  refuse(refusal: R, x: Exchange): A | Promise<A>;
  /** An address over the failure limit (not recorded). */
  tooMany(retryAfterSeconds: number, x: Exchange): A;
  /** An unexpected error (the database unreachable), when the endpoint answers it itself; else it propagates. */
  failed?(reference: string): A;
  render(answer: A): GatewayResponse;
}

/** Any endpoint, for the servers (which see only its rendered answers). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEndpoint = GatewayEndpoint<any, any, any, any>;

export interface PipelineOptions {
  /** Default TEST (the gateway is the test environment's). */
  environment?: Environment;
  /** The gateway's clock; default now (tests set it). */
  now?: Date;
}

function exchange(options: PipelineOptions, clientAddress: string | null): Exchange {
  const at = options.now ?? new Date();
  return { id: newRequestId(at.getTime()), at, environment: options.environment ?? "TEST", clientAddress };
}

/** One request, from its server: read → authenticate → handle → record → log. */
export async function serve<A>(
  endpoint: GatewayEndpoint<unknown, unknown, Refusal, A>,
  incoming: Incoming,
  options: PipelineOptions = {},
): Promise<GatewayResponse> {
  const started = performance.now();
  const x = exchange(options, incoming.clientAddress);
  const limit = throttled(x.clientAddress, x.at.getTime());
  if (!limit.ok) {
    incoming.discardBody();
    return endpoint.render(tooMany(endpoint, x, limit.retryAfterSeconds, started));
  }
  try {
    const body = await incoming.readBody(endpoint.maxBodyBytes);
    const answer =
      body === null
        ? await refuse(endpoint, x, endpoint.tooLarge(x), started)
        : await run(endpoint, endpoint.read(body, incoming), x, started);
    return endpoint.render(answer);
  } catch (e) {
    if (!endpoint.failed) throw e;
    const reference = newRequestId();
    logger.error({ requestId: x.id, reference, endpoint: endpoint.name, err: e }, `${endpoint.name}: unexpected error`);
    return endpoint.render(endpoint.failed(reference));
  }
}

/**
 * One request whose body the caller has already read (`input`, as the endpoint reads it):
 * authenticate → handle → record → log, after the failure limit. The endpoint's answer, unrendered.
 */
export async function serveRead<In, A>(
  endpoint: GatewayEndpoint<In, unknown, Refusal, A>,
  input: In,
  options: PipelineOptions & { clientAddress?: string | null } = {},
): Promise<A> {
  const started = performance.now();
  const x = exchange(options, options.clientAddress ?? null);
  const limit = throttled(x.clientAddress, x.at.getTime());
  if (!limit.ok) return tooMany(endpoint, x, limit.retryAfterSeconds, started);
  return run(endpoint, input, x, started);
}

async function run<In, A>(
  endpoint: GatewayEndpoint<In, unknown, Refusal, A>,
  input: In,
  x: Exchange,
  started: number,
): Promise<A> {
  const authentication = await endpoint.authenticate(input, x);
  if (!authentication.ok) return refuse(endpoint, x, authentication.refusal, started);
  const { auth } = authentication;
  const handled = await endpoint.handle(authentication.value, auth, x);
  await recordRequest(x, auth, handled);
  log(endpoint.name, x, auth, handled, started);
  return handled.answer;
}

async function refuse<R extends Refusal, A>(
  endpoint: GatewayEndpoint<unknown, unknown, R, A>,
  x: Exchange,
  refusal: R,
  started: number,
): Promise<A> {
  const over = await countFailure(x.clientAddress, x.at.getTime());
  if (!over.ok) return tooMany(endpoint, x, over.retryAfterSeconds, started);
  await recordRequest(x, refusal.auth, refusal);
  const answer = await endpoint.refuse(refusal, x);
  log(endpoint.name, x, refusal.auth, refusal, started);
  return answer;
}

function tooMany<A>(
  endpoint: Pick<GatewayEndpoint<never, never, Refusal, A>, "name" | "tooMany">,
  x: Exchange,
  retryAfterSeconds: number,
  started: number,
): A {
  log(endpoint.name, x, null, null, started);
  return endpoint.tooMany(retryAfterSeconds, x);
}

/** The longest refusal reason a log line keeps (as the transaction row). */
const MAX_REASON_CHARS = 500;

/** The request's one log line: warn for a refusal or 429, info for an authenticated request. */
function log(name: string, x: Exchange, auth: AuthResult | null, row: RowOutcome | null, started: number): void {
  const level = row === null || auth?.ok !== true ? "warn" : "info";
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      requestId: x.id,
      endpoint: name,
      environment: x.environment,
      outcome: row?.status ?? "TOO_MANY_REQUESTS",
      httpStatus: row?.httpStatus ?? 429,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      authType: auth?.authType ?? "none",
      merchantId: auth?.merchantId ?? null,
      keyId: auth?.keyId ?? null,
      claimedKeyId: auth?.claimedKeyId ?? null,
      // null: recorded without tenant (visible to no one; record.ts).
      tenant: auth ? (auth.ok ? auth.merchantId : auth.tenant) : null,
      metaKeyOwner: auth?.metaKeyOwner ?? null,
      ...(row?.reason ? { reason: capText(row.reason, MAX_REASON_CHARS) } : {}),
      ...(row === null ? { clientAddress: x.clientAddress } : {}),
    },
    row === null
      ? `${name}: too many failed requests from the address (429)`
      : `${name}: ${auth?.ok ? "answered" : "refused"}`,
  );
}

// ---- the servers ----

/** The security headers of every gateway answer (lib/http/security-headers.ts; what withGatewayHeaders adds). */
export const GATEWAY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": API_CSP,
  ...STATIC_SECURITY_HEADERS,
};

/** A Web-standard request as the pipeline's Incoming; the client's address `clientIp` of its headers unless given. */
export function webIncoming(request: Request, clientAddress?: string | null): Incoming {
  const url = new URL(request.url);
  return {
    method: request.method,
    pathWithQuery: url.pathname + url.search,
    headers: request.headers,
    clientAddress: clientAddress === undefined ? clientIp(request.headers) : clientAddress,
    readBody: (max) => readLimited(request, max),
    discardBody: () => void request.body?.cancel().catch(() => undefined),
  };
}

/** A HeaderReader over node:http's `req.headers` (no copy into a `Headers`). */
export function nodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderReader {
  const get = (name: string) => {
    const v = headers[name];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  };
  return { get, has: (name) => headers[name] !== undefined };
}

/** An answer as a Web-standard Response, with the gateway's security headers. */
export function webResponse(answer: GatewayResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: { ...GATEWAY_HEADERS, ...answer.headers } });
}

/** A route handler (app/…/route.ts) for an endpoint. */
export function webHandler(endpoint: AnyEndpoint, options: PipelineOptions = {}) {
  return async (request: Request): Promise<Response> =>
    webResponse(await serve(endpoint, webIncoming(request), options));
}
