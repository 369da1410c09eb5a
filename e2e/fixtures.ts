/**
 * What every flow shares: the demo users (or E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD), signing in,
 * the instance's switches (/api/info), unique names, and the page objects of e2e/pages/.
 *
 * Every flow makes its own data (keys, users, roles with unique names) and asserts only on
 * that data, so the pack passes against a test environment that others use, run after run.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import type { InstanceInfo } from "../lib/info";
import { Gpg } from "../tests/helpers/gpg";
import { DEMO_PASSWORD, SignInPage, waitForHydrationOfApp } from "./pages";

export * from "./pages";

/**
 * The demo users (README, "Demo users"). E2E_ADMIN_EMAIL (with E2E_ADMIN_PASSWORD) stands in
 * for the portfolio administrator: an Administrator of portfolioabc on the instance under test.
 */
export const USERS = {
  portfolio: process.env.E2E_ADMIN_EMAIL ?? "portfolio.admin@keycenter.test",
  account: "account.admin@keycenter.test",
  merchant: "merchant.admin@keycenter.test",
  viewer: "merchant.viewer@keycenter.test",
} as const;

/** The demo users' password, or E2E_ADMIN_PASSWORD for E2E_ADMIN_EMAIL. */
function passwordFor(email: string): string {
  if (process.env.E2E_ADMIN_EMAIL && email === process.env.E2E_ADMIN_EMAIL && process.env.E2E_ADMIN_PASSWORD) {
    return process.env.E2E_ADMIN_PASSWORD;
  }
  return process.env.E2E_DEMO_PASSWORD ?? DEMO_PASSWORD;
}

/** Signs in through the sign-in page and waits for the portal shell. */
export async function signIn(page: Page, email: string, password = passwordFor(email)) {
  await new SignInPage(page).signIn(email, password);
}

/** Quick Merchant Switch: act for `orgId`, found by typing `search` (default: the ID itself). */
export async function switchMerchant(page: Page, orgId: string, search = orgId) {
  await page.getByRole("button", { name: "Switch merchant" }).click();
  const switcher = page.getByRole("dialog", { name: "Quick Merchant Switch" });
  await switcher.getByLabel("Search merchant ID").fill(search);
  await switcher.getByRole("radio", { name: new RegExp(orgId) }).check();
  await switcher.getByRole("button", { name: "Switch" }).click();
  await expect(page.getByTestId("acting-org")).toHaveText(orgId);
}

/** Switch to Production in the header, confirmed in its window (Production is live: the switch asks first). */
export async function switchToProduction(page: Page) {
  const header = page.getByRole("banner");
  await header.getByRole("button", { name: "Switch to Production" }).click();
  await page
    .getByRole("alertdialog", { name: "Switch to Production" })
    .getByRole("button", { name: "Switch to Production" })
    .click();
  await expect(header.getByRole("status", { name: "Environment: Production" })).toHaveText("Production");
}

/** The log of the server Playwright started (scripts/e2e-server.ts), or null against a deployed one. */
export function serverLog(): string | null {
  if (process.env.PLAYWRIGHT_BASE_URL) return null;
  const file = path.resolve(".data", `e2e-${process.env.E2E_PORT ?? "3100"}.log`);
  // The server Playwright started always writes it: a missing log is a broken check, not a pass.
  if (!existsSync(file)) throw new Error(`no server log at ${file}`);
  return readFileSync(file, "utf8");
}

/** Whether the pack runs against a deployed instance (PLAYWRIGHT_BASE_URL) rather than one it started. */
export const REMOTE = Boolean(process.env.PLAYWRIGHT_BASE_URL);

/** A name no other run (nor another test of this run) uses: `<prefix> <time><random>`. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** An email address no other run uses. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@keycenter.test`;
}

/**
 * A GnuPG RSA-2048 public key (sign + encrypt subkey) that expires in `days` days: KeyCenter
 * takes a PGP key's expiry from the key, so a flow can make a key expiring when it needs.
 */
export function pgpPublicKey(uid: string, days: number | "2y" = "2y"): string {
  const gpg = new Gpg();
  try {
    const expire = typeof days === "number" ? `${days}d` : days;
    const fpr = gpg.genKey(uid, "rsa2048", "sign", expire);
    gpg.addKey(fpr, "rsa2048", "encr", expire);
    return gpg.exportPublic(fpr);
  } finally {
    gpg.cleanup();
  }
}

export const test = base.extend<{ info: InstanceInfo }>({
  /** The page, whose goto to a KeyCenter page returns once React has hydrated it (a click before that is lost). */
  page: async ({ page }, provide) => {
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      if (response?.headers()["content-type"]?.startsWith("text/html")) await waitForHydrationOfApp(page);
      return response;
    };
    await provide(page);
  },
  /** GET /api/info of the instance under test: its mode and the switches a flow depends on. */
  info: async ({ request }, provide) => {
    const response = await request.get("/api/info");
    expect(response.status()).toBe(200);
    await provide((await response.json()) as InstanceInfo);
  },
});
export { expect };
