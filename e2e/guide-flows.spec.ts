import { type Page } from "@playwright/test";
import { CreateKeyPage, expect, KeyManagementPage, pgpPublicKey, signIn, switchToProduction, test, unique, USERS } from "./fixtures";

/**
 * The guide's flows made complete (issue 17): Create Key grouped as the guide, the meta-key
 * choice in the guide's steps, Regenerate, Edit Key's messages and refreshed list, the coverage
 * tree, the Dashboard's charts and the PGP labels. Screenshots go to e2e/screenshots/ (not committed).
 */
const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });

async function pickMids(page: Page, nameFilter: string, mids: string[], submit: string) {
  await page.getByRole("button", { name: "+ Add custom merchant ids" }).click();
  const picker = page.getByRole("dialog", { name: "Add Custom Merchant IDs" });
  await picker.getByRole("button", { name: "+ Add filter" }).click();
  await picker.getByLabel("Filter 1", { exact: true }).selectOption({ label: "Merchant Name" });
  await picker.getByLabel("Value 1", { exact: true }).fill(nameFilter);
  await picker.getByRole("button", { name: "Search" }).click();
  for (const mid of mids) await picker.getByLabel(`Select ${mid}`).check();
  await picker.getByRole("button", { name: submit }).click();
  await expect(picker).toBeHidden();
}

/** A portfolio user's REST – Shared Secret: told first that it is a meta key, then the guide's steps. */
async function metaSharedSecret(page: Page, assign: "all" | { name: string; pick: string[] }) {
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  const options = page.getByRole("dialog", { name: "Key options" });
  await expect(options.getByLabel("Create as a Meta-Key")).toBeChecked();
  await options.getByRole("button", { name: "Continue" }).click();
  if (assign === "all") {
    await page.getByLabel("All current and future Merchant IDs").check();
    await page.getByRole("button", { name: "Create key" }).click();
  } else {
    await page.getByLabel("Custom Merchant ID selection").check();
    await page.getByRole("button", { name: "Create key" }).click();
    await pickMids(page, assign.name, assign.pick, "Submit");
    await page.getByRole("button", { name: "Create key" }).click();
  }
  await expect(page.getByRole("status").filter({ hasText: "Your REST – Shared Secret key is ready" })).toBeVisible();
  return (await page.getByLabel("Key", { exact: true }).textContent())!;
}

test("Create Key: the REST APIs group first, then the other key types", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await page.goto("/keys/new");
  const rest = page.getByRole("group", { name: "REST APIs" });
  await expect(rest.getByRole("radio")).toHaveCount(3);
  await expect(rest.getByRole("radio", { name: /^REST – Certificate/ })).toBeVisible();
  await expect(rest.getByRole("radio", { name: /^REST – Shared Secret/ })).toBeVisible();
  await expect(rest.getByRole("radio", { name: /^REST – API Response MLE/ })).toBeVisible();
  const others = page.getByRole("group", { name: "Other key types" });
  await expect(others.getByRole("radio", { name: /^PGP/ })).toBeVisible();
  await expect(others.getByRole("radio", { name: /^REST/ })).toHaveCount(0);
  // REST APIs comes first on the page.
  const headings = await page.getByRole("heading", { level: 2 }).allTextContents();
  expect(headings.indexOf("REST APIs")).toBeLessThan(headings.indexOf("Other key types"));
  await shot(page, "create-key");
});

test("a portfolio user is told before Generate key that a shared secret is a meta key; Esc closes Key options", async ({
  page,
}) => {
  await signIn(page, USERS.portfolio);
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
  await expect(page.getByRole("note")).toContainText("as a meta key");
  await page.getByRole("button", { name: "Generate key" }).click();
  const options = page.getByRole("dialog", { name: "Key options" });
  await expect(options).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(options).toBeHidden();
  await expect(page.getByRole("heading", { name: "Create Key", exact: true })).toBeVisible();
  // The whole choice, then Create key makes the key: no further Generate key.
  const keyId = await metaSharedSecret(page, "all");
  expect(keyId).toBeTruthy();
  await expect(page.getByTestId("meta-summary")).toHaveText("Meta key: All current and future Merchant IDs");
});

test("Regenerate meta key lands on the new key", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  const original = await metaSharedSecret(page, "all");
  await page.goto(`/keys/${encodeURIComponent(original)}`);
  // One confirmed click: the window says what happens; Escape closes it and changes nothing.
  const regenerate = page.getByRole("button", { name: "Regenerate meta key" });
  const confirm = page.getByRole("alertdialog", { name: "Regenerate meta key" });
  await regenerate.click();
  await expect(confirm).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await regenerate.click();
  await expect(confirm.getByRole("heading", { name: "Regenerate meta key" })).toBeVisible();
  await expect(confirm).toContainText(`same merchant IDs as ${original} (All current and future Merchant IDs)`);
  await expect(confirm).toContainText("The original stays active until its own expiration date");
  await confirm.getByRole("button", { name: "Generate key" }).click();
  await expect(confirm.getByRole("status").filter({ hasText: "key is ready" })).toBeVisible();
  const fresh = (await confirm.getByLabel("Key", { exact: true }).textContent())!;
  expect(fresh).not.toBe(original);
  await confirm.getByRole("link", { name: "View key information" }).click();
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Attributes" })).toContainText(fresh);
  await expect(page.getByRole("link", { name: original })).toBeVisible();
});

