import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What Next.js's server sets up before any of its modules load (next/dist/server/
 * node-environment-baseline.js): AsyncLocalStorage on globalThis. lib/http/server.ts imports
 * this first, because the direct path's modules load `next/headers` (through lib/auth/session)
 * before Next.js's server is loaded, and `next/headers` needs it at import.
 */
const g = globalThis as { AsyncLocalStorage?: unknown };
if (typeof g.AsyncLocalStorage !== "function") g.AsyncLocalStorage = AsyncLocalStorage;
