/**
 * Bad input never gives a 5xx (issue 12, section 8): the edges refuse NUL, control characters
 * and lone surrogates with a field message (pages), a 400 (CSV exports) or a 404 (an ID in the
 * path). tests/integration/fuzz.test.ts generates such inputs; these are the named cases.
 */
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest, page } = await import("../helpers/next-request");

const { prisma } = await import("@/lib/db");
const { seed, signedInHeaders } = await import("../helpers/fixtures");
const { hasUnsupportedCharacters, pathId, safeText, UNSUPPORTED_CHARACTERS } = await import("@/lib/validation");
const { parseFilters } = await import("@/lib/keys/search-filters");
const { parseAuditFilters } = await import("@/lib/audit-log");
const { parseTransactionFilters } = await import("@/lib/transaction-filters");

const digestOf = (e: unknown) => (e as { digest?: string }).digest;

beforeAll(async () => {
  await seed();
  nextRequest.headers = await signedInHeaders("portfolio.admin@keycenter.test");
});

describe("the shared string schema", () => {
  it("refuses NUL, control characters and lone surrogates with one message", () => {
    for (const bad of ["a\u0000b", "\u0001", "a\u001b[0m", "\u007f", "\ud800", "x\udfff", "\udc00\ud800"]) {
      const r = safeText().safeParse(bad);
      expect({ bad, message: r.success ? null : r.error.issues[0]!.message }).toEqual({
        bad,
        message: UNSUPPORTED_CHARACTERS,
      });
    }
    expect(UNSUPPORTED_CHARACTERS).toBe("Remove the unsupported characters.");
  });

  it("accepts any other text: accents, emoji (a surrogate pair), and line breaks where text is multi-line", () => {
    for (const good of ["merchant12378", "Zoë ✓", "😀 key", "a-b_c.d"])
      expect(safeText().safeParse(good).success).toBe(true);
    expect(safeText().safeParse("a\nb").success).toBe(false);
    expect(safeText({ multiline: true }).safeParse("a\r\n\tb").success).toBe(true);
    expect(safeText({ secret: true }).safeParse("p\u0001ss").success).toBe(true);
    expect(hasUnsupportedCharacters("p\u0000ss", { secret: true })).toBe(true);
  });

  it("reads a path ID: decoded, and null for NUL, controls, lone surrogates, empty or too long", () => {
    expect(pathId("key%201")).toBe("key 1");
    expect(pathId("100%")).toBe("100%"); // a malformed escape is taken as typed
    for (const bad of ["%00", "\u0000", "a%01", "\ud800", "", "k".repeat(201), undefined])
      expect(pathId(bad)).toBeNull();
  });
});

describe("page filters", () => {
  it("Key Management: a Key ID with NUL is a field message, not a search", () => {
    const { filters, errors } = parseFilters({ keyId: "abc\u0000" });
    expect(errors).toEqual({ keyId: UNSUPPORTED_CHARACTERS });
    expect(filters.keyId).toBe("");
  });

  it("Audit: Action or Who with NUL or a lone surrogate is a field message", () => {
    const { filters, errors } = parseAuditFilters({ action: "key.\u0000", actor: ["\ud800x", "ok"] });
    expect(errors).toEqual({ action: UNSUPPORTED_CHARACTERS, actor: UNSUPPORTED_CHARACTERS });
    expect(filters).toEqual({});
  });

  it("Audit: a long filter is cut at 200 characters without splitting an emoji", () => {
    const { filters, errors } = parseAuditFilters({ actor: "a" + "😀".repeat(300) });
    expect(errors).toEqual({});
    expect(hasUnsupportedCharacters(filters.actor!)).toBe(false);
  });

  it("Transactions: Request ID or Merchant ID with NUL is a field message; repeated params use the first", () => {
    expect(parseTransactionFilters({ requestId: "\u0000", merchantId: "m" })).toEqual({
      filters: { merchantId: "m" },
      page: 1,
      errors: { requestId: UNSUPPORTED_CHARACTERS },
    });
    expect(parseTransactionFilters({ requestId: ["a", "b"], page: ["3", "x"] })).toEqual({
      filters: { requestId: "a" },
      page: 3,
      errors: {},
    });
  });
});

