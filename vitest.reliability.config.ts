import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * `npm run test:reliability` (RELIABILITY.md): the fault and scale-out tests. They run their own
 * throwaway PostgreSQL cluster (tests/reliability/cluster.ts), start KeyCenter as `npm start`
 * does (tests/helpers/served-app.ts: a production build, KEYCENTER_DIST_DIR's or .next), and
 * stop and restart both: one file at a time. Not part of `npm run test:unit` (vitest.config.ts
 * includes only tests/unit and tests/integration).
 */
export default defineConfig({
  // The "@" and "server-only" aliases of the unit and integration tests.
  resolve: base.resolve,
  test: {
    name: "reliability",
    include: ["tests/reliability/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/reliability/global-setup.ts"],
    setupFiles: ["tests/reliability/setup.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    // The first file may build the app (a few minutes).
    hookTimeout: 900_000,
    teardownTimeout: 60_000,
  },
});
