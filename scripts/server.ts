/**
 * The server process that `npm start` (scripts/start.ts) runs: Next.js behind lib/http/server.ts
 * on PORT (default 3000), on HOSTNAME when set (else every interface). `--dev`: `next dev`
 * (the machine endpoints then go through Next.js too, so edits to them hot-reload, unless
 * KEYCENTER_DIRECT=1). The launcher has set DATABASE_URL, the secrets and NODE_ENV.
 */
export {};

const dev = process.argv.includes("--dev");
// As `next start` / `next dev` do; before anything reads it (lib/db.ts does at import).
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME || undefined;
const direct = process.env.KEYCENTER_DIRECT ? process.env.KEYCENTER_DIRECT === "1" : !dev;
const shown = `http://${hostname ?? "localhost"}:${port}`;
console.log(
  `Starting Next.js (${dev ? "development" : "production"}) on ${shown}` +
    (direct ? "; the gateway's machine endpoints answered directly (lib/http/server.ts)" : ""),
);
const { serve, shutdown, shutdownGraceMs } = await import("@/lib/http/server");
const server = await serve({ dev, port, hostname, direct });
console.log(`Ready on ${shown} (pid ${process.pid})`);

// Graceful shutdown (lib/http/server.ts), bounded: the grace for requests in flight, then a few seconds to close.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.log("Shutting down: finishing the requests in flight");
  setTimeout(() => process.exit(1), shutdownGraceMs() + 10_000).unref();
  void shutdown(server).then(({ abandoned }) => {
    console.log(abandoned ? `Stopped (${abandoned} request(s) cut short)` : "Stopped");
    process.exit(0);
  });
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
