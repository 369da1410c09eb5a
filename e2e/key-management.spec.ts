import { type Browser, type Page } from "@playwright/test";
import {
  CreateKeyPage,
  expect,
  KeyInformationPage,
  KeyManagementPage,
  pgpPublicKey,
  signIn,
  test,
  unique,
  USERS,
} from "./fixtures";

// Every flow makes the keys it searches for (PGP keys take their expiry from the key, so a
// flow can make keys expiring in 10, 20, 30 or 90 days) and looks only at those: the org may
// hold any number of other keys. Keys made for a search are deleted afterwards.

/** Signs in and opens Key Management from the navigation. */
async function openKeyManagement(page: Page, email: string = USERS.merchant) {
  await signIn(page, email);
  const keys = new KeyManagementPage(page);
  await keys.open();
  return keys;
}

/** PGP keys expiring in `days` (one per entry), named `<label> <days>d`, in the signed-in org. */
async function pgpKeys(page: Page, label: string, days: number[]): Promise<string[]> {
  const create = new CreateKeyPage(page);
  const ids: string[] = [];
  for (const d of days)
    ids.push(await create.createPgp(pgpPublicKey(`${label} <km-e2e@keycenter.test>`, d), `${label} ${d}d`));
  return ids;
}

/** A REST – Shared Secret made by merchant12378's administrator, in a browser of their own. */
async function merchantSharedSecret(browser: Browser): Promise<string> {
  const merchant = await (await browser.newContext()).newPage();
  await signIn(merchant, USERS.merchant);
  const { keyId } = await new CreateKeyPage(merchant).createSharedSecret();
  await merchant.context().close();
  return keyId;
}

async function cleanUp(page: Page, keyIds: string[]) {
  const keys = new KeyManagementPage(page);
  for (const id of keyIds) await keys.findAndDelete(id).catch(() => undefined);
}

