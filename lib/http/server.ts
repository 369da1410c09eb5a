import "./node-environment";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { closeDriverPools, databaseUnavailableSince, isDatabaseUnavailable, noteDatabaseOutcome } from "@/lib/db-driver";
import { PAYMENTS } from "@/lib/gateway/payments";
import { type AnyEndpoint, type GatewayResponse, nodeHeaders, serve as serveGateway } from "@/lib/gateway/pipeline";
import { SECURE_ACCEPTANCE } from "@/lib/gateway/secure-acceptance";
import { SIMPLE_ORDER } from "@/lib/gateway/simple-order";
import { isKmsPath, kmsHandler } from "@/lib/kms/http";
import { logger } from "@/lib/log";
import { warmDirectRoutes } from "./warm";
import { clientAddress, markPeerStamped, peerOptions, stampPeer } from "./client-ip";
import { API_CSP, STATIC_SECURITY_HEADERS } from "./security-headers";

/**
 * The HTTP layer in front of Next.js (one process, one port). The test gateway's machine
 * endpoints — `POST /pts/v2/payments`, `POST /commerce/1.x/transactionProcessor`, `POST /pay` —
 * are answered here, straight by the gateway's pipeline (lib/gateway/pipeline.ts),
 * without Next's router, proxy.ts or rendering pipeline: those cost more per request than the
 * gateway's own work (issue 13). Every other request, and any other method on those paths,
 * goes to Next's request handler unchanged.
 *
 * Every request, direct or not, first gets its direct peer stamped (`x-keycenter-peer`,
 * `x-keycenter-peer-proto`, overwriting whatever the client sent), which lib/http/client-ip.ts
 * reads; the process is marked as stamped.
 */

/** What answered a request: set on the direct path's responses (the served-app test reads it). */
export const SERVED_BY_HEADER = "x-keycenter-served-by";

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Reads the body up to `max` bytes. `overflow`: there was more (the bytes read so far are
 * returned, more than `max` of them unless the declared Content-Length alone was too large);
 * the rest is left unread and the connection is closed after the answer.
 */
function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  max: number,
): Promise<{ bytes: Buffer; overflow: boolean }> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > max) {
    res.shouldKeepAlive = false;
    return Promise.resolve({ bytes: Buffer.alloc(0), overflow: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > max) {
        done();
        res.shouldKeepAlive = false;
        resolve({ bytes: Buffer.concat(chunks, total), overflow: true });
      }
    };
    const onEnd = () => {
      done();
      resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), overflow: false });
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/** The security headers every direct answer carries (what withGatewayHeaders adds to a Response). */
const API_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": API_CSP,
  ...STATIC_SECURITY_HEADERS,
  [SERVED_BY_HEADER]: "direct",
};

function sendGateway(res: ServerResponse, answer: GatewayResponse): void {
  const body = Buffer.from(answer.body);
  res.writeHead(answer.status, { ...API_HEADERS, ...answer.headers, "content-length": body.length });
  res.end(body);
}

/**
 * A gateway endpoint on node:http (lib/gateway/pipeline.ts): the headers read in place, the body
 * as raw bytes (no Web Request), the answer written with the gateway's security headers.
 */
function gatewayRoute(endpoint: AnyEndpoint): NodeHandler {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = nodeHeaders(req.headers);
    const answer = await serveGateway(endpoint, {
      method: "POST",
      pathWithQuery: req.url ?? "/",
      headers,
      clientAddress: clientAddress(headers, peerOptions()),
      readBody: async (max) => {
        const { bytes, overflow } = await readBody(req, res, max);
        return overflow ? null : bytes;
      },
      discardBody: () => {
        res.shouldKeepAlive = false;
      },
    });
    sendGateway(res, answer);
  };
}

/** The direct routes: exact path (any query), POST only. */
const DIRECT: ReadonlyMap<string, NodeHandler> = new Map<string, NodeHandler>([
  ["/pts/v2/payments", gatewayRoute(PAYMENTS)],
  ["/commerce/1.x/transactionProcessor", gatewayRoute(SIMPLE_ORDER)],
  ["/pay", gatewayRoute(SECURE_ACCEPTANCE)],
]);

/** The direct handler for a request, or undefined: Next's. */
export function directRoute(method: string | undefined, url: string | undefined): NodeHandler | undefined {
  if (method !== "POST" || !url) return undefined;
  const q = url.indexOf("?");
  return DIRECT.get(q === -1 ? url : url.slice(0, q));
}

/** The answer while the database is unreachable, or while the process shuts down: retry shortly. */
const RETRY_AFTER_SECONDS = 5;

