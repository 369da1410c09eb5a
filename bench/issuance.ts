import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { environmentCredentials } from "@/lib/crypto/environment";
import { configureKeyPairPool, drainKeyPairPool, generateRsaKeyPair, warmKeyPairPool } from "@/lib/crypto/keypair";
import { prisma } from "@/lib/db";
import { createCertificateKey } from "@/lib/keys/certificate-keys";
import type { ServiceContext as KeyServiceContext } from "@/lib/context";
import { percentile } from "./bench-db";

/**
 * P12 issuance server time: key pair + certificate + PKCS#12 + the Key row and its audit
 * record, as `createCertificateKey` does it for Download key → Generate key.
 *
 * Needs DATABASE_URL set (before lib/db.ts is imported) to a migrated database with at
 * least one merchant org and one user (the demo seed, e.g. on `freshBenchDatabase()` from
 * ./bench-db). It writes `runs * 2` REST – Certificate keys and their audit records for
 * that merchant, so use a scratch database. The TEST environment's CA is created first if
 * missing (timed apart, as `caFirstUseMs`).
 */
export interface Stats {
  n: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
}

export interface IssuanceBenchResult {
  /** Pool pre-filled with `runs` pairs (refilling in the background as it would in production). */
  poolWarm: Stats;
  /** Pool off: every issuance generates its key pair inline. */
  poolEmpty: Stats;
  /** Key pair generation alone (native, async). */
  keygen: Stats;
  /** One shot of `openssl req -x509 -newkey rsa:2048 ... && openssl pkcs12 -export ...`, for comparison. */
  openssl: Stats;
  caFirstUseMs: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    meanMs: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    minMs: round(sorted[0]!),
    maxMs: round(sorted[sorted.length - 1]!),
  };
}

async function timed(runs: number, fn: () => Promise<unknown> | unknown): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

async function benchContext(): Promise<KeyServiceContext> {
  const org = await prisma.organization.findFirst({ where: { type: "MERCHANT" }, orderBy: { id: "asc" } });
  const user = await prisma.user.findFirst({ orderBy: { email: "asc" } });
  if (!org || !user) throw new Error("benchIssuance needs a seeded database (a merchant org and a user).");
  return {
    actor: { actorId: user.id, actorEmail: user.email, ip: null, userAgent: "bench/issuance" },
    org,
    environment: "TEST",
  };
}

export async function benchIssuance(options: { runs?: number } = {}): Promise<IssuanceBenchResult> {
  const runs = options.runs ?? 50;
  const password = "Bench-Password-2026";
  const ctx = await benchContext();
  const issue = () => createCertificateKey({ ctx, type: "REST_CERTIFICATE", password, name: "bench" });

  const c0 = performance.now();
  await environmentCredentials("TEST");
  const caFirstUseMs = Math.round(performance.now() - c0);

  await drainKeyPairPool();
  configureKeyPairPool({ size: runs });
  await warmKeyPairPool();
  const poolWarm = await timed(runs, issue);

  await drainKeyPairPool();
  configureKeyPairPool({ size: 0 });
  const poolEmpty = await timed(runs, issue);
  const keygen = await timed(runs, () => generateRsaKeyPair());

  const dir = mkdtempSync(path.join(tmpdir(), "kc-bench-"));
  const script =
    "openssl req -x509 -newkey rsa:2048 -keyout k.pem -out c.pem -nodes -days 1095 -subj /CN=merchant12378 2>/dev/null" +
    ` && openssl pkcs12 -export -inkey k.pem -in c.pem -out o.p12 -passout pass:${password}`;
  const openssl = await timed(runs, () => {
    const r = spawnSync("bash", ["-c", script], { cwd: dir });
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  });
  rmSync(dir, { recursive: true, force: true });

  return { poolWarm, poolEmpty, keygen, openssl, caFirstUseMs };
}

/** The result as a Markdown table, like the other benchmarks print. */
export function issuanceMarkdown(r: IssuanceBenchResult): string {
  const row = (name: string, s: Stats) => `| ${name} | ${s.n} | ${s.p50Ms} | ${s.p95Ms} | ${s.meanMs} | ${s.maxMs} |`;
  return [
    "| P12 issuance (server time) | n | p50 ms | p95 ms | mean ms | max ms |",
    "|---|---|---|---|---|---|",
    row("KeyCenter, key pair pool warm", r.poolWarm),
    row("KeyCenter, key pair pool empty", r.poolEmpty),
    row("RSA-2048 key generation alone", r.keygen),
    row("openssl req -x509 -newkey rsa:2048 && openssl pkcs12 -export", r.openssl),
    "",
    `Environment CA first use (root, issuing and gateway MLE keys): ${r.caFirstUseMs} ms.`,
  ].join("\n");
}