test.describe("Search for Keys Using Filters", () => {
  test("the default search shows the guide's defaults: All types, the next 60 days, Expiring Soon", async ({
    page,
  }) => {
    await signIn(page, USERS.merchant);
    const { keyId: later } = await new CreateKeyPage(page).createSharedSecret(); // expires in years
    const pgp = await pgpKeys(page, unique("Defaults"), [20, 10]);
    try {
      const keys = new KeyManagementPage(page);
      await keys.open();
      await expect(keys.filter("Created At")).toHaveValue("all");
      await expect(keys.filter("Expires In")).toHaveValue("next60");
      await expect(keys.filter("Key Status")).toHaveValue("all");
      await expect(keys.filter("Key Type")).toHaveValue("ALL");
      await expect(keys.filter("Number of Records Per Page")).toHaveValue("25");
      await expect(keys.filter("Sort Order")).toHaveValue("expiring_soon");
      await expect(keys.filter("Sort Order").locator("option:checked")).toHaveText("Expiring Soon");
      // Every key listed expires within 60 days, soonest first; a key expiring in years is not listed.
      const expires = await keys.rows().locator("td:nth-child(7)").allTextContents();
      const dates = expires.map((d) => Date.parse(d));
      expect(dates.every((d) => d <= Date.now() + 61 * 86_400_000)).toBe(true);
      expect(dates).toEqual([...dates].sort((a, b) => a - b));
      expect(await keys.keyIds()).not.toContain(later);
      // Expiring Soon on the keys made here: 10 days before 20 days.
      await keys.search({ keyType: "PGP" });
      expect(await keys.orderOf(pgp)).toEqual([pgp[1], pgp[0]]);
    } finally {
      await cleanUp(page, [later, ...pgp]);
    }
  });

  test("Key Type All leaves out PGP and Secure Acceptance keys; choosing PGP finds them", async ({ page }) => {
    await signIn(page, USERS.merchant);
    const [pgp] = await pgpKeys(page, unique("Type filter"), [10]);
    const { accessKey } = await new CreateKeyPage(page).createSecureAcceptance(
      unique("Hosted checkout"),
      "Acme web checkout (PRF-12378-WEB)",
    );
    try {
      const keys = new KeyManagementPage(page);
      await keys.goto({ keyId: pgp! });
      await expect(keys.noMatch()).toBeVisible();
      await keys.search({ keyType: "PGP" });
      await keys.expectListed(pgp!);
      await keys.goto({ keyId: accessKey, expiresIn: "all" });
      await expect(keys.noMatch()).toBeVisible();
      await keys.search({ keyType: "Secure Acceptance" });
      await keys.expectListed(accessKey);
    } finally {
      await cleanUp(page, [pgp!, accessKey]);
    }
  });

  test("Expires In hides a key expiring in 90 days until Custom Date covers it", async ({ page }) => {
    await signIn(page, USERS.merchant);
    const [pgp] = await pgpKeys(page, unique("Ninety"), [90]);
    try {
      const keys = new KeyManagementPage(page);
      // (A Key ID search looks at every date: this one lists the org's PGP keys instead.)
      await keys.goto({ type: "PGP", perPage: "100" });
      await expect(keys.filter("Expires In")).toHaveValue("next60");
      expect(await keys.keyIds()).not.toContain(pgp);
      await keys.filter("Expires In").selectOption({ label: "Custom Date" });
      const range = page.getByRole("group", { name: "Expires In: Custom Date" });
      const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      await range.getByLabel("Start Date").fill(inDays(80));
      await range.getByLabel("End Date").fill(inDays(100));
      await keys.search();
      expect(await keys.keyIds()).toContain(pgp);
      const expires = (await keys.rows().locator("td:nth-child(7)").allTextContents()).map((d) => Date.parse(d));
      expect(expires.every((d) => d >= Date.parse(inDays(80)) && d <= Date.parse(inDays(101)))).toBe(true);
    } finally {
      await cleanUp(page, [pgp!]);
    }
  });

  test("Key ID finds one key, and the URL reproduces the search", async ({ page }) => {
    await signIn(page, USERS.merchant);
    const { keyId } = await new CreateKeyPage(page).createSharedSecret();
    const keys = new KeyManagementPage(page);
    await keys.open();
    await keys.search({ keyId, expiresIn: "All Dates" });
    await expect(keys.rows()).toHaveCount(1);
    await keys.expectListed(keyId);
    const url = page.url();
    expect(url).toContain(`keyId=${keyId}`);
    await page.goto("/dashboard");
    await page.goto(url);
    await expect(keys.filter("Key ID")).toHaveValue(keyId);
    await expect(keys.rows()).toHaveCount(1);
  });

  test("Sort Order changes the order and Reset Search restores the defaults", async ({ page }) => {
    await signIn(page, USERS.merchant);
    const pgp = await pgpKeys(page, unique("Sort"), [10, 30, 20]);
    try {
      const keys = new KeyManagementPage(page);
      await keys.open();
      await keys.search({ keyType: "PGP", sortOrder: "Expiring Last", keyStatus: "Active" });
      expect(await keys.orderOf(pgp)).toEqual([pgp[1], pgp[2], pgp[0]]);
      await keys.search({ sortOrder: "Expiring Soon" });
      expect(await keys.orderOf(pgp)).toEqual([pgp[0], pgp[2], pgp[1]]);
      await keys.reset();
      await expect(keys.filter("Sort Order")).toHaveValue("expiring_soon");
      await expect(keys.filter("Key Status")).toHaveValue("all");
      await expect(keys.filter("Key Type")).toHaveValue("ALL");
      expect(await keys.orderOf(pgp)).toEqual([]); // Key Type All again: PGP keys are left out
    } finally {
      await cleanUp(page, pgp);
    }
  });

  test("a merchant user has no Merchant filter and sees only its own keys", async ({ page }) => {
    await signIn(page, USERS.merchant);
    const { keyId } = await new CreateKeyPage(page).createSharedSecret();
    const keys = new KeyManagementPage(page);
    await keys.open();
    await expect(keys.filter("Merchant")).toHaveCount(0);
    await keys.goto({ merchant: "merchant12379", expiresIn: "all" });
    const merchants = await keys.rows().locator("td:nth-child(4)").allTextContents();
    expect(merchants.length).toBeGreaterThan(0);
    expect(new Set(merchants)).toEqual(new Set(["merchant12378"]));
    await keys.goto({ merchant: "merchant12379", expiresIn: "all", keyId });
    await keys.expectListed(keyId);
  });

  test("a portfolio user picks merchant12378 in the Merchant filter", async ({ browser }) => {
    // The key is merchant12378's, made by its administrator.
    const keyId = await merchantSharedSecret(browser);

    const page = await (await browser.newContext()).newPage();
    const keys = await openKeyManagement(page, USERS.portfolio);
    await expect(keys.filter("Merchant")).toHaveValue("portfolioabc");
    await keys.search({ keyId, expiresIn: "All Dates" });
    await expect(keys.noMatch()).toBeVisible();
    await keys.search({ merchant: "merchant12378" });
    expect(await keys.keyIds()).toEqual([keyId]);
    await expect(keys.row(keyId).locator("td:nth-child(4)")).toHaveText("merchant12378");
    await keys.search({ merchant: "initech01" });
    await expect(page.getByText("No merchant initech01 that you may see.")).toBeVisible();
    await expect(keys.results()).toHaveCount(0);
  });
});

