/**
 * Soak (issue 13): the served gateway (the app as `npm start` runs it, bench/served.ts) held at
 * half its measured capacity for SOAK_MINUTES (default 10), loopback only, with the same
 * HTTP-signed `POST /pts/v2/payments` as the gateway bench; autocannon in a second process,
 * one run per minute (re-signed each minute: the signature's date is valid 5 minutes).
 * Reports errors, p99 per minute and the server process's RSS per minute.
 * Targets: 0 errors, p99 of the last minute ≤ 1.5× the first, RSS growth < 10 %.
 */
import { load, prepareGateway, type Run, signedHeaders } from "./gateway";

const MINUTES = Math.min(120, Math.max(1, Number(process.env.SOAK_MINUTES ?? 10)));
const MEASURE_SECONDS = Number(process.env.SOAK_CAPACITY_SECONDS ?? 10);

export async function benchSoak(): Promise<string> {
  const { org, key, secret, appEnv, counts } = await prepareGateway("keycenter_bench_soak");
  const { startServedApp } = await import("./served");
  const app = await startServedApp(appEnv);
  const headers = () => signedHeaders(`127.0.0.1:${app.port}`, org.id, key.id, secret);
  try {
    await load(app.port, headers(), { seconds: 3 });
    const capacity = await load(app.port, headers(), { seconds: MEASURE_SECONDS });
    const rate = Math.round(capacity.rps / 2);
    const before = await counts();
    const minutes: (Run & { rssMiB: number })[] = [];
    const rss0 = app.rss() / 2 ** 20;
    for (let m = 0; m < MINUTES; m++) {
      const r = await load(app.port, headers(), { seconds: 60, rate });
      minutes.push({ ...r, rssMiB: app.rss() / 2 ** 20 });
      console.log(
        `  minute ${m + 1}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms, errors ${r.errors + r.non2xx}, RSS ${minutes.at(-1)!.rssMiB.toFixed(0)} MiB`,
      );
    }
    const after = await counts();
    const errors = minutes.reduce((n, r) => n + r.errors + r.non2xx, 0);
    const first = minutes[0]!;
    const last = minutes.at(-1)!;
    const growth = (last.rssMiB - first.rssMiB) / first.rssMiB;
    const pass = (ok: boolean) => (ok ? "✅" : "❌");
    return [
      `Capacity measured first: ${capacity.rps.toFixed(0)} req/s (10 connections, ${MEASURE_SECONDS} s); held at ${rate} req/s for ${MINUTES} min (autocannon -R, 10 connections, one run per minute). RSS of the server process before the soak: ${rss0.toFixed(0)} MiB.`,
      "",
      "| minute | req/s | p50 | p99 | errors + non-2xx | RSS |",
      "|---:|---:|---:|---:|---:|---:|",
      ...minutes.map(
        (r, i) =>
          `| ${i + 1} | ${r.rps.toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.errors + r.non2xx} | ${r.rssMiB.toFixed(0)} MiB |`,
      ),
      "",
      `- Errors: ${errors} (target 0) ${pass(errors === 0)}`,
      `- p99 last minute ${last.p99} ms vs first ${first.p99} ms: ${(last.p99 / first.p99).toFixed(2)}× (target ≤ 1.5×) ${pass(last.p99 <= 1.5 * first.p99)}`,
      `- RSS first → last minute: ${first.rssMiB.toFixed(0)} → ${last.rssMiB.toFixed(0)} MiB (${(growth * 100).toFixed(1)} %, target < 10 %) ${pass(growth < 0.1)}`,
      `- Key use count grew by ${after.useCount - before.useCount} = rows ${after.rows - before.rows} ${pass(after.useCount - before.useCount === after.rows - before.rows)}`,
    ].join("\n");
  } finally {
    await app.stop();
    await (await import("@/lib/gateway/db")).disconnectGatewayDb();
  }
}
