/**
 * The test gateway under load (G1): HTTP-signature-authenticated `POST /pts/v2/payments`
 * (authentication, key rules, validation, the transaction row and the key's use count) on a
 * plain node:http server on loopback, driven by autocannon from a second process; against a
 * bare node:http server doing only the HMAC check and the same insert.
 * Targets: ≥ 1,500 req/s, p99 ≤ 15 ms, ≥ 0.6× the baseline.
 */
import { execFile } from "node:child_process";
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { freshBenchDatabase } from "./bench-db";

const SECONDS = Number(process.env.BENCH_GATEWAY_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_GATEWAY_CONNECTIONS ?? 10);
const TARGET = { rps: 1500, p99: 15, ratio: 0.6 };

const BODY = JSON.stringify({
  clientReferenceInformation: { code: "bench" },
  paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
  orderInformation: { amountDetails: { totalAmount: "10.00", currency: "USD" } },
});

interface Run {
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

/** autocannon in its own process (the load generator must not share this event loop). */
async function load(port: number, headers: Record<string, string>): Promise<Run> {
  const bin = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
  const args = [bin, "-j", "-c", String(CONNECTIONS), "-d", String(SECONDS), "-m", "POST", "-b", BODY];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}=${v}`);
  args.push(`http://127.0.0.1:${port}/pts/v2/payments`);
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 2 ** 20 });
  const r = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
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
function signedHeaders(host: string, mid: string, keyId: string, secret: string): Record<string, string> {
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

export async function benchGateway(): Promise<string> {
  const url = await freshBenchDatabase("keycenter_bench_gateway");
  const { scriptClient } = await import("../scripts/db");
  const { seedDemo } = await import("../prisma/seed");
  const seedDb = scriptClient(url);
  await seedDemo(seedDb);
  await seedDb.$disconnect();
  process.env.DATABASE_URL = url;
  process.env.KEYCENTER_MASTER_KEY ??= randomBytes(32).toString("base64");

  const { prisma } = await import("@/lib/db");
  const { createSharedSecretKey } = await import("@/lib/keys/secret-keys");
  const { handlePaymentRequest, nodeHeaders } = await import("@/lib/gateway/payments");
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
  const { key, secret } = await createSharedSecretKey({
    ctx: { actor: { actorId: "bench", actorEmail: "bench@keycenter.test" }, org, environment: "TEST" },
  });

  // The gateway's core (what the route handler calls), on node:http without Request/Response copies.
  let gatewayPort = 0;
  const gateway = createServer((req, res) => {
    readBody(req)
      .then(async (body) => {
        const response = await handlePaymentRequest(
          { method: req.method ?? "POST", pathWithQuery: req.url ?? "/", headers: nodeHeaders(req.headers), body },
          { environment: "TEST", acceptedHosts: [`127.0.0.1:${gatewayPort}`] },
        );
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  gatewayPort = await listen(gateway);

  // The baseline: the HMAC check over the same signed string and the same insert, nothing else.
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
        await prisma.$executeRaw`
          INSERT INTO "gateway_transactions" ("id", "at", "environment", "merchantId", "keyId", "authType",
                      "applications", "httpStatus", "status", "amount", "currency")
          VALUES (${id}, ${new Date()}, 'TEST'::"Environment", ${h("v-c-merchant-id")}, ${key.id}, 'http_signature',
                  ${["authorization"]}::text[], 201, 'AUTHORIZED', '10.00', 'USD')`;
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
    const rowsBefore = await prisma.gatewayTransaction.count();
    const g = await load(gatewayPort, signedHeaders(`127.0.0.1:${gatewayPort}`, org.id, key.id, secret));
    const rowsAfterGateway = await prisma.gatewayTransaction.count();
    const b = await load(baselinePort, signedHeaders(`127.0.0.1:${baselinePort}`, org.id, key.id, secret));
    const rowsAfterBaseline = await prisma.gatewayTransaction.count();
    const used = await prisma.key.findUniqueOrThrow({ where: { id: key.id } });
    const ratio = g.rps / b.rps;
    const pass = (ok: boolean) => (ok ? "✅" : "❌");
    const row = (name: string, r: Run, rows: number) =>
      `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.ok} | ${r.non2xx + r.errors} | ${rows} |`;
    return [
      `autocannon (separate process), ${CONNECTIONS} connections, ${SECONDS} s each, loopback; PostgreSQL on the same machine.`,
      "",
      "| Server | req/s | p50 | p99 | 2xx | other/errors | rows written |",
      "|---|---:|---:|---:|---:|---:|---:|",
      row("Gateway (lib/gateway/payments.ts)", g, rowsAfterGateway - rowsBefore),
      row("Baseline (HMAC + insert only)", b, rowsAfterBaseline - rowsAfterGateway),
      "",
      `- Throughput ${g.rps.toFixed(0)} req/s (target ≥ ${TARGET.rps}) ${pass(g.rps >= TARGET.rps)}`,
      `- p99 ${g.p99} ms (target ≤ ${TARGET.p99} ms) ${pass(g.p99 <= TARGET.p99)}`,
      `- ${ratio.toFixed(2)}× the baseline (target ≥ ${TARGET.ratio}×) ${pass(ratio >= TARGET.ratio)}`,
      `- Key use count after the run: ${used.useCount} = transaction rows ${rowsAfterGateway - rowsBefore} ${pass(used.useCount === rowsAfterGateway - rowsBefore)} (autocannon does not count the responses still in flight when it stops)`,
    ].join("\n");
  } finally {
    await new Promise((resolve) => gateway.close(resolve));
    await new Promise((resolve) => baseline.close(resolve));
    await (await import("@/lib/gateway/db")).disconnectGatewayDb();
  }
}
