import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "KeyCenter-demo-1";
export const USERS = {
  portfolio: "portfolio.admin@keycenter.test",
  account: "account.admin@keycenter.test",
  merchant: "merchant.admin@keycenter.test",
  viewer: "merchant.viewer@keycenter.test",
} as const;

/** Signs in through the sign-in page and waits for the portal shell. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/** After Create user: the invitation link the page shows once (its path: the server names its own host). */
export async function invitationLink(admin: Page): Promise<string> {
  const link = admin.getByRole("status", { name: "Invitation link", exact: true });
  await expect(link).toContainText("/invite/");
  return new URL((await link.textContent())!.trim()).pathname;
}

/** The invited person opens the link in a browser of their own and chooses their password. */
export async function acceptInvitation(browser: Browser, link: string, password: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page.getByText("Your password is set.")).toBeVisible();
  await page.context().close();
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

/** The log of the server Playwright started (scripts/e2e-server.ts), or null against a deployed one. */
export function serverLog(): string | null {
  if (process.env.PLAYWRIGHT_BASE_URL) return null;
  const file = path.resolve(".data", `e2e-${process.env.E2E_PORT ?? "3100"}.log`);
  // The server Playwright started always writes it: a missing log is a broken check, not a pass.
  if (!existsSync(file)) throw new Error(`no server log at ${file}`);
  return readFileSync(file, "utf8");
}
