import { expect, KeyManagementPage, signIn, test, USERS } from "./fixtures";

// Issue 17 §3: bad URL parameters never show raw validation text. A Key Management filter
// value that no list has falls back to the default, with a polite notice saying so; the
// search still runs.

test("Key Management: unknown filter values in the URL fall back to the defaults with a notice", async ({ page }) => {
  await signIn(page, USERS.portfolio);
  // keyType is no parameter of the search (ignored as any unknown name); type and status are.
  await page.goto("/keys?keyType=nonsense&type=nonsense&status=xyz");
  await expect(page.getByRole("heading", { name: "Key Management" })).toBeVisible();

  const notice = page.getByRole("status").filter({ hasText: "ignored" });
  await expect(notice).toContainText('Unknown key status "xyz" ignored; showing all statuses.');
  await expect(notice).toContainText('Unknown key type "nonsense" ignored; showing all key types.');

  // The form shows the defaults, and the search ran with them (no "correct the filters" stop).
  const keys = new KeyManagementPage(page);
  await expect(keys.filter("Key Status")).toHaveValue("all");
  await expect(keys.filter("Key Type")).toHaveValue("ALL");
  await expect(page.getByText("Correct the search filters marked above")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Search Results" })).toBeVisible();

  // Nothing a validator wrote reaches the page.
  await expect(page.locator("body")).not.toContainText(
    /invalid option|expected one of|invalid_value|too small|too big/i,
  );
});
