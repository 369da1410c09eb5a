import { CreateKeyPage, expect, KeyManagementPage, KmsApi, signIn, test, unique, USERS } from "./fixtures";

/**
 * The Key Management API as QA pipelines use it (issue 15): one key made in the portal with
 * "Key Management API" checked, then keys set up through the API (the KmsApi fixture, signed as
 * the official SDK signs) instead of clicking — and what the API made is what the portal lists.
 */
test("keys set up through the Key Management API are listed in Key Management, and gone once deleted through it", async ({
  page,
  request,
}) => {
  await signIn(page, USERS.merchant);
  const manager = await new CreateKeyPage(page).createSharedSecret({ kmsApi: true });
  const keys = new KeyManagementPage(page);
  const kms = new KmsApi(request, { ...manager, merchantId: "merchant12378" });
  const made = await kms.createSharedSecrets(["merchant12378", "merchant12378"], unique("e2e-kms"));
  try {
    expect(new Set(made.map((k) => k.keyId)).size).toBe(2);
    for (const { keyId } of made) {
      await keys.goto({ expiresIn: "all", keyId });
      await keys.expectListed(keyId);
    }
    // Key Information of the key that made them says it may use the API.
    await page.goto(`/keys/${encodeURIComponent(manager.keyId)}`);
    await expect(page.getByText("Yes: may create, find and retire keys through the Key Management API")).toBeVisible();

    await kms.deleteSharedSecrets(made);
    await keys.goto({ expiresIn: "all", keyId: made[0]!.keyId });
    await expect(keys.results().getByRole("link", { name: made[0]!.keyId, exact: true })).toHaveCount(0);
  } finally {
    for (const { keyId } of made) await keys.findAndDelete(keyId).catch(() => undefined);
    await keys.findAndDelete(manager.keyId).catch(() => undefined);
  }
});