test("deactivate a PGP key from Key Information: it becomes Inactive", async ({ page }) => {
  await signIn(page, USERS.merchant);
  const [keyId] = await pgpKeys(page, unique("Account Updater"), [365]);
  const keys = new KeyManagementPage(page);
  await keys.goto({ type: "PGP", expiresIn: "all", keyId: keyId! });
  await keys.row(keyId!).getByRole("link").click();
  const info = new KeyInformationPage(page);
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
  const dialog = await info.deactivate();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Inactive", { exact: true })).toBeVisible();
  await expect(info.deactivateButton()).toHaveCount(0);
  // The key's history on the page (the "Key … deactivated" toast is a list item too, outside main).
  await expect(page.getByRole("main").getByRole("listitem").filter({ hasText: "Deactivated" })).toBeVisible();
});

test("a REST certificate offers no Deactivate", async ({ page }) => {
  await signIn(page, USERS.merchant);
  const { keyId } = await new CreateKeyPage(page).createP12("REST – Certificate", "Correct-Horse-42");
  const keys = new KeyManagementPage(page);
  await keys.goto({ expiresIn: "all", keyId });
  await keys.row(keyId).getByRole("link").click();
  const info = new KeyInformationPage(page);
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
  await expect(info.deleteButton()).toBeVisible();
  await expect(info.deactivateButton()).toHaveCount(0);
});

test("delete a key through the Delete Confirmation window: gone from the results", async ({ browser }) => {
  const keyId = await merchantSharedSecret(browser);

  const page = await (await browser.newContext()).newPage();
  await signIn(page, USERS.portfolio);
  const keys = new KeyManagementPage(page);
  await keys.goto({ merchant: "merchant12378", expiresIn: "all", keyId });
  await keys.deleteKey(keyId);
  await expect(keys.results()).toHaveCount(0);
  await expect(keys.noMatch()).toBeVisible();
  await keys.goto({ merchant: "merchant12378", expiresIn: "all", keyId });
  await expect(keys.noMatch()).toBeVisible();
});

test("a view-only user sees keys but cannot delete or create", async ({ browser }) => {
  const keyId = await merchantSharedSecret(browser);

  const page = await (await browser.newContext()).newPage();
  const keys = await openKeyManagement(page, USERS.viewer);
  await keys.search({ keyId, expiresIn: "All Dates" });
  await expect(keys.rows()).toHaveCount(1);
  await keys.expectListed(keyId);
  await expect(page.getByRole("button", { name: /^Delete key/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "+ Generate key" })).toHaveCount(0);
});

test("the dashboard lists keys that will expire soon and links to Key Management", async ({ page }) => {
  await signIn(page, USERS.merchant);
  const name = unique("Reports PGP key");
  const [keyId] = await pgpKeys(page, name, [1]);
  try {
    await page.goto("/dashboard");
    const panel = page.getByRole("region", { name: "Security Keys" });
    await expect(panel.getByTestId("expiring-count")).toContainText("will expire in the next 60 days");
    // The soonest eight are listed: a key expiring tomorrow is among them.
    await expect(panel.getByRole("list", { name: "Keys that will expire soon" })).toContainText(`${name} 1d`);
    await expect(page.getByRole("table", { name: "Active keys expiring per month, next 12 months" })).toBeAttached();
    await panel.getByRole("link", { name: "View All Keys" }).click();
    await expect(page).toHaveURL(/\/keys$/);
  } finally {
    await cleanUp(page, [keyId!]);
  }
});
