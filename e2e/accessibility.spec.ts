import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { CreateKeyPage, expect, KeyManagementPage, signIn, test, USERS } from "./fixtures";

/**
 * axe on the main pages: no violation of any impact (every rule axe runs by default, WCAG 2.x
 * A/AA and best practices). Each page is checked once its content is there; a failure lists
 * every page's violations (soft assertions), each with the elements it found.
 */
async function expectAccessible(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 5)
        .map((n) => n.target.join(" "))
        .join(" | ")}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ""}`,
  );
  expect.soft(found, `axe violations on ${name}`).toEqual([]);
}

// axe analyses every page in full (2–3 s a page on a quiet 2-core runner, three times that when
// it is busy): each test below checks several pages, so each has two minutes.
test.describe.configure({ timeout: 120_000 });

/** Opens `path` and waits for its main heading. */
async function open(page: Page, path: string, heading: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
}

test("the sign-in page has no axe violations", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page, "Sign in");
});

test("a merchant administrator's pages have no axe violations", async ({ page }) => {
  await signIn(page, USERS.merchant);

  await open(page, "/dashboard", "Dashboard");
  await expectAccessible(page, "Dashboard");

  // Create Key, then its result.
  await open(page, "/keys/new", "Create Key");
  await expectAccessible(page, "Create Key");
  const { keyId } = await new CreateKeyPage(page).createSharedSecret();
  await expectAccessible(page, "Create Key (the new key)");

  await new KeyManagementPage(page).goto({ expiresIn: "all" });
  await expect(page.getByRole("table").locator("tbody tr").first()).toBeVisible();
  await expectAccessible(page, "Key Management (search results)");

  await open(page, `/keys/${encodeURIComponent(keyId)}`, "Key Information");
  await expectAccessible(page, "Key Information");
});

test("a merchant administrator's Live Console and Transactions have no axe violations", async ({ page }) => {
  await signIn(page, USERS.merchant);
  const { keyId, secret } = await new CreateKeyPage(page).createSharedSecret();

  // Live Console with a response, so that Transactions lists a payment.
  await open(page, "/live-console", "Live Console");
  await expectAccessible(page, "Live Console");
  await page.getByLabel("Key", { exact: true }).fill(keyId);
  await page.getByLabel("Shared Secret").fill(secret);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response-status")).toContainText("201");
  await expectAccessible(page, "Live Console (response)");

  // Transactions is checked with the payment just sent in its table.
  await open(page, "/transactions", "Transactions");
  await expect(page.getByRole("table").locator("tbody tr").first()).toBeVisible();
  await expectAccessible(page, "Transactions");
});

test("a merchant administrator's other pages (Audit, Users, Roles, Reports, Settings…) have no axe violations", async ({
  page,
}) => {
  await signIn(page, USERS.merchant);
  // Audit is checked with rows in its table (the sign-in is one).
  for (const [path, heading, rows] of [
    ["/audit", "Audit", true],
    ["/users", "Users", false],
    ["/roles", "Roles", false],
    ["/reports", "Reports", false],
    ["/notifications", "Notifications", false],
    ["/settings", "Settings", false],
    ["/account/security", "Security", false],
  ] as const) {
    await open(page, path, heading);
    if (rows) await expect(page.getByRole("table").locator("tbody tr").first()).toBeVisible();
    await expectAccessible(page, heading);
  }
});

test("a portfolio administrator's pages (Switch merchant, Merchant filter, meta keys) have no axe violations", async ({
  page,
}) => {
  // The header with Switch merchant, and Search Filters with the Merchant field.
  await signIn(page, USERS.portfolio);
  await open(page, "/dashboard", "Dashboard");
  await expectAccessible(page, "Dashboard (portfolio)");
  await new KeyManagementPage(page).goto({ expiresIn: "all" });
  await expect(page.getByRole("table").locator("tbody tr").first()).toBeVisible();
  await expectAccessible(page, "Key Management (portfolio)");

  // The demo data's meta key: Key Information and Edit Key (nothing is changed).
  await new KeyManagementPage(page).goto({ expiresIn: "all", type: "REST_SHARED_SECRET" });
  const metaKey = page.getByRole("table").locator("tbody tr").filter({ hasText: "Portfolio meta key" }).first();
  await metaKey.locator("td:first-child").getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Key Information", level: 1 })).toBeVisible();
  await expectAccessible(page, "Key Information (meta key)");
  await page.getByRole("link", { name: "Edit Key" }).click();
  await expect(page.getByRole("heading", { name: "Edit Key", level: 1 })).toBeVisible();
  await expectAccessible(page, "Edit Key");

  await open(page, "/settings", "Settings");
  await expectAccessible(page, "Settings (portfolio)");

  // Create Key's meta-key steps: the Key options window, then Add Custom Merchant IDs (nothing is created).
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  const options = page.getByRole("dialog", { name: "Key options" });
  await expect(options).toBeVisible();
  await expectAccessible(page, "Create Key: Key options");
  // A portfolio's REST – Shared Secret is always a meta key: the box is checked and fixed.
  await expect(options.getByLabel("Create as a Meta-Key")).toBeChecked();
  await expect(options.getByLabel("Create as a Meta-Key")).toBeDisabled();
  await options.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel("Custom Merchant ID selection").check();
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("button", { name: "+ Add custom merchant ids" }).click();
  const picker = page.getByRole("dialog", { name: "Add Custom Merchant IDs" });
  await expect(picker.getByRole("checkbox", { name: "Select merchant12378" })).toBeVisible();
  await expectAccessible(page, "Create Key: Add Custom Merchant IDs");
});
