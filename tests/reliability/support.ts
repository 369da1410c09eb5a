/**
 * What the reliability tests share: a merchant with a shared-secret key, payments signed as the
 * SDK signs them (HTTP Signature, lib/gateway/client.ts's signer) sent over loopback with a
 * deadline, and a small load driver that counts what it got.
 */
import { request as httpRequest } from "node:http";
import { prisma } from "@/lib/db";
import { signHttpSignature } from "@/lib/gateway/client";
import { createSharedSecretKey } from "@/lib/keys/secret-keys";
import { seed, serviceContext } from "../helpers/fixtures";

export const MERCHANT = "merchant12378";
export const PAYMENT = {
  clientReferenceInformation: { code: "reliability" },
  paymentInformation: { card: { number: "4111111111111111", expirationMonth: "12", expirationYear: "2031" } },
  orderInformation: { amountDetails: { totalAmount: "10.00", currency: "USD" } },
};

export interface Secret {
  id: string;
  secret: string;
}

/** The demo data, and a new shared-secret key of merchant12378. */
export async function seedWithKey(): Promise<Secret> {
  await seed();
  return newKey();
}

export async function newKey(merchant = MERCHANT): Promise<Secret> {
  const s = await createSharedSecretKey({ ctx: await serviceContext(merchant) });
  return { id: s.key.id, secret: s.secret };
}

export interface Answer {
  status: number;
  body: string;
  ms: number;
  /** The gateway's request ID (id of the transaction row) of a 201. */
  id?: string;
  error?: string;
}

export interface PayOptions {
  timeoutMs?: number;
  /** The MID the payment is for (default merchant12378). */
  merchant?: string;
  /** A meta key's owner: it signs for `merchant`. */
  metaKeyOwner?: string;
  /** More headers (X-Forwarded-For…). */
  headers?: Record<string, string>;
}

/** A payment to `base` (http://127.0.0.1:port) signed with `key`; status 0 when it failed or passed the timeout. */
export async function pay(base: string, key: Secret, opts: PayOptions = {}): Promise<Answer> {
  const req = signHttpSignature({
    host: new URL(base).host,
    path: "/pts/v2/payments",
    body: JSON.stringify(PAYMENT),
    merchantId: opts.merchant ?? MERCHANT,
    metaKeyOwner: opts.metaKeyOwner,
    keyId: key.id,
    sharedSecret: key.secret,
  });
  return send(base, req, opts);
}

/** Sends a request signed by lib/gateway/client.ts's signers. */
export function send(
  base: string,
  req: { path: string; body: string; headers: Record<string, string> },
  opts: Pick<PayOptions, "timeoutMs" | "headers"> = {},
): Promise<Answer> {
  return timed(() =>
    fetch(`${base}${req.path}`, {
      method: "POST",
      headers: { ...req.headers, ...opts.headers },
      body: req.body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    }),
  );
}

/** A GET with a deadline (status 0: failed or timed out). */
export function get(url: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<Answer> {
  return timed(() => fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) }));
}

async function timed(send: () => Promise<Response>): Promise<Answer> {
  const started = performance.now();
  try {
    const r = await send();
    const body = await r.text();
    let id: string | undefined;
    if (r.status === 201) id = (JSON.parse(body) as { id?: string }).id;
    return { status: r.status, body, ms: performance.now() - started, id };
  } catch (e) {
    return { status: 0, body: "", ms: performance.now() - started, error: (e as Error).message };
  }
}

/**
 * A payment whose body is sent in two halves `gapMs` apart (Content-Length set): in flight on
 * the server for that long. `between` runs after the first half is sent.
 */
export function slowPay(
  base: string,
  key: Secret,
  gapMs: number,
  between: () => void,
): Promise<{ status: number; body: string; connection: string | undefined }> {
  const url = new URL(base);
  const req = signHttpSignature({
    host: url.host,
    path: "/pts/v2/payments",
    body: JSON.stringify(PAYMENT),
    merchantId: MERCHANT,
    keyId: key.id,
    sharedSecret: key.secret,
  });
  const bytes = Buffer.from(req.body);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: req.path,
        headers: { ...req.headers, "content-length": String(bytes.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            connection: res.headers.connection,
          }),
        );
      },
    );
    r.on("error", reject);
    r.write(bytes.subarray(0, 10));
    setTimeout(() => {
      between();
      setTimeout(() => r.end(bytes.subarray(10)), gapMs);
    }, 100);
  });
}

/** The IDs among `ids` that have no gateway_transactions row. */
export async function missingRows(ids: string[]): Promise<string[]> {
  const found = new Set(
    (await prisma.gatewayTransaction.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((r) => r.id),
  );
  return ids.filter((id) => !found.has(id));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `url` until it answers `status` (the first requests of a fresh process load its code). */
export async function until(url: string, status = 200, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await get(url, {}, 10_000);
    if (r.status === status) return;
    if (Date.now() > deadline) throw new Error(`${url}: ${r.status} ${r.error ?? r.body.slice(0, 200)}, not ${status}`);
    await sleep(250);
  }
}
