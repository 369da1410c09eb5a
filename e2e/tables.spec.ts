import { readFile } from "node:fs/promises";
import { type Browser, type Page } from "@playwright/test";
import { CreateKeyPage, expect, KeyManagementPage, pgpPublicKey, signIn, test, unique, USERS } from "./fixtures";

// Issue 17: the tables on DataTable (TanStack Table), one Pagination, and the filters of Audit
// and Transactions. Every flow makes its own keys and transactions and asserts only on those.

/** A REST – Shared Secret made by merchant12378's administrator, in a browser of their own. */
async function merchantSharedSecret(browser: Browser): Promise<{ keyId: string; secret: string }> {
  const merchant = await (await browser.newContext()).newPage();
  await signIn(merchant, USERS.merchant);
  const made = await new CreateKeyPage(merchant).createSharedSecret();
  await merchant.context().close();
  return made;
}

/** Create Key → REST – Shared Secret → Key options: a meta key; then the Custom Merchant ID selection step. */
async function startMetaKey(
  page: Page,
  assign: "All current and future Merchant IDs" | "Custom Merchant ID selection",
) {
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  const options = page.getByRole("dialog", { name: "Key options" });
  await options.getByLabel("Create as a Meta-Key").check();
  await options.getByRole("button", { name: "Continue" }).click();
  await page.getByLabel(assign).check();
  await page.getByRole("button", { name: "Create key" }).click();
}

test("Search Results: the Created and Expires headers sort the search on the server", async ({ page }) => {
  test.slow(); // makes and deletes keys of its own
  await signIn(page, USERS.merchant);
  const label = unique("Sorted");
  const create = new CreateKeyPage(page);
  const ids: string[] = [];
  for (const days of [10, 30, 20]) {
    ids.push(await create.createPgp(pgpPublicKey(`${label} <tables-e2e@keycenter.test>`, days), `${label} ${days}d`));
  }
  const keys = new KeyManagementPage(page);
  try {
    await keys.goto({ type: "PGP", status: "active" });
    const expires = page.getByRole("columnheader", { name: "Sort by Expires" });
    await expect(expires).toHaveAttribute("aria-sort", "ascending");
    expect(await keys.orderOf(ids)).toEqual([ids[0], ids[2], ids[1]]);

    await expires.getByRole("link").click();
    await expect(page).toHaveURL(/sort=expiring_last/);
    await expect(expires).toHaveAttribute("aria-sort", "descending");
    await expect(keys.filter("Sort Order")).toHaveValue("expiring_last");
    expect(await keys.orderOf(ids)).toEqual([ids[1], ids[2], ids[0]]);

    await page.getByRole("link", { name: "Sort by Created" }).click();
    await expect(page).toHaveURL(/sort=created_oldest/);
    await expect(page.getByRole("columnheader", { name: "Sort by Created" })).toHaveAttribute("aria-sort", "ascending");
    await expect(expires).toHaveAttribute("aria-sort", "none");
    expect(await keys.orderOf(ids)).toEqual(ids);
    // Only the columns the server sorts by offer a sort.
    await expect(page.getByRole("link", { name: /^Sort by (Key ID|Name|Status)/ })).toHaveCount(0);
  } finally {
    for (const id of ids) await keys.findAndDelete(id).catch(() => undefined);
  }
});