function unavailable(res: ServerResponse, req: IncomingMessage, why: "database" | "shutdown"): void {
  const message =
    why === "database"
      ? "KeyCenter's database is unavailable; retry shortly."
      : "This KeyCenter instance is shutting down; retry (another instance will answer).";
  if (why === "shutdown") res.shouldKeepAlive = false;
  const html = /text\/html/.test(String(req.headers.accept ?? ""));
  const body = html
    ? `<!doctype html><meta charset="utf-8"><title>Temporarily unavailable</title><h1>Temporarily unavailable</h1><p>${message}</p>`
    : JSON.stringify({ status: "SERVER_ERROR", reason: "SERVICE_UNAVAILABLE", message });
  res.writeHead(503, {
    ...API_HEADERS,
    "content-type": html ? "text/html;charset=utf-8" : "application/json;charset=utf-8",
    "retry-after": String(RETRY_AFTER_SECONDS),
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

function failed(res: ServerResponse, e: unknown, req?: IncomingMessage): void {
  if (req && isDatabaseUnavailable(e)) {
    noteDatabaseOutcome(e);
    logger.warn({ err: e instanceof Error ? e.message : String(e) }, "http: database unavailable");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    unavailable(res, req, "database");
    return;
  }
  logger.error({ err: e }, "http: a direct route failed");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { ...API_HEADERS, "content-type": "application/json;charset=utf-8" });
  res.end(JSON.stringify({ status: "SERVER_ERROR", reason: "SYSTEM_ERROR", message: "Internal error" }));
}

/**
 * The request listener: stamp the peer, then the direct route or Next's handler.
 * `direct: false` sends everything to Next (`next dev` with hot reload of the gateway code).
 */
export function requestListener(next: NodeHandler, { direct = true }: { direct?: boolean } = {}): NodeHandler {
  markPeerStamped();
  return (req, res) => {
    stampPeer(req);
    const route = direct ? (directRoute(req.method, req.url) ?? (isKmsPath(req.url) ? kmsHandler : undefined)) : undefined;
    if (route) {
      // Tried even while the database is known to be down: the first success ends the outage.
      try {
        (route(req, res) as Promise<void>).catch((e) => failed(res, e, req));
      } catch (e) {
        failed(res, e, req);
      }
      return;
    }
    if (databaseUnavailableSince() !== null && needsDatabase(req.url)) return unavailable(res, req, "database");
    return next(req, res);
  };
}

/** Everything but the health check and the build's static files reads the database. */
function needsDatabase(url: string | undefined): boolean {
  const path = (url ?? "/").split("?")[0]!;
  return !(path === "/api/health" || path.startsWith("/_next/static/") || path === "/favicon.ico");
}

export interface ServeOptions {
  dev: boolean;
  /** The project directory (next.config.ts, the build); default the working directory. */
  dir?: string;
  port: number;
  /** The address to listen on; default all interfaces. */
  hostname?: string;
  /** Answer the machine endpoints directly (default: in production, not under `next dev`). */
  direct?: boolean;
}

/**
 * Next.js's documented custom server (`next({ dev, dir, hostname, port, httpServer })`,
 * `prepare()`, `getRequestHandler()`) behind requestListener. next.config.ts is read from
 * `dir` as `next start` reads it (distDir from KEYCENTER_DIST_DIR); instrumentation.ts runs
 * once, in prepare(). Resolves once listening.
 */
export async function serve(options: ServeOptions): Promise<Server> {
  const mod = (await import("next")) as unknown as { default: unknown };
  type CreateNext = (o: Record<string, unknown>) => {
    prepare(): Promise<void>;
    getRequestHandler(): NodeHandler;
    close(): Promise<void>;
  };
  const createNext = (
    typeof mod.default === "function" ? mod.default : (mod.default as { default: unknown }).default
  ) as CreateNext;
  const server = createServer();
  const app = createNext({
    dev: options.dev,
    dir: options.dir ?? process.cwd(),
    hostname: options.hostname ?? "localhost",
    port: options.port,
    httpServer: server,
  });
  await app.prepare();
  if (options.direct ?? !options.dev) await warmDirectRoutes();
  const listener = requestListener(app.getRequestHandler(), { direct: options.direct ?? !options.dev });
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    // A request that arrives on a kept-alive connection once shutdown began: not taken.
    if (closing) return unavailable(res, req, "shutdown");
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    return listener(req, res);
  });
  lifecycles.set(server, {
    inFlight,
    beginClosing: () => {
      closing = true;
      // The answers still to come close their connections.
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    },
    closeNext: () => app.close(),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}

interface Lifecycle {
  inFlight: Set<ServerResponse>;
  beginClosing(): void;
  closeNext(): Promise<void>;
}
const lifecycles = new WeakMap<Server, Lifecycle>();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** The bound on finishing in-flight requests at shutdown: KEYCENTER_SHUTDOWN_GRACE_MS, default 10 s. */
export function shutdownGraceMs(env: Record<string, string | undefined> = process.env): number {
  const n = Number(env.KEYCENTER_SHUTDOWN_GRACE_MS);
  return Number.isFinite(n) && n >= 0 && env.KEYCENTER_SHUTDOWN_GRACE_MS !== "" ? n : 10_000;
}

/**
 * Graceful shutdown (SIGTERM; RELIABILITY.md): stop accepting connections and answer any new
 * request on a kept-alive one 503 (Connection: close); let the requests in flight finish, up to
 * `graceMs`; stop the expiry-alert runner (it claims no further batch and writes back the one in
 * hand); close the remaining connections, Next.js and every database pool. Resolves with what
 * was cut short.
 */
export async function shutdown(server: Server, graceMs = shutdownGraceMs()): Promise<{ abandoned: number }> {
  const life = lifecycles.get(server);
  const started = Date.now();
  life?.beginClosing();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  while (life && life.inFlight.size > 0 && Date.now() - started < graceMs) await sleep(25);
  const abandoned = life?.inFlight.size ?? 0;
  const drainedMs = Date.now() - started;
  const runner = (globalThis as { keycenterAlertRunner?: { stop?: (ms?: number) => Promise<void> | void } })
    .keycenterAlertRunner;
  await Promise.resolve(runner?.stop?.(Math.max(1_000, graceMs - (Date.now() - started)))).catch(() => undefined);
  server.closeAllConnections();
  await Promise.race([closed, sleep(1_000)]);
  await Promise.race([life?.closeNext().catch(() => undefined), sleep(2_000)]);
  await closeDriverPools(2_000);
  logger.info({ ms: Date.now() - started, drainedMs, abandoned }, "http: shut down");
  return { abandoned };
}
