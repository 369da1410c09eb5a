import { defineConfig } from "@playwright/test";
import suite from "../playwright.config";
import { TEST_HOSTS } from "./environment";

/** The main suite's Chromium (Debian's, with its flags), which also maps the test names to 127.0.0.1. */
const chromium = suite.projects?.find((p) => p.name === "chromium")?.use ?? {};

// `npm run test:deploy`: KeyCenter deployed behind Caddy with TLS, and on plain http
// (global-setup.ts starts both and Caddy, and stops them after).
export default defineConfig({
  testDir: ".",
  globalSetup: "./global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  globalTimeout: 900_000, // the build included, when there is none yet
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "../test-results/deploy",
  use: {
    // Caddy's internal CA is not in Chromium's store; the SDK, in its own process, does trust it.
    ignoreHTTPSErrors: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...chromium,
        launchOptions: {
          ...chromium.launchOptions,
          args: [
            ...(chromium.launchOptions?.args ?? []),
            `--host-resolver-rules=${TEST_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(", ")}`,
          ],
        },
      },
    },
  ],
});
