import { type Page } from "@playwright/test";
import { expect, signIn, switchMerchant, test, USERS } from "./fixtures";

async function chooseType(page: Page, label: string) {
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: new RegExp(`^${label}`) }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  // On screen; for portfolio and account users behind the modal Key options window (hidden from the accessibility tree).
  await expect(page.getByRole("heading", { name: `Create Key: ${label}`, includeHidden: true })).toBeVisible();
}

async function keyOptions(page: Page, meta: boolean) {
  const dialog = page.getByRole("dialog", { name: "Key options" });
  await expect(dialog).toBeVisible();
  // A portfolio or account REST – Shared Secret is always a meta key: its box is checked and fixed.
  const box = dialog.getByLabel("Create as a Meta-Key");
  if (meta && !(await box.isChecked())) await box.check();
  if (!meta) await expect(box).not.toBeChecked();
  await dialog.getByRole("button", { name: "Continue" }).click();
}

async function createMetaSharedSecret(page: Page, assign: "all" | { name: string; pick: string[] }) {
  await chooseType(page, "REST – Shared Secret");
  await keyOptions(page, true);
  if (assign === "all") {
    await page.getByLabel("All current and future Merchant IDs").check();
    await page.getByRole("button", { name: "Create key" }).click();
  } else {
    await page.getByLabel("Custom Merchant ID selection").check();
    await page.getByRole("button", { name: "Create key" }).click();
    await pickMids(page, assign.name, assign.pick, "Submit");
    await page.getByRole("button", { name: "Create key" }).click();
  }
  // Create key makes the key (the guide's last step): no further Generate key.
  await expect(page.getByRole("status").filter({ hasText: "key is ready" })).toBeVisible();
  return (await page.getByLabel("Key", { exact: true }).textContent())!;
}

async function pickMids(page: Page, nameFilter: string, mids: string[], submit: string) {
  await page.getByRole("button", { name: "+ Add custom merchant ids" }).click();
  const picker = page.getByRole("dialog", { name: "Add Custom Merchant IDs" });
  await picker.getByRole("button", { name: "+ Add filter" }).click();
  await picker.getByLabel("Filter 1", { exact: true }).selectOption({ label: "Merchant Name" });
  await picker.getByLabel("Value 1", { exact: true }).fill(nameFilter);
  await picker.getByRole("button", { name: "Search" }).click();
  for (const mid of mids) await picker.getByLabel(`Select ${mid}`).check();
  await expect(picker.getByRole("table").locator("tbody tr td:nth-child(2)")).not.toContainText(["acme_acct"]);
  await picker.getByRole("button", { name: submit }).click();
  await expect(picker).toBeHidden();
}

async function keyInformation(page: Page, keyId: string) {
  await page.goto(`/keys/${encodeURIComponent(keyId)}`);
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
}

const metaRow = (page: Page) => page.locator("dt", { hasText: /^Meta Key$/ }).locator("xpath=following-sibling::dd[1]");

test("a portfolio user creates a meta key for All current and future Merchant IDs", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  const keyId = await createMetaSharedSecret(page, "all");
  await expect(page.getByTestId("meta-summary")).toHaveText("Meta key: All current and future Merchant IDs");
  await page.goto(`/keys?keyId=${keyId}`);
  await expect(page.getByRole("table").locator("tbody tr")).toContainText("Meta key · All MIDs");
  await keyInformation(page, keyId);
  await expect(metaRow(page)).toContainText("All current and future MIDs");
});

test("an account user creates a Simple Order meta key for a custom selection found with a filter", async ({ page }) => {
  await signIn(page, USERS.account);
  await chooseType(page, "Simple Order API");
  await keyOptions(page, true);
  await page.getByLabel("Custom Merchant ID selection").check();
  await page.getByRole("button", { name: "Create key" }).click();
  await pickMids(page, "Outlet", ["merchant12379"], "Submit");
  await expect(page.getByRole("list", { name: "Selected merchant IDs" })).toHaveText("merchant12379");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("button", { name: "Download key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Set Password" });
  await dialog.getByLabel("New Password").fill("Correct-Horse-42");
  await dialog.getByLabel("Confirm Password").fill("Correct-Horse-42");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("button", { name: "Generate Key" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("acme_acct_simple_order.p12");
  const keyId = (await page.getByLabel("Key ID", { exact: true }).textContent())!;
  await keyInformation(page, keyId);
  await expect(metaRow(page)).toContainText("Custom MID selection (1 MID)");
});

test("Edit Key: remove from all (regular, not deleted), convert, assign select, remove from select", async ({
  page,
}) => {
  await signIn(page, USERS.portfolio);
  const keyId = await createMetaSharedSecret(page, "all");
  await keyInformation(page, keyId);
  await page.getByRole("link", { name: "Edit Key" }).click();
  await expect(page.getByRole("heading", { name: "Edit Key" })).toBeVisible();

  await page.getByLabel("Meta Key").uncheck();
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByRole("status").filter({ hasText: "No longer a meta key" })).toBeVisible();
  await keyInformation(page, keyId);
  await expect(metaRow(page)).toHaveText("No");

  await page.getByRole("link", { name: "Edit Key" }).click();
  await page.getByLabel("Meta Key").check();
  await page.getByLabel("Custom MID selection").check();
  await pickMids(page, "Globex", ["merchant45601", "merchant45602"], "Save");
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Converted to a meta key for a custom MID selection. 2 MIDs added." }),
  ).toBeVisible();
  await keyInformation(page, keyId);
  await expect(metaRow(page)).toContainText("Custom MID selection (2 MIDs)");

  await page.getByRole("link", { name: "Edit Key" }).click();
  await page.getByLabel("Remove merchant45602").check();
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByRole("status").filter({ hasText: "merchant45602 removed" })).toBeVisible();
  await keyInformation(page, keyId);
  await expect(metaRow(page)).toContainText("Custom MID selection (1 MID)");

  await page.getByRole("link", { name: "Edit Key" }).click();
  await page.getByLabel("All current and future MIDs").check();
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: "Now assigned to all current and future MIDs" }),
  ).toBeVisible();
  await keyInformation(page, keyId);
  await expect(metaRow(page)).toContainText("All current and future MIDs");
});

