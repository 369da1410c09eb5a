import { mkdir } from "node:fs/promises";
import net from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * The embedded default database: PGlite (PostgreSQL compiled to WebAssembly) served over
 * the PostgreSQL wire protocol, so the app and the tests use the same adapter-pg path as
 * with a real server. It lives in the launcher process, never inside the Next.js bundle.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedDatabase(opts: {
  dataDir?: string; // undefined: in memory
  port?: number;
  maxConnections?: number;
}): Promise<EmbeddedDatabase> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  // pg_trgm: the migrations install it (trigram indexes for contains-searches of organizations).
  const db = await PGlite.create({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), extensions: { pg_trgm } });
  const host = "127.0.0.1";
  const port = opts.port ?? (await freePort(host));
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: opts.maxConnections ?? 64 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
