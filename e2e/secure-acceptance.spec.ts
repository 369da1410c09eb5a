import { expect, signIn, test, USERS } from "./fixtures";

test("Secure Acceptance: a key made in Key Management pays through the sample checkout; the receipt says ACCEPT", async ({
  page,
}) => {
  await signIn(page, USERS.merchant);
  await page.goto("/keys");
  await page.getByRole("link", { name: "+ Generate key" }).click();
  await page.getByRole("radio", { name: /^Secure Acceptance/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  await page.getByLabel("Key Name").fill("Checkout e2e");
  await page.getByLabel("Security Profile").selectOption({ label: "Acme mobile checkout (PRF-12378-MOB)" });
  await page.getByRole("button", { name: "Generate Key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your Secure Acceptance key is ready" })).toBeVisible();
  const accessKey = (await page.getByLabel("Access Key", { exact: true }).textContent())!;
  const secretKey = (await page.getByLabel("Secret Key", { exact: true }).textContent())!;
  expect(secretKey).toMatch(/^[0-9a-f]{256}$/);

  await page.goto("/live-console/checkout");
  await expect(page.getByRole("heading", { name: "Secure Acceptance checkout" })).toBeVisible();
  await page.getByLabel("Security Profile").selectOption("PRF-12378-MOB");
  await page.getByLabel("Access Key").fill(accessKey);
  await page.getByLabel("Secret Key").fill(secretKey);
  await page.getByLabel("Amount").fill("12.34");
  await page.getByLabel("Currency").fill("eur");
  await page.getByLabel("Reference Number").fill("e2e-order-1");
  await page.getByRole("button", { name: "Sign fields" }).click();
  const signed = page.getByRole("region", { name: "Signed fields" });
  await expect(signed.getByText("signed_field_names", { exact: true })).toBeVisible();
  await expect(signed).not.toContainText(secretKey);

  const fields = Object.fromEntries(
    await signed
      .locator('input[type="hidden"]')
      .evaluateAll((inputs) => inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value])),
  ) as Record<string, string>;
  await signed.getByRole("button", { name: "Pay" }).click();
  await expect(page).toHaveURL(/\/pay$/);
  await expect(page.getByRole("heading", { name: "Payment receipt" })).toBeVisible();
  const receipt = page.getByRole("definition");
  await expect(receipt.filter({ hasText: /^ACCEPT$/ })).toBeVisible();
  await expect(receipt.filter({ hasText: "12.34 EUR" })).toBeVisible();
  await expect(receipt.filter({ hasText: "e2e-order-1" })).toBeVisible();
  const requestId = (await receipt.filter({ hasText: /^\d{22}$/ }).textContent())!;

  // Posting the same signed form again reuses its transaction_uuid: refused, without saying why.
  const replay = await page.request.post("/pay", { form: fields });
  expect(replay.status()).toBe(401);
  const html = await replay.text();
  expect(html).toContain("Payment not processed");
  expect(html).not.toMatch(/already|replay/i);

  await page.goto(`/transactions?requestId=${requestId}`);
  await expect(page.getByRole("table")).toContainText("ACCEPT");
  await expect(page.getByRole("table")).toContainText(`${accessKey} (secure_acceptance)`);
});
