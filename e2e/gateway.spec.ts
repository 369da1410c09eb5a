import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, signIn, test, USERS } from "./fixtures";

test("Live Console sends a payment signed with a shared secret made in this test: 201, listed, last used", async ({
  page,
}) => {
  await signIn(page, USERS.merchant);
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  const keyId = (await page.getByLabel("Key", { exact: true }).textContent())!;
  const secret = (await page.getByLabel("Shared Secret", { exact: true }).textContent())!;

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Live Console" }).click();
  await expect(page.getByLabel("Organization ID")).toHaveValue("merchant12378");
  await page.getByLabel("Key", { exact: true }).fill(keyId);
  await page.getByLabel("Shared Secret").fill("d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCB3cm9uZyE=");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response-status")).toContainText("401");

  await page.getByLabel("Shared Secret").fill(secret);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response-status")).toContainText("201");
  await expect(page.getByTestId("response-body")).toContainText("AUTHORIZED");
  const requestId = JSON.parse((await page.getByTestId("response-body").textContent())!).id as string;

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Transactions" }).click();
  await page.getByLabel("Request ID").fill(requestId);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByRole("table").locator("tbody tr");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("merchant12378");
  await expect(row).toContainText(keyId);
  await expect(row).toContainText("201");

  await page.goto(`/keys/${keyId}`);
  await expect(page.locator("dd").filter({ hasText: "(1 requests)" })).toBeVisible();
});

test("Live Console sends a JWT signed with a KeyCenter .p12", async ({ page }) => {
  await signIn(page, USERS.merchant);
  await page.goto("/keys/new");
  await page.getByRole("radio", { name: /^REST – Certificate/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  await page.getByRole("button", { name: "Download key" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Set a Password" });
  await dialog.getByLabel("New Password").fill("Correct-Horse-42");
  await dialog.getByLabel("Confirm Password").fill("Correct-Horse-42");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("button", { name: "Generate key" }).click(),
  ]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "kc-lc-")), "merchant12378.p12");
  await download.saveAs(file);

  await page.goto("/live-console");
  await page.getByLabel("JSON Web Token (.p12)").check();
  await page.getByLabel(".p12 file").setInputFiles(file);
  await page.getByLabel("Password").fill("Correct-Horse-42");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("response-status")).toContainText("201");
  await expect(page.getByTestId("response-body")).toContainText("AUTHORIZED");
});
