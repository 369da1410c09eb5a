import { expect, signIn, test, USERS } from "./fixtures";

test("redirects a signed-out visitor to sign-in", async ({ page }) => {
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a portfolio admin signs in and sees the shell", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByText("Payment Configuration")).toBeVisible();
  await expect(nav.getByRole("link", { name: "Key Management" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Transactions" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Roles" })).toBeVisible();
  await expect(page.getByRole("status", { name: "Environment: Test" })).toBeVisible();
  await expect(page.getByTestId("acting-org")).toHaveText("portfolioabc");
});

test("a wrong password gets a message that does not say which field was wrong", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(USERS.merchant);
  await page.getByLabel("Password").fill("definitely-wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The email or password is not correct." })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByLabel("Email")).toHaveValue(USERS.merchant);
});

test("empty fields get their messages next to the fields", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your email.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a portfolio user switches to merchant12378 with Quick Merchant Switch", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  await page.getByRole("button", { name: "Switch merchant" }).click();
  const dialog = page.getByRole("dialog", { name: "Quick Merchant Switch" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Search merchant ID").fill("12378");
  await dialog.getByRole("radio", { name: /merchant12378/ }).check();
  await dialog.getByRole("button", { name: "Switch" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("acting-org")).toHaveText("merchant12378");
  // The choice lives in the server-side session: it survives a reload.
  await page.reload();
  await expect(page.getByTestId("acting-org")).toHaveText("merchant12378");
});

test("a merchant user has no Switch merchant", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await expect(page.getByTestId("acting-org")).toHaveText("merchant12378");
  await expect(page.getByRole("button", { name: "Switch merchant" })).toHaveCount(0);
});

test("a view-only user is refused a page its role does not include", async ({ page }) => {
  await signIn(page, USERS.viewer);
  const response = await page.goto("/roles");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have permission to open this page" })).toBeVisible();
});

test("health reports the app and the database", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
});