describe("pages and routes", () => {
  it("/keys?keyId=%00 renders the page (with the field message)", async () => {
    const Keys = await page("app/(portal)/keys/page.tsx");
    await expect(Keys({ searchParams: Promise.resolve({ keyId: "\u0000" }) })).resolves.toBeTruthy();
  });

  it("/audit?actor=%00 and /transactions?requestId=%00 render the page", async () => {
    const Audit = await page("app/(portal)/audit/page.tsx");
    await expect(Audit({ searchParams: Promise.resolve({ actor: "\u0000" }) })).resolves.toBeTruthy();
    const Transactions = await page("app/(portal)/transactions/page.tsx");
    await expect(Transactions({ searchParams: Promise.resolve({ requestId: "\u0000" }) })).resolves.toBeTruthy();
  });

  it("/keys/%00, /keys/%00/edit and /roles/%00 are a 404; /keys/new?regenerate=%00 too", async () => {
    const cases: [string, Record<string, string>, Record<string, string>][] = [
      ["app/(portal)/keys/[keyId]/page.tsx", { keyId: "%00" }, {}],
      ["app/(portal)/keys/[keyId]/edit/page.tsx", { keyId: "\u0000" }, {}],
      ["app/(portal)/roles/[roleId]/page.tsx", { roleId: "\u0000" }, {}],
      ["app/(portal)/keys/new/page.tsx", {}, { regenerate: "\u0000" }],
    ];
    for (const [file, params, searchParams] of cases) {
      const Page = await page(file);
      const thrown = await Page({ params: Promise.resolve(params), searchParams: Promise.resolve(searchParams) }).then(
        () => null,
        (e: unknown) => e,
      );
      expect({ file, digest: digestOf(thrown) }).toEqual({ file, digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
    }
  });

  it("/roles/new?from=%00 starts an empty role", async () => {
    const NewRole = await page("app/(portal)/roles/new/page.tsx");
    await expect(NewRole({ searchParams: Promise.resolve({ from: "\u0000" }) })).resolves.toBeTruthy();
  });

  it("the CSV exports refuse NUL with 400 before streaming", async () => {
    const keys = await import(path.resolve("app/(portal)/keys/export/route.ts"));
    const audit = await import(path.resolve("app/(portal)/audit/export/route.ts"));
    for (const q of ["keyId=%00", "keyId=%00&keyId=ok"]) {
      const k: Response = await keys.GET(new Request(`http://localhost/keys/export?${q}`));
      expect({ q, status: k.status, body: await k.text() }).toEqual({ q, status: 400, body: UNSUPPORTED_CHARACTERS });
    }
    // A repeated name is read as the page reads it: the first value counts.
    for (const q of ["action=%00", "actor=a%00b", "actor=%00&actor="]) {
      const a: Response = await audit.GET(new Request(`http://localhost/audit/export?${q}`));
      expect({ q, status: a.status, body: await a.text() }).toEqual({ q, status: 400, body: UNSUPPORTED_CHARACTERS });
    }
  });

  it("a report download with NUL in its ID is a 404", async () => {
    const route = await import(path.resolve("app/(portal)/reports/[reportId]/download/route.ts"));
    const res: Response = await route.GET(new Request("http://localhost/x"), {
      params: Promise.resolve({ reportId: "\u0000" }),
    });
    expect(res.status).toBe(404);
  });
});

describe("sign-in", () => {
  it("refuses a NUL password before checking it (nothing counted), and a call without a form", async () => {
    const { signInAction, verifySignInCodeAction } = await import(path.resolve("lib/actions/auth/sign-in.ts"));
    nextRequest.headers = new Headers();
    const before = await prisma.auditEvent.count();
    const form = new FormData();
    form.set("email", "merchant.admin@keycenter.test");
    form.set("password", "KeyCenter-demo-1\u0000");
    const r = await signInAction(form);
    expect(r).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", fields: { password: UNSUPPORTED_CHARACTERS } },
    });
    expect(await prisma.auditEvent.count()).toBe(before);
    expect(await signInAction({ email: "x" })).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    expect(await verifySignInCodeAction("junk")).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
  });
});