test("Add Custom Merchant IDs: MIDs ticked with the keyboard, kept over Esc, one Pager", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  await startMetaKey(page, "Custom Merchant ID selection");
  await page.getByRole("button", { name: "+ Add custom merchant ids" }).click();
  const picker = page.getByRole("dialog", { name: "Add Custom Merchant IDs" });
  await picker.getByRole("button", { name: "+ Add filter" }).click();
  await picker.getByLabel("Filter 1", { exact: true }).selectOption({ label: "Merchant Name" });
  await picker.getByLabel("Value 1", { exact: true }).fill("Acme");
  await picker.getByRole("button", { name: "Search" }).click();
  const first = picker.getByRole("checkbox", { name: "Select merchant12378" });
  const second = picker.getByRole("checkbox", { name: "Select merchant12379" });
  await expect(first).toBeVisible();
  await expect(picker.getByRole("navigation", { name: "Merchant ID pages" })).toContainText("Page 1 of 1");

  // Tab from "select all on this page" to the rows' boxes, Space ticks them.
  await picker.getByRole("checkbox", { name: "Select all merchant IDs on this page" }).focus();
  await page.keyboard.press("Tab");
  await expect(first).toBeFocused();
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await expect(second).toBeFocused();
  await page.keyboard.press("Space");
  await expect(first).toBeChecked();
  await expect(second).toBeChecked();
  await expect(picker.getByRole("status").filter({ hasText: /selected/ })).toHaveText("2 selected");

  // Esc closes the window (focus back on its button); the ticks are kept for the next opening.
  await page.keyboard.press("Escape");
  await expect(picker).toBeHidden();
  await expect(page.getByRole("button", { name: "+ Add custom merchant ids" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(picker.getByRole("status").filter({ hasText: /selected/ })).toHaveText("2 selected");
  await picker.getByRole("button", { name: "Submit" }).click();
  await expect(picker).toBeHidden();
});

test("Search Results: the Edit Key column's pencil opens Edit Key of a meta key", async ({ page, browser }) => {
  await signIn(page, USERS.portfolio);
  await startMetaKey(page, "All current and future Merchant IDs");
  // Create key makes the key (the guide's last step).
  await expect(page.getByRole("status").filter({ hasText: "key is ready" })).toBeVisible();
  const keyId = (await page.getByLabel("Key", { exact: true }).textContent())!;

  const keys = new KeyManagementPage(page);
  try {
    await keys.goto({ expiresIn: "all", keyId });
    await expect(page.getByRole("columnheader", { name: "Edit Key" })).toBeVisible();
    await keys
      .row(keyId)
      .getByRole("link", { name: `Edit Key ${keyId}` })
      .click();
    await expect(page).toHaveURL(new RegExp(`/keys/${keyId}/edit$`));
    await expect(page.getByRole("heading", { name: "Edit Key", level: 1 })).toBeVisible();

    // A view-only user has no Edit Key column.
    const viewer = await (await browser.newContext()).newPage();
    await signIn(viewer, USERS.viewer);
    await new KeyManagementPage(viewer).goto({ expiresIn: "all" });
    await expect(viewer.getByRole("table")).toBeVisible();
    await expect(viewer.getByRole("columnheader", { name: "Edit Key" })).toHaveCount(0);
    await viewer.context().close();
  } finally {
    await keys.findAndDelete(keyId).catch(() => undefined);
  }
});

test("Audit: Action is a list of readable names; Key deleted finds the deletion", async ({ page, browser }) => {
  test.slow(); // makes and deletes keys of its own
  const { keyId } = await merchantSharedSecret(browser);
  await signIn(page, USERS.portfolio);
  const keys = new KeyManagementPage(page);
  await keys.goto({ merchant: "merchant12378", expiresIn: "all", keyId });
  await keys.deleteKey(keyId);

  await page.goto("/audit");
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Key deleted" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/action=key\.delete/);
  await expect(page.getByLabel("Action", { exact: true })).toHaveValue("key.delete");
  const rows = page.getByRole("table", { name: "Audit events, newest first" }).locator("tbody tr");
  await expect(rows.filter({ hasText: keyId })).toHaveCount(1);
  await expect(rows.filter({ hasText: keyId })).toContainText("Key deleted");
  await expect(rows.filter({ hasNotText: "Key deleted" })).toHaveCount(0);
  // Every column is reachable: the table scrolls in a focusable region.
  await expect(page.getByRole("region", { name: "Audit events" })).toHaveAttribute("tabindex", "0");
});

test("Transactions: filters by date, result, key ID and authentication type; Export CSV has the filtered rows", async ({
  page,
}) => {
  test.slow(); // makes a key and sends two requests through the Live Console
  await signIn(page, USERS.merchant);
  const { keyId, secret } = await new CreateKeyPage(page).createSharedSecret();
  // Two requests with this key from the Live Console: one refused (wrong secret), one authorized.
  await page.goto("/live-console");
  await page.getByLabel("Key", { exact: true }).fill(keyId);
  const sends = [
    { sharedSecret: Buffer.from("not the secret of this key at all").toString("base64"), status: "401" },
    { sharedSecret: secret, status: "201" },
  ];
  for (const send of sends) {
    await page.getByLabel("Shared Secret").fill(send.sharedSecret);
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByTestId("response-status")).toContainText(send.status);
  }

  const today = new Date().toISOString().slice(0, 10);
  await page.goto("/transactions");
  await page.getByLabel("From", { exact: true }).fill(today);
  await page.getByLabel("To", { exact: true }).fill(today);
  await page.getByLabel("Result", { exact: true }).selectOption({ label: "Failure" });
  await page.getByLabel("Authentication type", { exact: true }).selectOption({ label: "HTTP Signature" });
  await page.getByLabel("Key ID", { exact: true }).fill(keyId);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`keyId=${keyId}`));
  const rows = page.getByRole("table", { name: "Transactions" }).locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("(401)");
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(today);

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^transactions-merchant12378-test-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile((await download.path())!, "utf8")).trimEnd().split("\r\n");
  expect(lines[0]).toBe(
    "request id,time,merchant,applications,status,http status,reason,amount,currency,key id,authentication type,meta key owner",
  );
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`,401,`);
  expect(lines[1]).toContain(`,${keyId},http_signature,`);

  // Result All: both requests, in the list and in the export.
  await page.getByLabel("Result", { exact: true }).selectOption({ label: "All" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(rows).toHaveCount(2);
  const again = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const all = (await readFile((await (await again).path())!, "utf8")).trimEnd().split("\r\n");
  expect(
    all
      .slice(1)
      .map((l) => l.split(",")[5])
      .sort(),
  ).toEqual(["201", "401"]);
});

test("a filter value the page cannot use falls back to its default with a plain notice", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  await page.goto("/audit?action=key.nope&result=maybe");
  await expect(
    page.getByText("The action in the link is not one of the list's actions, so all actions are shown."),
  ).toBeVisible();
  await expect(
    page.getByText("The result in the link is not Success or Failure, so all results are shown."),
  ).toBeVisible();
  await expect(page.getByLabel("Action", { exact: true })).toHaveValue("");
  await expect(page.getByRole("table", { name: "Audit events, newest first" })).toBeVisible();
  await expect(page.locator("main")).not.toContainText(/invalid|expected one of/i);

  await page.goto("/transactions?authType=kerberos&from=yesterday");
  await expect(
    page.getByText("The authentication type in the link is not one of the list's types, so all types are shown."),
  ).toBeVisible();
  await expect(
    page.getByText("The From date in the link is not a date, so the list starts at the first transaction."),
  ).toBeVisible();
  await expect(page.getByLabel("Authentication type", { exact: true })).toHaveValue("");
  await expect(page.locator("main")).not.toContainText(/invalid|expected one of/i);
});
