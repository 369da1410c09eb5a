import { defineConfig, devices } from "@playwright/test";

// Runs against PLAYWRIGHT_BASE_URL (a deployed test environment) when set; otherwise builds
// and starts KeyCenter itself on a fresh database (scripts/e2e-server.ts).
// Chromium is Debian's (/usr/bin/chromium): Playwright never downloads a browser here.
const external = process.env.PLAYWRIGHT_BASE_URL;
const port = Number(process.env.E2E_PORT ?? 3100);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: external ?? `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
          ],
        },
      },
    },
  ],
  webServer: external
    ? undefined
    : {
        command: "npx tsx scripts/e2e-server.ts",
        url: `http://localhost:${port}/api/health`,
        timeout: 300_000,
        reuseExistingServer: !process.env.CI,
        stdout: "pipe",
        stderr: "pipe",
        env: { PORT: String(port) },
      },
});
