/**
 * Graceful shutdown: SIGTERM to `npm start` (the launcher, scripts/start.ts) is passed on to the
 * server, which stops taking new requests, finishes the one in flight (its 201 and its row),
 * and exits 0 with its pools closed (no connection of its left on the database).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { type ServedApp, startServedApp } from "../helpers/served-app";
import { get, type Secret, seedWithKey, sleep, slowPay, until } from "./support";

let app: ServedApp;
let key: Secret;

async function appConnections(): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
      AND backend_type = 'client backend'`;
  return Number(row!.n);
}

describe("graceful shutdown (SIGTERM)", () => {
  beforeAll(async () => {
    key = await seedWithKey();
    app = await startServedApp({ env: { KEYCENTER_SHUTDOWN_GRACE_MS: "8000", KEYCENTER_ALERTS: "1" } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("npm start passes SIGTERM on: the request in flight finishes (201, recorded), new ones are refused, exit 0, pools closed", async () => {
    // Warm: the pools hold connections.
    await until(`${app.base}/api/health`);
    await prisma.$disconnect();
    await prisma.$connect();
    expect(await appConnections()).toBeGreaterThan(0);

    let signalled = 0;
    const inFlight = slowPay(app.base, key, 1_500, () => {
      signalled = Date.now();
      process.kill(app.pid, "SIGTERM"); // the launcher only: it must pass it on
    });
    // The server got it from the launcher.
    const deadline = Date.now() + 5_000;
    while (!/Shutting down/.test(app.output()) && Date.now() < deadline) await sleep(20);
    expect(app.output()).toMatch(/Shutting down/);
    // Mid-shutdown: a new connection is not taken.
    const refused = await get(`${app.base}/api/health`, {}, 3_000);
    expect(refused.status).toBe(0);
    expect(refused.error).toBeDefined();

    const answer = await inFlight;
    expect(answer.status).toBe(201);
    expect(answer.connection).toBe("close");
    const id = (JSON.parse(answer.body) as { id: string }).id;
    expect(await prisma.gatewayTransaction.count({ where: { id } })).toBe(1);

    const code = await Promise.race([app.exited, sleep(20_000).then(() => "timeout")]);
    expect(code).toBe(0);
    const tookMs = Date.now() - signalled;
    expect(tookMs).toBeLessThan(15_000);
    expect(app.output()).toMatch(/Stopped\b/);
    expect(app.output()).not.toMatch(/cut short/);
    expect(await appConnections()).toBe(0);
    console.log(app.output().split("\n").filter((l) => /shut down|Stopped|Shutting/.test(l)).join("\n"));
    console.log(`graceful shutdown: SIGTERM → exit 0 in ${tookMs} ms, the in-flight payment answered 201 and recorded`);
  });
});
