import { type APIResponse, type Page, type Response } from "@playwright/test";
import { CreateKeyPage, expect, pgpPublicKey, signIn, test, unique, USERS } from "./fixtures";

/**
 * Security headers (issue 12, section 4): every page and route says how it may be framed,
 * sniffed, referred and scripted, and the portal still works under its Content-Security-Policy.
 */

type Headers = Record<string, string>;
const headersOf = (r: Response | APIResponse | null): Headers => {
  expect(r, "a response").not.toBeNull();
  return r!.headers();
};

/** The directives of a CSP header: name -> its sources. */
function directives(csp: string | undefined): Map<string, string[]> {
  expect(csp, "a Content-Security-Policy header").toBeTruthy();
  return new Map(
    csp!
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!.toLowerCase(), sources]),
  );
}

/** What every response says, page or route. */
function expectStaticHeaders(h: Headers, what: string) {
  expect(h["x-content-type-options"], what).toBe("nosniff");
  expect(h["x-frame-options"], what).toBe("DENY");
  expect(["same-origin", "no-referrer", "strict-origin"], what).toContain(h["referrer-policy"]);
  const permissions = h["permissions-policy"] ?? "";
  for (const feature of ["camera", "microphone", "geolocation"]) expect(permissions, what).toContain(`${feature}=()`);
  expect(directives(h["content-security-policy"]).get("frame-ancestors"), what).toEqual(["'none'"]);
  // Plain http (and no trusted proxy here): no HSTS.
  expect(h["strict-transport-security"], what).toBeUndefined();
}

/** A page's policy: scripts by this response's nonce only, no plugins, forms and base to this origin. Returns the nonce. */
function expectPagePolicy(h: Headers, what: string): string {
  expectStaticHeaders(h, what);
  const csp = directives(h["content-security-policy"]);
  const scripts = csp.get("script-src") ?? [];
  const nonce = scripts.find((s) => s.startsWith("'nonce-"));
  expect(nonce, `${what}: script-src has a nonce`).toMatch(/^'nonce-[A-Za-z0-9+/]{20,}={0,2}'$/);
  expect(scripts, what).not.toContain("'unsafe-inline'");
  expect(scripts, what).not.toContain("'unsafe-eval'");
  expect(scripts, what).not.toContain("*");
  expect(csp.get("object-src"), what).toEqual(["'none'"]);
  expect(csp.get("base-uri"), what).toEqual(["'self'"]);
  expect(csp.get("form-action"), what).toEqual(["'self'"]);
  expect(csp.get("default-src"), what).toEqual(["'self'"]);
  return nonce!.slice("'nonce-".length, -1);
}

/** Every script element of the page carries the header's nonce (Next.js put it there). */
async function expectScriptsCarry(page: Page, nonce: string) {
  const nonces = await page
    .locator("script")
    .evaluateAll((scripts) => scripts.map((s) => (s as HTMLScriptElement).nonce));
  expect(nonces.length).toBeGreaterThan(0);
  expect(new Set(nonces)).toEqual(new Set([nonce]));
}

/**
 * Collects what the browser says about the CSP while the page is used: `securitypolicyviolation`
 * events (reported through a binding, which the CSP does not govern) and console messages.
 */
