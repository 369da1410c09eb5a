import pg from "pg";
import { migrate } from "@/lib/db-admin/migrate";

/**
 * A separate database for benchmarks on the server named by BENCH_DATABASE_URL or
 * DATABASE_URL (dropped and created anew). Never the app's own database.
 */
export async function freshBenchDatabase(name = "keycenter_bench"): Promise<string> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!server) {
    throw new Error(
      "Benchmarks need a real PostgreSQL: set BENCH_DATABASE_URL or DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres).",
    );
  }
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  await migrate(u.toString());
  return u.toString();
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarize(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
}

export const ms = (n: number) => `${n.toFixed(2)} ms`;
