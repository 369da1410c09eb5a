import { defineConfig, devices } from "@playwright/test";

// Runs against PLAYWRIGHT_BASE_URL (a deployed test environment) when set; otherwise builds
// and starts KeyCenter itself on a fresh database (scripts/e2e-server.ts).
// Chromium is Debian's (/usr/bin/chromium): Playwright never downloads a browser here.
const external = process.env.PLAYWRIGHT_BASE_URL;
const port = Number(process.env.E2E_PORT ?? 3100);
// `npm run test:e2e:remote` (E2E_REMOTE=1): QA's regression pack against a deployed instance,
// retried once, with an HTML report and a JUnit file (E2E_REPORT_DIR, default playwright-report/remote).
const remote = process.env.E2E_REMOTE === "1";
if (remote && !external) throw new Error("npm run test:e2e:remote needs PLAYWRIGHT_BASE_URL (the instance to test)");
const reportDir = process.env.E2E_REPORT_DIR ?? "playwright-report/remote";
// Flows tagged @destructive change what other people of a shared instance see and cannot be
// undone; against a deployed instance they run only with E2E_DESTRUCTIVE=1.
const skipDestructive = Boolean(external) && process.env.E2E_DESTRUCTIVE !== "1";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: process.env.CI ? 2 : 2,
  retries: remote ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  grepInvert: skipDestructive ? /@destructive/ : undefined,
  reporter: remote
    ? [
        ["list"],
        ["html", { outputFolder: `${reportDir}/html`, open: "never" }],
        ["junit", { outputFile: `${reportDir}/junit.xml` }],
      ]
    : [["list"]],
  use: {
    baseURL: external ?? `http://localhost:${port}`,
    // Recording a trace of every test more than doubles the suite's time on a 2-core runner
    // (Key Management's default-search flow: 47 s with it, 17 s without), so CI records none;
    // a failure still leaves its screenshot. Locally a failed test keeps its trace.
    trace: process.env.CI ? "off" : "retain-on-failure",
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