async function watchCsp(page: Page) {
  const problems: string[] = [];
  await page.exposeBinding("__reportCspViolation", (_source, v: string) => void problems.push(`violation: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __reportCspViolation: (v: string) => void }).__reportCspViolation;
      report(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${e.documentURI} (${e.sample})`);
    });
  });
  page.on("console", (m) => {
    if (/content[- ]security[- ]policy|refused to (execute|load|apply|frame|connect|send form)/i.test(m.text())) {
      problems.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

test("pages and routes send the security headers; each page's scripts carry its own nonce", async ({ page }) => {
  const problems = await watchCsp(page);
  const signInPage = await page.goto("/sign-in");
  const signInNonce = expectPagePolicy(headersOf(signInPage), "sign-in");
  await expectScriptsCarry(page, signInNonce);

  await signIn(page, USERS.merchant);
  const dashboard = await page.goto("/dashboard");
  const dashboardNonce = expectPagePolicy(headersOf(dashboard), "dashboard");
  expect(dashboardNonce, "a fresh nonce per response").not.toBe(signInNonce);
  await expectScriptsCarry(page, dashboardNonce);

  const keys = await page.goto("/keys?expiresIn=all");
  expectPagePolicy(headersOf(keys), "keys");
  const firstKey = page.getByRole("table").locator("tbody tr").first().getByRole("link");
  const keyId = (await firstKey.textContent())!;
  const keyPage = await page.goto(`/keys/${encodeURIComponent(keyId)}`);
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();
  await expectScriptsCarry(page, expectPagePolicy(headersOf(keyPage), "key information"));

  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expectScriptsCarry(page, expectPagePolicy(headersOf(missing), "not found"));

  // Route handlers: the CSV exports and the health check.
  const csv = await page.request.get("/keys/export");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expectStaticHeaders(headersOf(csv), "keys CSV export");
  const audit = await page.request.get("/audit/export");
  expectStaticHeaders(headersOf(audit), "audit CSV export");
  const health = await page.request.get("/api/health");
  expect(health.status()).toBe(200);
  expectStaticHeaders(headersOf(health), "health");
  const info = await page.request.get("/api/info");
  expect(info.status()).toBe(200);
  expectStaticHeaders(headersOf(info), "instance info");

  // The gateway's machine endpoints add the static headers themselves.
  const rest = await page.request.post("/pts/v2/payments", { data: {}, failOnStatusCode: false });
  expectStaticHeaders(headersOf(rest), "REST gateway");
  expect(directives(rest.headers()["content-security-policy"]).get("default-src")).toEqual(["'none'"]);
  const soap = await page.request.post("/commerce/1.x/transactionProcessor", {
    data: "<not-soap/>",
    headers: { "content-type": "text/xml" },
    failOnStatusCode: false,
  });
  expectStaticHeaders(headersOf(soap), "Simple Order");
  const pay = await page.request.post("/pay", { form: { access_key: "x" }, failOnStatusCode: false });
  expect(pay.headers()["content-type"]).toContain("text/html");
  expectStaticHeaders(headersOf(pay), "hosted checkout");
  const payCsp = directives(pay.headers()["content-security-policy"]);
  expect(payCsp.get("default-src")).toEqual(["'none'"]);
  expect(payCsp.get("script-src")).toBeUndefined();

  expect(problems).toEqual([]);

  // And the watch sees what the policy is for: injected markup's inline handler is refused and reported.
  await page.goto("/dashboard");
  const ran = await page.evaluate(async () => {
    document.body.insertAdjacentHTML("beforeend", `<img src="/no-such.png" onerror="window.__injected = true">`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => problems.some((p) => p.startsWith("violation: script-src"))).toBe(true);
});

test("HSTS is not sent over plain http, even when a client that is no trusted proxy claims X-Forwarded-Proto: https", async ({
  request,
  baseURL,
}) => {
  test.skip(baseURL?.startsWith("https:") === true, "the instance is served over TLS");
  const res = await request.get("/sign-in", {
    headers: { "x-forwarded-proto": "https", "x-keycenter-peer-proto": "https" },
  });
  expect(res.headers()["strict-transport-security"]).toBeUndefined();
  expect(directives(res.headers()["content-security-policy"]).has("upgrade-insecure-requests")).toBe(false);
});

test("another site cannot frame a portal page (clickjacking of Delete and Deactivate)", async ({ page, baseURL }) => {
  await signIn(page, USERS.merchant);
  await page.route("http://attacker.test/", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<iframe src="${baseURL}/keys" width="800" height="600"></iframe>`,
    }),
  );
  await page.goto("http://attacker.test/");
  const framed = page.frameLocator("iframe");
  await page.waitForTimeout(1000);
  await expect(framed.getByRole("heading", { name: "Key Management" })).toHaveCount(0);
  await expect(framed.getByRole("button")).toHaveCount(0);
});

test("the main flows run under the CSP without a violation", async ({ page }) => {
  test.setTimeout(120_000);
  const problems = await watchCsp(page);
  await signIn(page, USERS.merchant);

  // Create Key: a PGP key of this test's own.
  const pgpName = unique("CSP PGP key");
  const pgpKeyId = await new CreateKeyPage(page).createPgp(pgpPublicKey("CSP <csp-e2e@keycenter.test>"), pgpName);

  // Key Management: search with filters, open the key.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Key Management" }).click();
  await expect(page.getByRole("heading", { name: "Key Management" })).toBeVisible();
  await page.getByLabel("Key Type").selectOption({ label: "PGP" });
  await page.getByLabel("Expires In").selectOption({ label: "All Dates" });
  await page.getByLabel("Key ID").fill(pgpKeyId);
  await page.getByRole("button", { name: "Search" }).click();
  const pgpRow = page.getByRole("table").locator("tbody tr", { hasText: pgpName });
  await pgpRow.getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Key Information" })).toBeVisible();

  // Deactivate: the confirmation opens; No leaves the key as it is.
  await page.getByRole("button", { name: "Deactivate" }).click();
  const deactivate = page.getByRole("alertdialog", { name: "Deactivate key" });
  await expect(deactivate).toBeVisible();
  await deactivate.getByRole("button", { name: "No" }).click();
  await expect(deactivate).toBeHidden();

  // Generate key: a REST shared secret, downloaded (a blob: URL), then deleted through its confirmation.
  await page.goto("/keys");
  await page.getByRole("link", { name: "+ Generate key" }).click();
  await expect(page.getByRole("heading", { name: "Create Key" })).toBeVisible();
  await page.getByRole("radio", { name: /^REST – Shared Secret/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your REST – Shared Secret key is ready" })).toBeVisible();
  const keyId = (await page.getByLabel("Key", { exact: true }).textContent())!;
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download key" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.pem$/);
  await page.goto(`/keys?type=REST_SHARED_SECRET&expiresIn=all&keyId=${encodeURIComponent(keyId)}`);
  const row = page.getByRole("table").locator("tbody tr", { hasText: keyId });
  await row.getByRole("button", { name: `Delete key ${keyId}` }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete Confirmation" });
  await expect(confirm).toContainText(keyId);
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("No keys match these filters.")).toBeVisible();

  // Live Console checkout: a Secure Acceptance key signs the sample form, which posts to /pay (form-action 'self').
  await page.goto("/keys");
  await page.getByRole("link", { name: "+ Generate key" }).click();
  await page.getByRole("radio", { name: /^Secure Acceptance/ }).check();
  await page.getByRole("button", { name: "Generate key" }).click();
  await page.getByLabel("Key Name").fill("CSP checkout e2e");
  await page.getByLabel("Security Profile").selectOption({ label: "Acme mobile checkout (PRF-12378-MOB)" });
  await page.getByRole("button", { name: "Generate Key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your Secure Acceptance key is ready" })).toBeVisible();
  const accessKey = (await page.getByLabel("Access Key", { exact: true }).textContent())!;
  const secretKey = (await page.getByLabel("Secret Key", { exact: true }).textContent())!;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Live Console" }).click();
  await page.goto("/live-console/checkout");
  await expect(page.getByRole("heading", { name: "Secure Acceptance checkout" })).toBeVisible();
  await page.getByLabel("Security Profile").selectOption("PRF-12378-MOB");
  await page.getByLabel("Access Key").fill(accessKey);
  await page.getByLabel("Secret Key").fill(secretKey);
  await page.getByLabel("Amount").fill("5.00");
  await page.getByLabel("Currency").fill("usd");
  await page.getByLabel("Reference Number").fill("csp-order-1");
  await page.getByRole("button", { name: "Sign fields" }).click();
  const signed = page.getByRole("region", { name: "Signed fields" });
  await expect(signed.getByText("signed_field_names", { exact: true })).toBeVisible();
  const payResponse = page.waitForResponse((r) => new URL(r.url()).pathname === "/pay");
  await signed.getByRole("button", { name: "Pay" }).click();
  expectStaticHeaders(headersOf(await payResponse), "/pay receipt");
  await expect(page.getByRole("heading", { name: "Payment receipt" })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: /^ACCEPT$/ })).toBeVisible();

  // Sign out through the shell.
  await page.goto("/dashboard");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();

  expect(problems).toEqual([]);
});

test("a client's own X-Forwarded-For is not believed: the session records the connection's address", async ({
  browser,
  baseURL,
}) => {
  // No KEYCENTER_TRUSTED_PROXIES here: the browser connects directly, so what it claims proves nothing.
  const context = await browser.newContext({
    extraHTTPHeaders: {
      "x-forwarded-for": "203.0.113.66",
      "x-real-ip": "203.0.113.67",
      "x-keycenter-peer": "203.0.113.68",
    },
  });
  const page = await context.newPage();
  try {
    await signIn(page, USERS.account);
    await page.goto("/account/security");
    const current = page.getByTestId("session-row").filter({ hasText: "This session" });
    await expect(current).toHaveCount(1);
    // A browser on the same machine connects from a loopback address (a remote instance sees another one).
    if (["localhost", "127.0.0.1", "[::1]"].includes(new URL(baseURL!).hostname)) {
      await expect(current.locator("td").nth(2)).toHaveText(/^(::1|127\.0\.0\.1|::ffff:127\.0\.0\.1)$/);
    }
    await expect(page.getByRole("table", { name: "Your sessions" })).not.toContainText("203.0.113.6");
  } finally {
    await context.close();
  }
});