test("Regenerate meta key: both keys listed, the original still Active, same MIDs", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  const original = await createMetaSharedSecret(page, { name: "Acme", pick: ["merchant12378", "merchant12380"] });
  const confirm = page.getByRole("alertdialog", { name: "Regenerate meta key" });
  // Key Information's window counts the merchant IDs; Cancel closes it and changes nothing.
  await keyInformation(page, original);
  await page.getByRole("button", { name: "Regenerate meta key" }).click();
  await expect(confirm).toContainText(`same merchant IDs as ${original} (2 MIDs)`);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  await keyInformation(page, original);
  await expect(page.getByText("Regenerated as", { exact: true })).toHaveCount(0);
  // Search Results: one confirmed click, and the new key is on the screen.
  await page.goto(`/keys?keyId=${original}`);
  await page.getByRole("button", { name: `Regenerate meta key ${original}` }).click();
  await expect(confirm.getByRole("heading", { name: "Regenerate meta key" })).toBeVisible();
  await expect(confirm).toContainText(`same merchant IDs as ${original}`);
  await expect(confirm).toContainText("The original stays active until its own expiration date");
  await confirm.getByRole("button", { name: "Generate key" }).click();
  await expect(confirm.getByRole("status").filter({ hasText: "key is ready" })).toBeVisible();
  const fresh = (await confirm.getByLabel("Key", { exact: true }).textContent())!;
  expect(fresh).not.toBe(original);
  // Close: the original's row stays, the new key is listed too.
  await confirm.getByRole("button", { name: "Close" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("table").getByRole("link", { name: original, exact: true })).toBeVisible();
  await page.goto(`/keys?keyId=${fresh}`);
  await expect(page.getByRole("table").getByRole("link", { name: fresh, exact: true })).toBeVisible();
  await keyInformation(page, fresh);
  await expect(metaRow(page)).toContainText("Custom MID selection (2 MIDs)");
  await expect(page.getByRole("link", { name: original })).toBeVisible();
  await keyInformation(page, original);
  await expect(page.getByText("Active", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: fresh })).toBeVisible();
});

test("a transacting MID user never sees the meta-key option", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await chooseType(page, "Simple Order API");
  await expect(page.getByRole("heading", { name: "Create Key: Simple Order API" })).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Key options" })).toHaveCount(0);
  await expect(page.getByText("Create as a Meta-Key")).toHaveCount(0);
});

test("with the feature switched off, meta keys cannot be created", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  await switchMerchant(page, "globex_acct");
  // globex_acct's own active meta key, made here: the confirmation warns about it.
  await createMetaSharedSecret(page, "all");

  await page.goto("/settings");
  try {
    await page.getByRole("button", { name: "Turn meta keys off" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Turn off meta keys" });
    await expect(confirm).toContainText("active meta key");
    await confirm.getByRole("button", { name: "Turn off" }).click();
    await expect(page.getByRole("status").filter({ hasText: "The meta key feature is off" })).toBeVisible();

    // Create Key says so before anything is tried; the shared secret is refused before Generate key.
    await page.goto("/keys/new");
    await expect(page.getByRole("note").filter({ hasText: "Meta keys are turned off for globex_acct" })).toBeVisible();
    await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
    await page.getByRole("button", { name: "Generate key" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Only transacting merchant account users" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Create Key", exact: true })).toBeVisible();
    // The type's own page offers no Generate key that would fail.
    await page.goto("/keys/new?type=REST_SHARED_SECRET");
    await expect(page.getByRole("dialog", { name: "Key options" })).toHaveCount(0);
    await expect(page.getByRole("alert").filter({ hasText: "Only transacting merchant account users" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Generate key" })).toHaveCount(0);

    await page.goto("/settings");
    await page.getByRole("button", { name: "Turn meta keys on" }).click();
    await expect(page.getByRole("status").filter({ hasText: "The meta key feature is on" })).toBeVisible();
  } finally {
    // The switch is org-wide: globex_acct is left with meta keys on, pass or fail.
    await page.goto("/settings");
    const on = page.getByRole("button", { name: "Turn meta keys on" });
    if ((await on.count()) > 0) {
      await on.click();
      await expect(page.getByRole("status").filter({ hasText: "The meta key feature is on" })).toBeVisible();
    }
  }
});
