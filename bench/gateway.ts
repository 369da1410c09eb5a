/**
 * The test gateway under load (G1, issue 13): HTTP-signature-authenticated
 * `POST /pts/v2/payments` (authentication, key rules, validation, the transaction row and the
 * key's use count) on the app as `npm start` serves it (bench/served.ts: production build,
 * Next.js behind lib/http/server.ts, real PostgreSQL, a scratch database), driven by
 * autocannon from a second process; in the same run the same direct path mounted in this
 * process (labelled: no Next.js, no launcher) and a bare node:http server doing only the HMAC
 * check and one INSERT (pg), as the baseline.
 * Targets: served ≥ 0.5× the baseline's req/s, p99 ≤ 10 ms, 0 errors, key use count = rows.
 */
import { execFile } from "node:child_process";
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import pg from "pg";
import { freshBenchDatabase } from "./bench-db";

const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_GATEWAY_CONNECTIONS ?? 10);
const TARGET = { p99: 10, ratio: 0.5 };
const WARMUP_SECONDS = Number(process.env.BENCH_GATEWAY_WARMUP_SECONDS ?? 3);

const BODY = JSON.stringify({
  clientReferenceInformation: { code: "bench" },
  paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
  orderInformation: { amountDetails: { totalAmount: "10.00", currency: "USD" } },
});

export interface Run {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

/** autocannon in its own process (the load generator must not share this event loop); `rate`: total req/s cap. */
export async function load(
  port: number,
  headers: Record<string, string>,
  { seconds = SECONDS, connections = CONNECTIONS, rate }: { seconds?: number; connections?: number; rate?: number } = {},
): Promise<Run> {
  const bin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
  const args = [bin, "-j", "-c", String(connections), "-d", String(seconds), "-m", "POST", "-b", BODY];
  if (rate) args.push("-R", String(Math.max(1, Math.round(rate))));
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}=${v}`);
  args.push(`http://127.0.0.1:${port}/pts/v2/payments`);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 2 ** 20 });
  const r = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p50: number; p99: number; p97_5?: number };
    "2xx": number;
    non2xx: number;
    errors: number;
  };
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r["2xx"],
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** The SDK's headers for BODY, signed now (valid for the gateway's 5-minute window). */
export function signedHeaders(host: string, mid: string, keyId: string, secret: string): Record<string, string> {
  const date = new Date().toUTCString();
  const digest = `SHA-256=${createHash("sha256").update(BODY).digest("base64")}`;
  const signed = [
    `host: ${host}`,
    `date: ${date}`,
    `request-target: post /pts/v2/payments`,
    `digest: ${digest}`,
    `v-c-merchant-id: ${mid}`,
  ].join("\n");
  const signature = createHmac("sha256", Buffer.from(secret, "base64")).update(signed).digest("base64");
  return {
    "content-type": "application/json",
    "v-c-merchant-id": mid,
    date,
    digest,
    signature: `keyid="${keyId}", algorithm="HmacSHA256", headers="host date request-target digest v-c-merchant-id", signature="${signature}"`,
  };
}

/** A scratch database with the demo orgs and one shared secret key of merchant12378. */
export async function prepareGateway(dbName: string) {
  const url = await freshBenchDatabase(dbName);
  const { scriptClient } = await import("../scripts/db");
  const { seedDemo } = await import("../prisma/seed");
  const seedDb = scriptClient(url);
  await seedDemo(seedDb);
  await seedDb.$disconnect();
  process.env.DATABASE_URL = url;
  process.env.KEYCENTER_MASTER_KEY ??= randomBytes(32).toString("base64");
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64");
  const { prisma } = await import("@/lib/db");
  const { createSharedSecretKey } = await import("@/lib/keys/secret-keys");
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
  const { key, secret } = await createSharedSecretKey({
    ctx: { actor: { actorId: "bench", actorEmail: "bench@keycenter.test" }, org, environment: "TEST" },
  });
  const appEnv = {
    DATABASE_URL: url,
    KEYCENTER_MASTER_KEY: process.env.KEYCENTER_MASTER_KEY,
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET,
  };
  /** Transaction rows of the key and its use count, now. */
  const counts = async () => {
    const rows = await prisma.gatewayTransaction.count({ where: { keyId: key.id } });
    const { useCount } = await prisma.key.findUniqueOrThrow({ where: { id: key.id }, select: { useCount: true } });
    return { rows, useCount };
  };
  return { url, prisma, org, key, secret, appEnv, counts };
}

