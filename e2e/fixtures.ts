import { expect, type Page } from "@playwright/test";

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