test("Edit Key: a labelled remove box, 'merchant12379 removed', the list refreshed; the coverage tree", async ({
  page,
}) => {
  await signIn(page, USERS.portfolio);
  const keyId = await metaSharedSecret(page, { name: "Acme", pick: ["merchant12378", "merchant12379"] });

  // Key Information: the tree, accounts open (at most 50 children), covered MIDs marked.
  await page.goto(`/keys/${encodeURIComponent(keyId)}`);
  const tree = page.getByRole("list", { name: "Coverage tree" });
  await expect(tree).toBeVisible();
  await expect(tree.locator("summary").first()).toContainText(/portfolioabc .*\(\d+ MIDs, 2 covered\)/);
  const acme = tree.locator("summary", { hasText: "acme_acct" });
  await expect(acme).toContainText("(3 MIDs, 2 covered)");
  const acmeMids = tree.getByRole("list", { name: "MIDs of acme_acct" });
  await expect(acmeMids.getByRole("listitem").filter({ hasText: "merchant12378" })).toContainText("Covered");
  await expect(acmeMids.getByRole("listitem").filter({ hasText: "merchant12380" })).toContainText("Not covered");
  // Collapse and expand an account.
  await acme.click();
  await expect(acmeMids).toBeHidden();
  await acme.click();
  await expect(acmeMids.getByRole("listitem")).toHaveCount(3);
  await expect(tree.locator("summary", { hasText: "globex_acct" })).toContainText("(2 MIDs, 0 covered)");

  await page.getByRole("link", { name: "Edit Key" }).click();
  await expect(page.getByRole("heading", { name: "Edit Key" })).toBeVisible();
  await expect(page.getByText("Assigned now: 2 MIDs")).toBeVisible();
  await page.getByRole("checkbox", { name: "Remove merchant12379" }).check();
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByRole("status").filter({ hasText: "merchant12379 removed." })).toBeVisible();
  // The assigned list is read again: merchant12379 is gone without reloading.
  await expect(page.getByText("Assigned now: 1 MID", { exact: false })).toBeVisible();
  const assigned = page.getByRole("list", { name: "Assigned merchant IDs" });
  await expect(assigned.getByRole("listitem")).toHaveCount(1);
  await expect(assigned).not.toContainText("merchant12379");
  // The tree on Edit Key follows.
  await expect(
    page.getByRole("list", { name: "Coverage tree" }).locator("summary", { hasText: "acme_acct" }),
  ).toContainText("(3 MIDs, 1 covered)");
  await shot(page, "edit-key-coverage-tree");

  await page.getByLabel("All current and future MIDs").check();
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Now assigned to all current and future MIDs" }),
  ).toBeVisible();
});

test("Dashboard: full type names, bars open the matching Key Management search", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await page.goto("/dashboard");
  await shot(page, "dashboard");
  const types = page.getByRole("list", { name: "Active keys by type" });
  await expect(types).toContainText("Message Level Encryption");
  await expect(types).toContainText("REST-API Response MLE");
  await types.getByRole("link", { name: /^PGP\s*: \d+ active keys?\. Open in Key Management$/ }).click();
  await expect(page).toHaveURL(/\/keys\?.*type=PGP/);
  await expect(page).toHaveURL(/status=active/);
  await expect(page.getByRole("table")).toContainText("PGP");

  // The seeded "Checkout API certificate" expires in 36 days: its month's bar lists it.
  await page.goto("/dashboard");
  const at = new Date(Date.now() + 36 * 86_400_000);
  const label = at.toLocaleString("en-US", { month: "short", year: "2-digit", timeZone: "UTC" });
  const month = at.toISOString().slice(0, 7);
  await page
    .getByRole("list", { name: "Active keys expiring per month, next 12 months" })
    .getByRole("link", { name: new RegExp(`^${label}\\s*: \\d+ keys? expiring\\. Open in Key Management$`) })
    .click();
  await expect(page).toHaveURL(new RegExp(`expiresIn=custom.*expiresStart=${month}-01`));
  await expect(page.getByRole("table")).toContainText("Checkout API certificate");
  await shot(page, "key-management");
});

test("Dashboard: an empty chart says so", async ({ page }) => {
  // acme_acct has no keys in Production.
  await signIn(page, USERS.account);
  await switchToProduction(page);
  await page.goto("/dashboard");
  await expect(page.getByText("No keys expire in the next 12 months.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Active keys expiring per month, next 12 months" })).toHaveCount(0);
});

test("PGP Key Information: User IDs, Key ID and dates in words", async ({ page }) => {
  test.setTimeout(120_000); // GnuPG makes an RSA key first
  await signIn(page, USERS.merchant);
  const name = unique("Guide PGP");
  const keyId = await new CreateKeyPage(page).createPgp(pgpPublicKey(`${name} <guide-e2e@keycenter.test>`), name);
  try {
    await page.goto(`/keys/${encodeURIComponent(keyId)}`);
    const pgp = page.getByRole("region", { name: "PGP key" });
    const value = (label: string) =>
      pgp.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");
    await expect(value("User IDs")).toContainText("guide-e2e@keycenter.test");
    await expect(value("Key ID")).toHaveText(/^[0-9A-Fa-f]{16}$/);
    await expect(value("Key created")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await expect(pgp).not.toContainText("Pgp Key Id");
    await expect(pgp).not.toContainText("T00:");
  } finally {
    await new KeyManagementPage(page).findAndDelete(keyId).catch(() => undefined);
  }
});
