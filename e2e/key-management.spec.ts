import { expect, test, type Page } from "@playwright/test";
import { signIn, USERS } from "./fixtures";

const results = (page: Page) => page.getByRole("table");
const nameCells = (page: Page) => results(page).locator("tbody tr td:nth-child(2)");

async function openKeyManagement(page: Page, email: string = USERS.merchant) {
  await signIn(page, email);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Key Management" }).click();
  await expect(page.getByRole("heading", { name: "Key Management" })).toBeVisible();
}

test.describe("Search for Keys Using Filters", () => {
  test("the default search shows the guide's defaults", async ({ page }) => {
    await openKeyManagement(page);
    await expect(page.getByLabel("Created At")).toHaveValue("all");
    await expect(page.getByLabel("Expires In")).toHaveValue("next60");
    await expect(page.getByLabel("Key Status")).toHaveValue("all");
    await expect(page.getByLabel("Key Type")).toHaveValue("ALL");
    await expect(page.getByLabel("Number of Records Per Page")).toHaveValue("25");
    await expect(page.getByLabel("Sort Order")).toHaveValue("expiring_soon");
    await expect(page.getByLabel("Sort Order").locator("option:checked")).toHaveText("Expiring Soon");
    await expect(nameCells(page)).toHaveText([
      "Checkout API certificate",
      "Simple Order certificate",
      "Webhooks shared secret",
    ]);
  });

  test("Key Type All leaves out PGP and Secure Acceptance keys; choosing PGP finds them", async ({ page }) => {
    await openKeyManagement(page);
    await expect(nameCells(page)).not.toContainText(["Reports PGP key"]);
    await expect(results(page)).not.toContainText("Hosted checkout");
    await page.getByLabel("Key Type").selectOption({ label: "PGP" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect(nameCells(page)).toHaveText(["Reports PGP key"]);
    await page.getByLabel("Key Type").selectOption({ label: "Secure Acceptance" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect(nameCells(page)).toHaveText(["Hosted checkout"]);
  });

  test("Expires In hides a key expiring in 90 days until Custom Date covers it", async ({ page }) => {
    await openKeyManagement(page);
    await expect(results(page)).not.toContainText("Reporting shared secret");
    await page.getByLabel("Expires In").selectOption({ label: "Custom Date" });
    const range = page.getByRole("group", { name: "Expires In: Custom Date" });
    const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    await range.getByLabel("Start Date").fill(inDays(80));
    await range.getByLabel("End Date").fill(inDays(100));
    await page.getByRole("button", { name: "Search" }).click();
    await expect(nameCells(page)).toHaveText(["Reporting shared secret"]);
  });

  test("Key ID finds one key, and the URL reproduces the search", async ({ page }) => {
    await openKeyManagement(page);
    const keyId = (await results(page).locator("tbody tr").first().getByRole("link").textContent())!;
    await page.getByLabel("Key ID").fill(keyId);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(results(page).locator("tbody tr")).toHaveCount(1);
    await expect(results(page).getByRole("link", { name: keyId })).toBeVisible();
    const url = page.url();
    expect(url).toContain(`keyId=${keyId}`);
    await page.goto("/dashboard");
    await page.goto(url);
    await expect(page.getByLabel("Key ID")).toHaveValue(keyId);
    await expect(results(page).locator("tbody tr")).toHaveCount(1);
  });

  test("Sort Order changes the order and Reset Search restores the defaults", async ({ page }) => {
    await openKeyManagement(page);
    await page.getByLabel("Sort Order").selectOption({ label: "Expiring Last" });
    await page.getByLabel("Key Status").selectOption({ label: "Active" });
    await page.getByRole("button", { name: "Search" }).click();
    await expect(nameCells(page)).toHaveText([
      "Webhooks shared secret",
      "Simple Order certificate",
      "Checkout API certificate",
    ]);
    await page.getByRole("link", { name: "Reset Search" }).click();
    await expect(page.getByLabel("Sort Order")).toHaveValue("expiring_soon");
    await expect(page.getByLabel("Key Status")).toHaveValue("all");
    await expect(nameCells(page)).toHaveText([
      "Checkout API certificate",
      "Simple Order certificate",
      "Webhooks shared secret",
    ]);
  });

  test("a merchant user has no Merchant filter and sees only its own keys", async ({ page }) => {
    await openKeyManagement(page);
    await expect(page.getByLabel("Merchant", { exact: true })).toHaveCount(0);
    await page.goto("/keys?merchant=merchant12379&expiresIn=all");
    const merchants = await results(page).locator("tbody tr td:nth-child(4)").allTextContents();
    expect(merchants.length).toBeGreaterThan(0);
    expect(new Set(merchants)).toEqual(new Set(["merchant12378"]));
  });

  test("a portfolio user picks merchant12378 in the Merchant filter", async ({ page }) => {
    await openKeyManagement(page, USERS.portfolio);
    await expect(page.getByLabel("Merchant", { exact: true })).toHaveValue("portfolioabc");
    await expect(nameCells(page)).toHaveText(["Portfolio meta key"]);
    await page.getByLabel("Merchant", { exact: true }).fill("merchant12378");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(nameCells(page)).toHaveText([
      "Checkout API certificate",
      "Simple Order certificate",
      "Webhooks shared secret",
    ]);
    await page.getByLabel("Merchant", { exact: true }).fill("initech01");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText("No merchant initech01 that you may see.")).toBeVisible();
    await expect(results(page)).toHaveCount(0);
  });
});

test("deactivate a PGP key from Key Information: it becomes Inactive", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await page.goto("/keys?type=PGP&expiresIn=all");
  const row = results(page).locator("tbody tr", { hasText: "Account Updater PGP key" });
  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
  await page.getByRole("button", { name: "Deactivate" }).click();
  await page.getByRole("dialog", { name: "Deactivate key" }).getByRole("button", { name: "Yes" }).click();
  await expect(page.getByRole("dialog", { name: "Deactivate key" })).toBeHidden();
  await expect(page.getByText("Inactive", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Deactivate" })).toHaveCount(0);
  await expect(page.getByRole("listitem").filter({ hasText: "Deactivated" })).toBeVisible();
});

test("a REST certificate offers no Deactivate", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await page.goto("/keys");
  await results(page).locator("tbody tr", { hasText: "Checkout API certificate" }).getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Deactivate" })).toHaveCount(0);
});

test("delete a key through the Delete Confirmation window: gone from the results", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  await page.goto("/keys?merchant=merchant12379");
  const row = results(page).locator("tbody tr", { hasText: "Outlet API certificate" });
  const keyId = (await row.getByRole("link").textContent())!;
  await row.getByRole("button", { name: `Delete key ${keyId}` }).click();
  const dialog = page.getByRole("dialog", { name: "Delete Confirmation" });
  await expect(dialog).toContainText(keyId);
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(dialog).toBeHidden();
  await expect(results(page)).toHaveCount(0);
  await expect(page.getByText("No keys match these filters.")).toBeVisible();
  await page.goto(`/keys?merchant=merchant12379&keyId=${keyId}`);
  await expect(page.getByText("No keys match these filters.")).toBeVisible();
});

test("a view-only user sees keys but cannot delete or create", async ({ page }) => {
  await openKeyManagement(page, USERS.viewer);
  await expect(results(page).locator("tbody tr")).toHaveCount(3);
  await expect(page.getByRole("button", { name: /^Delete key/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "+ Generate key" })).toHaveCount(0);
});

test("the dashboard lists keys that will expire soon and links to Key Management", async ({ page }) => {
  await signIn(page, USERS.merchant);
  const panel = page.getByRole("region", { name: "Security Keys" });
  await expect(panel.getByTestId("expiring-count")).toContainText("will expire in the next 60 days");
  await expect(panel.getByRole("list", { name: "Keys that will expire soon" })).toContainText("Reports PGP key");
  await expect(page.getByRole("table", { name: "Active keys expiring per month, next 12 months" })).toBeAttached();
  await panel.getByRole("link", { name: "View All Keys" }).click();
  await expect(page).toHaveURL(/\/keys$/);
});
