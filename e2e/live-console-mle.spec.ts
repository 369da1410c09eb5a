import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { explicitNameCommand, guideRecipeCommand } from "../lib/keys/csr-commands";
import { CreateKeyPage, expect, signIn, test, USERS } from "./fixtures";

/**
 * The guide's "Test Your REST – API Response MLE Key" in the Live Console (SPEC G4, G6), and the
 * CSR result's .p12 commands (K2). Screenshot: e2e/screenshots/live-console-mle.png (not committed).
 */
const PASSWORD = "Correct-Horse-42";

test("Live Console: MLE Configuration with a Response MLE key, Send Request with Message Level Encryption, the decrypted response beside the raw one", async ({
  page,
}) => {
  test.slow(); // two keys created through the UI, then the console
  await signIn(page, USERS.merchant);
  const create = new CreateKeyPage(page);
  const rest = await create.createP12("REST – Certificate", PASSWORD);
  expect(rest.filename).toBe("merchant12378_rest.p12");
  const mle = await create.createP12("REST – API Response MLE", PASSWORD);
  expect(mle.filename).toBe("merchant12378_response_mle.p12");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Live Console" }).click();
  await page.getByLabel("JSON Web Token (.p12)").check();
  await page.getByLabel(".p12 file").setInputFiles(rest.file);
  await page.getByLabel("Password").fill(PASSWORD);

  // MLE Configuration → Message Level Encryption Credentials → Update Credentials; a wrong password first.
  await page.getByRole("button", { name: "MLE Configuration" }).click();
  const dialog = page.getByRole("dialog", { name: "MLE Configuration" });
  await dialog.getByLabel("Response MLE key ID").fill(mle.keyId);
  await dialog.getByLabel("Response decryption .p12 file").setInputFiles(mle.file);
  await dialog.getByLabel("Response decryption .p12 password").fill("Not-The-Password-1");
  await dialog.getByRole("button", { name: "Update Credentials" }).click();
  await expect(dialog.getByText(/could not be opened with this password/)).toBeVisible();
  await dialog.getByLabel("Response decryption .p12 password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Update Credentials" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("mle-credentials")).toContainText(mle.keyId);

  // The Send drop-down: Send Request with Message Level Encryption, then Send.
  await page.getByRole("button", { name: "Request options" }).click();
  await page.getByRole("menuitem", { name: "Send Request with Message Level Encryption" }).click();
  await expect(page.getByTestId("send-mode")).toContainText("Send Request with Message Level Encryption");
  await page.getByRole("button", { name: "Send", exact: true }).click();

  await expect(page.getByTestId("response-status")).toContainText("Success: HTTP Status Code: 201");
  await expect(page.getByTestId("request-mle")).toContainText(mle.keyId);
  const raw = page.getByRole("region", { name: "Raw response (encrypted)" });
  const decrypted = page.getByRole("region", { name: "Decrypted response" });
  await expect(raw).toContainText('"encryptedResponse"');
  await expect(raw).not.toContainText("AUTHORIZED");
  await expect(decrypted).toContainText('"status": "AUTHORIZED"');
  await expect(decrypted).toContainText("TC50171_3");
  // Beside each other, not one under the other.
  const [a, b] = [await raw.boundingBox(), await decrypted.boundingBox()];
  expect(Math.abs(a!.y - b!.y)).toBeLessThan(5);
  expect(b!.x).toBeGreaterThan(a!.x + a!.width - 1);
  await page.screenshot({ path: "e2e/screenshots/live-console-mle.png", fullPage: true });

  // The transaction is listed like any other.
  const id = JSON.parse((await page.getByTestId("response-decrypted").textContent())!).id as string;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Transactions" }).click();
  await page.getByLabel("Request ID").fill(id);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("table").locator("tbody tr")).toContainText(rest.keyId);
});

test("Submit a CSR: the result shows the .p12 commands for today's OpenSSL with the key ID and MID filled in, each with Copy", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const dir = mkdtempSync(path.join(tmpdir(), "kc-csr-cmd-"));
  // The guide's CSR command, as printed.
  execFileSync(
    "bash",
    [
      "-c",
      `openssl req -new -newkey rsa:2048 -keyout private_key.pem -out example.csr -sha256 -nodes -subj "/CN=merchant12378"`,
    ],
    { cwd: dir, stdio: "ignore" },
  );
  await signIn(page, USERS.merchant);
  await new CreateKeyPage(page).choose("REST – Certificate");
  await page.getByLabel("Certificate Signing Request (PEM)").fill(readFileSync(path.join(dir, "example.csr"), "utf8"));
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download key" }).last().click(),
  ]);
  expect(download.suggestedFilename()).toBe("merchant12378_certChain.pem");
  const keyId = (await page.getByLabel("Key ID", { exact: true }).textContent())!;

  const commands = page.getByRole("region", { name: "Convert it into a .p12 file" });
  await expect(commands).toContainText("When prompted, set a password for the .p12 file.");
  const explicit = commands.getByLabel("With the friendly name given explicitly (any OpenSSL)", { exact: true });
  await expect(explicit).toHaveText(explicitNameCommand({ keyId, orgId: "merchant12378" }));
  await expect(explicit).toContainText(`-name serialNumber=${keyId},CN=merchant12378`);
  await expect(
    commands.getByLabel("The guide's command, with -nameopt compat for OpenSSL 3", { exact: true }),
  ).toHaveText(guideRecipeCommand("merchant12378"));
  const copy = commands.getByRole("button", { name: "Copy With the friendly name given explicitly (any OpenSSL)" });
  await copy.click();
  await expect(copy).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    explicitNameCommand({ keyId, orgId: "merchant12378" }),
  );
});