export async function benchGateway(): Promise<string> {
  const { prisma, org, key, secret, appEnv, counts } = await prepareGateway("keycenter_bench_gateway");
  const { startServedApp } = await import("./served");
  const headersFor = (port: number) => signedHeaders(`127.0.0.1:${port}`, org.id, key.id, secret);

  // 1. The served app (npm start), its own process.
  const app = await startServedApp(appEnv);
  let served: Run;
  let servedRows: number;
  let servedUses: number;
  try {
    await load(app.port, headersFor(app.port), { seconds: WARMUP_SECONDS }); // JIT, pools, caches: not measured
    const before = await counts();
    served = await load(app.port, headersFor(app.port));
    const after = await counts();
    servedRows = after.rows - before.rows;
    servedUses = after.useCount - before.useCount;
  } finally {
    await app.stop();
  }

  // 2. The same direct path (lib/http/server.ts's listener, Next.js replaced by a 404) in this process.
  const { requestListener } = await import("@/lib/http/server");
  const inProcess = createServer(
    requestListener((_req, res) => {
      res.writeHead(404);
      res.end();
    }),
  );
  const inProcessPort = await listen(inProcess);
  process.env.KEYCENTER_GATEWAY_HOSTS = `127.0.0.1:${inProcessPort}`;

  // 3. The baseline: the HMAC check over the same signed string and one INSERT on pg, nothing else.
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const secretBytes = Buffer.from(secret, "base64");
  const baseline = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const h = (n: string) => String(req.headers[n] ?? "");
        const given = Buffer.from(/signature="([^"]+)"/.exec(h("signature"))?.[1] ?? "", "base64");
        const signed = `host: ${h("host")}\ndate: ${h("date")}\nrequest-target: post ${req.url}\ndigest: SHA-256=${createHash("sha256").update(body).digest("base64")}\nv-c-merchant-id: ${h("v-c-merchant-id")}`;
        const expected = createHmac("sha256", secretBytes).update(signed).digest();
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          res.writeHead(401);
          return res.end();
        }
        const id = `${Date.now()}${String(randomInt(0, 1e9)).padStart(9, "0")}`;
        await pool.query({
          name: "baseline_insert",
          text: `INSERT INTO "gateway_transactions" ("id", "at", "environment", "merchantId", "keyId", "authType",
                        "applications", "httpStatus", "status", "amount", "currency")
                 VALUES ($1, now(), 'TEST', $2, $3, 'http_signature', ARRAY['authorization'], 201, 'AUTHORIZED', '10.00', 'USD')`,
          values: [id, h("v-c-merchant-id"), "baseline"],
        });
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ id, status: "AUTHORIZED" }));
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  const baselinePort = await listen(baseline);

  try {
    await load(inProcessPort, headersFor(inProcessPort), { seconds: WARMUP_SECONDS });
    const before = await counts();
    const direct = await load(inProcessPort, headersFor(inProcessPort));
    const after = await counts();
    const directRows = after.rows - before.rows;

    await load(baselinePort, headersFor(baselinePort), { seconds: WARMUP_SECONDS });
    const baseRowsBefore = await prisma.gatewayTransaction.count({ where: { keyId: "baseline" } });
    const b = await load(baselinePort, headersFor(baselinePort));
    const baseRows = (await prisma.gatewayTransaction.count({ where: { keyId: "baseline" } })) - baseRowsBefore;

    const ratio = served.rps / b.rps;
    const pass = (ok: boolean) => (ok ? "✅" : "❌");
    const row = (name: string, r: Run, rows: number) =>
      `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.ok} | ${r.non2xx + r.errors} | ${rows} |`;
    const errors = served.non2xx + served.errors;
    return [
      `autocannon (separate process), ${CONNECTIONS} connections, ${SECONDS} s each after ${WARMUP_SECONDS} s unmeasured, loopback; PostgreSQL on the same machine.`,
      "",
      "| Server | req/s | p50 | p99 | 2xx | other/errors | rows written |",
      "|---|---:|---:|---:|---:|---:|---:|",
      row("**Served app** (`npm start`: Next.js behind lib/http/server.ts, direct path)", served, servedRows),
      row("In-process: the same direct path on node:http in the bench process (no Next.js)", direct, directRows),
      row("Baseline: bare node:http + HMAC + one INSERT (pg)", b, baseRows),
      "",
      `- Served ${served.rps.toFixed(0)} req/s = ${ratio.toFixed(2)}× the baseline (target ≥ ${TARGET.ratio}×) ${pass(ratio >= TARGET.ratio)}`,
      `- Served p99 ${served.p99} ms (target ≤ ${TARGET.p99} ms) ${pass(served.p99 <= TARGET.p99)}`,
      `- Served errors and non-2xx: ${errors} (target 0) ${pass(errors === 0)}`,
      `- Key use count grew by ${servedUses} = transaction rows ${servedRows} ${pass(servedUses === servedRows)} (autocannon does not count the responses still in flight when it stops)`,
    ].join("\n");
  } finally {
    await new Promise((resolve) => inProcess.close(resolve));
    await new Promise((resolve) => baseline.close(resolve));
    await pool.end();
    await (await import("@/lib/gateway/db")).disconnectGatewayDb();
  }
}
