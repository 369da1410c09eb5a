import { type Browser, type Page } from "@playwright/test";
import { generate } from "otplib";
/** lib/auth/sign-in.ts MAX_FAILED_SIGN_INS (not imported: that module opens the database). */
const MAX_FAILED_SIGN_INS = 5;
import { e2eDatabaseUrl as databaseUrl, e2eSql as sql } from "./database";
import { acceptInvitation, expect, invitationLink, signIn, test, USERS } from "./fixtures";

const PASSWORD = "Welcome-to-KeyCenter-9";
const run = Date.now().toString(36);
const emailOf = (name: string) => `${name}.${run}@keycenter.test`;

/** An administrator of `org` created through Users (portfolio admin), so no demo user is touched. */
async function createAdmin(browser: Browser, email: string, org = "merchant12378") {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, USERS.portfolio);
  await page.goto("/users/new");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name").fill(email.split("@")[0]!);
  await page.getByLabel("Organization").selectOption(org);
  await page.getByLabel("Role").selectOption({ label: "Administrator" });
  await page.getByRole("button", { name: "Create user" }).click();
  await acceptInvitation(browser, await invitationLink(page), PASSWORD);
  await page.context().close();
}

/** Enrolls TOTP on the Security page; returns the secret the page showed. */
async function enroll(page: Page): Promise<string> {
  await page.getByRole("link", { name: "Security", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Security", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-step verification" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("Authentication code").fill(await generate({ secret }));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Two-step verification is on." })).toBeVisible();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

async function enterPassword(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a person enrolls TOTP with the QR code's key, then signs in with password and code", async ({ browser }) => {
  const email = emailOf("totp");
  await createAdmin(browser, email);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, PASSWORD);
  const secret = await enroll(page);
  await expect(page.getByText("of 10 recovery codes left")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  await enterPassword(page, email);
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  // The password alone opens nothing.
  const other = await page.context().newPage();
  await other.goto("/dashboard");
  await expect(other).toHaveURL(/\/sign-in$/);
  await other.close();

  // The enrollment code's time step is spent; the app's next code is within the drift allowed.
  await page
    .getByLabel("Authentication code")
    .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test(`wrong authentication codes lock the account after ${MAX_FAILED_SIGN_INS} tries`, async ({ browser }) => {
  const email = emailOf("lockout");
  await createAdmin(browser, email);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, PASSWORD);
  await enroll(page);
  await page.getByRole("button", { name: "Sign out" }).click();

  await enterPassword(page, email);
  for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) {
    await page.getByLabel("Authentication code").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByText("That code is not correct.")).toBeVisible();
  }
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "This account is locked" })).toBeVisible();
  await enterPassword(page, email);
  await expect(page.getByRole("alert").filter({ hasText: "This account is locked" })).toBeVisible();
  await expect(page.getByLabel("Authentication code")).toHaveCount(0);
});

test("a sensitive change asks to confirm it's you when the last sign-in is over 5 minutes old", async ({ browser }) => {
  test.skip(!databaseUrl(), "needs the e2e server's database to age the session");
  const email = emailOf("stepup");
  await createAdmin(browser, email, "merchant12379");
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, PASSWORD);
  await sql(
    `UPDATE sessions SET "verifiedAt" = now() - interval '10 minutes' WHERE "userId" = (SELECT id FROM users WHERE email = $1)`,
    [email],
  );
  const roleName = `Step-up ${run}`;
  await page.goto("/roles/new");
  await page.getByLabel("Role name").fill(roleName);
  await page.getByRole("button", { name: "Save" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Password").fill("not-my-password");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByText("That password is not correct.")).toBeVisible();
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("heading", { name: "Edit User Role" })).toBeVisible();
  await expect(page.getByLabel("Role name")).toHaveValue(roleName);
});

test("a person ends another of their sessions from the Security page", async ({ browser }) => {
  const email = emailOf("sessions");
  await createAdmin(browser, email);
  const laptop = await (await browser.newContext()).newPage();
  const phone = await (await browser.newContext({ userAgent: "KeyCenter phone e2e" })).newPage();
  await signIn(laptop, email, PASSWORD);
  await signIn(phone, email, PASSWORD);

  await laptop.getByRole("link", { name: "Security", exact: true }).click();
  const rows = laptop.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "This session" })).toHaveCount(1);
  const phoneRow = rows.filter({ hasText: "KeyCenter phone e2e" });
  await expect(phoneRow).not.toContainText("This session");
  await phoneRow.getByRole("button", { name: /End session/ }).click();
  await expect(rows).toHaveCount(1);

  await phone.reload();
  await expect(phone).toHaveURL(/\/sign-in$/);
  await laptop.reload();
  await expect(laptop.getByRole("heading", { name: "Security", level: 1 })).toBeVisible();
});
