import { generateKeyPair } from "node:crypto";

/**
 * RSA key pairs for issued certificates and the environment CAs. Generation runs in Node's
 * native thread pool (`crypto.generateKeyPair`, async), never on the event loop.
 *
 * A small in-memory pool of pre-generated pairs takes key generation (the slowest step of
 * issuing a P12) off the request path. Pairs live only in this process's memory: never
 * persisted, never logged, and each is handed out once. The pool refills one pair at a
 * time in the background after each take; an empty pool falls back to generating.
 */
export interface RsaKeyPair {
  /** PKCS#1 PEM ("RSA PRIVATE KEY"). */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo PEM ("PUBLIC KEY"). */
  publicKeyPem: string;
}

export const RSA_BITS = 2048;

export function generateRsaKeyPair(bits: number = RSA_BITS): Promise<RsaKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      {
        modulusLength: bits,
        publicExponent: 0x10001,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs1", format: "pem" },
      },
      (err, publicKeyPem, privateKeyPem) => {
        if (err) reject(err);
        else resolve({ privateKeyPem, publicKeyPem });
      },
    );
  });
}

const pool = {
  /** Target size; 0 turns the pool off. `KEYCENTER_KEYPAIR_POOL_SIZE`, default 4. */
  size: Math.max(0, Number(process.env.KEYCENTER_KEYPAIR_POOL_SIZE ?? 4) || 0),
  pairs: [] as RsaKeyPair[],
  /** The running background refill, if any. */
  refilling: null as Promise<void> | null,
  /** Bumped by drain so that a refill started before it stops adding. */
  generation: 0,
};

/** Sets the pool's target size (extra pairs are dropped). Does not start a refill. */
export function configureKeyPairPool(options: { size: number }): void {
  pool.size = Math.max(0, Math.floor(options.size));
  pool.pairs.length = Math.min(pool.pairs.length, pool.size);
}

export function keyPairPoolStats(): { size: number; available: number; refilling: boolean } {
  return { size: pool.size, available: pool.pairs.length, refilling: pool.refilling !== null };
}

/** Fills the pool up to its size, one pair at a time (leaves the other core to requests). */
function refill(): Promise<void> {
  if (pool.refilling) return pool.refilling;
  const generation = pool.generation;
  pool.refilling = (async () => {
    try {
      while (pool.generation === generation && pool.pairs.length < pool.size) {
        const pair = await generateRsaKeyPair();
        if (pool.generation !== generation) break;
        if (pool.pairs.length < pool.size) pool.pairs.push(pair);
      }
    } finally {
      pool.refilling = null;
    }
  })();
  return pool.refilling;
}

function refillInBackground(): void {
  if (pool.pairs.length >= pool.size) return;
  // A failed background refill only means the next take generates inline.
  refill().catch(() => undefined);
}

/** A fresh RSA-2048 key pair: from the pool when it has one, else generated now. */
export async function takeKeyPair(): Promise<RsaKeyPair> {
  const pair = pool.pairs.shift();
  refillInBackground();
  return pair ?? generateRsaKeyPair();
}

/** Fills the pool to its size and waits until it is full (start-up, benchmarks, tests). */
export async function warmKeyPairPool(): Promise<void> {
  while (pool.pairs.length < pool.size) await refill();
}

/** Empties the pool and stops a running refill from adding more; returns how many were dropped. */
export async function drainKeyPairPool(): Promise<number> {
  pool.generation++;
  const dropped = pool.pairs.length;
  pool.pairs.length = 0;
  if (pool.refilling) await pool.refilling.catch(() => undefined);
  return dropped;
}
