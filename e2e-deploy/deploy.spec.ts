import { execFile } from "node:child_process";
import { lookup } from "node:dns/promises";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Page } from "@playwright/test";
import { caddyRoot, DEPLOY, DIRECT_URL, HTTPS_URL, PLAIN_URL, TEST_HOSTS } from "./environment";

/**
 * The deployed test environment (global-setup.ts): KeyCenter behind Caddy with TLS, and one on
 * plain http, each at a name that is not localhost (where browsers would keep a Secure cookie
 * even over http, and hide the problem this checks).
 */

const SESSION = "better-auth.session_token";
/** A demo user (the environment's databases get the demo data). */
const MERCHANT = "merchant.admin@keycenter.test";
const DEMO_PASSWORD = "KeyCenter-demo-1";
const P12_PASSWORD = "Correct-Horse-42";

const addressWarning = (page: Page) => page.getByRole("alert", { name: "Address warning" });

/** The sign-in form with a correct password; `signedIn`: wait for the portal. */
async function signIn(page: Page, { signedIn = true } = {}) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(MERCHANT);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (signedIn) await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

test.describe("behind Caddy with TLS (BETTER_AUTH_URL https)", () => {
  test.use({ baseURL: HTTPS_URL });

  test("signs in over https: the session cookie is Secure and __Secure- prefixed, HSTS is sent", async ({ page }) => {
    const signInPage = await page.goto("/sign-in");
    expect(signInPage?.headers()["strict-transport-security"]).toMatch(/^max-age=\d+/);
    await expect(page.getByRole("heading", { name: "Sign in to the Business Center" })).toBeVisible();
    await expect(addressWarning(page)).toHaveCount(0);
    await signIn(page);
    const cookies = await page.context().cookies(HTTPS_URL);
    const session = cookies.find((c) => c.name === `__Secure-${SESSION}`);
    expect(session, JSON.stringify(cookies.map((c) => c.name))).toBeDefined();
    expect(session!.secure).toBe(true);
    expect(session!.httpOnly).toBe(true);
    expect(cookies.find((c) => c.name === SESSION)).toBeUndefined();
    const dashboard = await page.goto("/dashboard");
    expect(dashboard?.headers()["strict-transport-security"]).toMatch(/^max-age=\d+/);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  });

  test("keys made in the portal over https pay through the proxy with the official SDK: HTTP Signature and JWT, 201", async ({
    page,
  }) => {
    await signIn(page);
    // REST – Shared Secret: the key and its secret are shown once.
    await page.goto("/keys");
    await page.getByRole("link", { name: "+ Generate key" }).click();
    await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
    await page.getByRole("button", { name: "Generate key" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Your REST – Shared Secret key is ready" })).toBeVisible();
    const keyId = (await page.getByLabel("Key", { exact: true }).textContent())!.trim();
    const secret = (await page.getByLabel("Shared Secret", { exact: true }).textContent())!.trim();

    // REST – Certificate with a password: a .p12 download.
    await page.goto("/keys/new");
    await page.getByRole("radio", { name: /^REST – Certificate/ }).check();
    await page.getByRole("button", { name: "Generate key" }).click();
    await page.getByRole("button", { name: "Download key" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Set a Password" });
    await dialog.getByLabel("New Password").fill(P12_PASSWORD);
    await dialog.getByLabel("Confirm Password").fill(P12_PASSWORD);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      dialog.getByRole("button", { name: "Generate key" }).click(),
    ]);
    // Named by the key-type registry's file tag (one name per certificate type); saved under the
    // name the SDK's keyFileName reads.
    expect(download.suggestedFilename()).toBe("merchant12378_rest.p12");
    const keysDirectory = mkdtempSync(path.join(tmpdir(), "kc-deploy-"));
    try {
      await download.saveAs(path.join(keysDirectory, "merchant12378.p12"));

      const signature = await sdkPay({
        authenticationType: "http_signature",
        merchantID: "merchant12378",
        merchantKeyId: keyId,
        merchantsecretKey: secret,
      });
      expect(signature, JSON.stringify(signature)).toMatchObject({ status: 201, data: { status: "AUTHORIZED" } });

      const jwt = await sdkPay({
        authenticationType: "jwt",
        merchantID: "merchant12378",
        keysDirectory,
        keyFileName: "merchant12378",
        keyAlias: "merchant12378",
        keyPass: P12_PASSWORD,
      });
      expect(jwt, JSON.stringify(jwt)).toMatchObject({ status: 201, data: { status: "AUTHORIZED" } });
    } finally {
      rmSync(keysDirectory, { recursive: true, force: true });
    }
  });
});

test.describe("over plain http at a name other than localhost (BETTER_AUTH_URL http)", () => {
  test.use({ baseURL: PLAIN_URL });

  test("signs in: the session cookie is not Secure, no HSTS, no warning", async ({ page }) => {
    const signInPage = await page.goto("/sign-in");
    expect(signInPage?.headers()["strict-transport-security"]).toBeUndefined();
    await expect(page.getByRole("heading", { name: "Sign in to the Business Center" })).toBeVisible();
    await expect(addressWarning(page)).toHaveCount(0);
    await signIn(page);
    const cookies = await page.context().cookies(PLAIN_URL);
    const session = cookies.find((c) => c.name === SESSION);
    expect(session, JSON.stringify(cookies.map((c) => c.name))).toBeDefined();
    expect(session!.secure).toBe(false);
    expect(session!.httpOnly).toBe(true);
  });
});

test.describe("opened over plain http while BETTER_AUTH_URL is https (bypassing the proxy)", () => {
  test.use({ baseURL: DIRECT_URL });

  test("the sign-in page warns first, and after a correct password says the browser dropped the session cookie", async ({
    page,
  }) => {
    await page.goto("/sign-in");
    const warning = addressWarning(page);
    await expect(warning).toContainText("opened over plain http");
    await expect(warning).toContainText(`BETTER_AUTH_URL is ${HTTPS_URL}`);
    await expect(warning.getByRole("link", { name: `${HTTPS_URL}/sign-in` })).toBeVisible();
    await expect(warning).toContainText("KEYCENTER_TRUSTED_PROXIES");

    await signIn(page, { signedIn: false });
    const dropped = page.getByRole("alert", { name: "Sign-in did not stick" });
    await expect(dropped).toContainText("this browser did not keep KeyCenter's session cookie");
    await expect(dropped).toContainText("Secure");
    await expect(page).toHaveURL(/\/sign-in/);
    const names = (await page.context().cookies(DIRECT_URL)).map((c) => c.name);
    expect(names.some((n) => n.endsWith(SESSION))).toBe(false);
  });
});

/**
 * One createPayment with the official SDK in a child process: it sends to
 * https://keycenter.test:8443 (runEnvironment, also the signed host) through Caddy, trusting
 * Caddy's internal CA through NODE_EXTRA_CA_CERTS.
 */
async function sdkPay(config: Record<string, unknown>): Promise<{ status: number; data: unknown; error: unknown }> {
  const resolved = await lookup(DEPLOY.tlsHost).catch(() => null);
  const preload =
    resolved?.address === "127.0.0.1" ? [] : ["--import", path.resolve("e2e-deploy", "resolve-test-hosts.mjs")];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...preload, path.resolve("e2e-deploy", "sdk-pay.mjs")],
    {
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: caddyRoot(),
        DEPLOY_TEST_HOSTS: TEST_HOSTS.join(","),
        SDK_CONFIG: JSON.stringify({ runEnvironment: `${DEPLOY.tlsHost}:${DEPLOY.tlsPort}`, ...config }),
      },
      timeout: 60_000,
    },
  );
  const last = stdout.trim().split("\n").pop()!;
  return JSON.parse(last);
}
