/**
 * Bad input never gives a 5xx (issue 12, section 8): every server action, every route handler,
 * the gateway endpoints and every portal page, each fed 200 generated bad inputs (NUL, lone
 * surrogates, control characters, huge strings, wrong types, nested junk, prototype keys).
 * Found from the code like the authorization matrix, so a new action, route or page cannot be
 * forgotten. Asserts: no 5xx, no INTERNAL result, nothing thrown, nothing saved changed.
 */
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
// Pages that render per request call connection(); outside Next's request scope it would throw.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));
const { nextRequest } = await import("../helpers/next-request");
/**
 * The admin's session, resolved for real (cookie, fresh step-up) once per target rather than
 * once per call: looking it up 200 times per target would be most of the run time, and no
 * refused input changes it. null: every call resolves its own (signing out).
 */
let cachedSession: unknown = null;
vi.mock("@/lib/auth/session", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/auth/session")>();
  return { ...real, getPortalSession: async () => cachedSession ?? real.getPortalSession() };
});

const { prisma } = await import("@/lib/db");
const { getPortalSession } = await import("@/lib/auth/session");
const { seed, signedInHeaders } = await import("../helpers/fixtures");
const { files, serverActions } = await import("../helpers/server-actions");

const RUNS = 200;
// A failed run prints its seed: FUZZ_SEED=<seed> runs the same inputs again.
if (process.env.FUZZ_SEED) fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED) });
const ADMIN = "portfolio.admin@keycenter.test";

// ---------------------------------------------------------------- what is saved

/**
 * A fingerprint of everything saved: each table's rows, hashed in the database. Left out: what
 * changes by reading or by refusing (sessions, better-auth's verifications, rate-limit counters)
 * and, for the gateway, its own record of refused requests (gateway_transactions).
 */
const ALWAYS_CHANGING = /^(_prisma_migrations|sessions|verifications)$|rate|limit/i;
async function savedState(exclude: RegExp[] = []): Promise<Record<string, string>> {
  const tables = await prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    if (ALWAYS_CHANGING.test(name) || exclude.some((r) => r.test(name))) continue;
    const [row] = await prisma.$queryRawUnsafe<{ h: string | null; n: bigint }[]>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS h, count(*) AS n FROM "${name}" t`,
    );
    out[name] = `${row!.n}:${row!.h ?? ""}`;
  }
  return out;
}

// ---------------------------------------------------------------- generators

/** Characters no edge accepts: NUL and other controls, lone surrogates. */
const BAD_CHAR = fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\u0001", "\u001b", "\u007f");
/** Characters that are refused everywhere, also by defineAction's central check. */
const REFUSED_CHAR = fc.constantFrom("\u0000", "\ud800", "\udfff", "\u0000\ud83d");
const badString = (chars: fc.Arbitrary<string> = BAD_CHAR) =>
  fc.tuple(fc.string({ maxLength: 20 }), chars, fc.string({ maxLength: 20 })).map(([a, b, c]) => a + b + c);
const hugeString = fc
  .tuple(fc.integer({ min: 300_001, max: 400_000 }), fc.constantFrom("x", "é", "😀", "%00", "<", " "))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));
const PROTO_KEYS = ["constructor", "__proto__", "prototype", "toString", "hasOwnProperty", "valueOf", "then"];
/** An object whose own keys are prototype names (JSON.parse makes "__proto__" an own key). */
const protoObject = fc
  .tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 }))
  .map(([k, v]) => JSON.parse(JSON.stringify({ [`${k}`]: v }).replace(`"${k}"`, JSON.stringify(k))) as unknown);
const nestedJunk = fc.oneof(
  protoObject,
  fc.array(fc.anything({ maxDepth: 2 }), { minLength: 1, maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 }),
  fc.constant({ toString: "x", valueOf: [] }),
);
/** A value no field's schema accepts: not a string, boolean, small number or null. */
const wrongType = fc.oneof(
  nestedJunk,
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 0.5, 1e21, -0),
  fc.bigInt().map((b) => b),
  fc.constant(new Date(Number.NaN)),
  fc.constant(Symbol("junk")),
);
/**
 * A field value every action must refuse before its service runs: NUL or a lone surrogate
 * (refused centrally by defineAction), too long, or of the wrong type. (Other control
 * characters are not among them: in a password they are the user's, and a wrong password is
 * counted, not refused.)
 */
const badValue = fc.oneof(badString(REFUSED_CHAR), hugeString, wrongType);

/** True when a string anywhere in `v` (keys included) has a character defineAction refuses. */
function hasRefusedCharacters(v: unknown, depth = 0): boolean {
  const re = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  if (typeof v === "string") return re.test(v);
  if (depth > 20 || v === null || typeof v !== "object") return false;
  if (v instanceof FormData) return [...v.entries()].some(([k, x]) => re.test(k) || hasRefusedCharacters(x));
  return Object.entries(v).some(([k, x]) => re.test(k) || hasRefusedCharacters(x, depth + 1));
}

/**
 * Inputs derived from a valid-looking base: at least one field of the base replaced by a bad
 * value (so every input is one the action must refuse), sometimes extra junk or prototype keys,
 * sometimes sent as FormData; or the whole input replaced by something that is not an object.
 */
function actionInputs(base: Record<string, unknown>): fc.Arbitrary<unknown> {
  const fields = Object.keys(base);
  const extras = fc.dictionary(
    fc.oneof(fc.constantFrom(...PROTO_KEYS), badString(REFUSED_CHAR)),
    fc.oneof(badValue, fc.string({ maxLength: 10 })),
    { maxKeys: 3 },
  );
  const notAnObject = fc.oneof(
    fc.string({ maxLength: 30 }),
    badString(REFUSED_CHAR),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  );
  if (fields.length === 0) {
    return fc.oneof(notAnObject, extras.filter(hasRefusedCharacters));
  }
  const replaced = fc
    .tuple(
      fc.subarray(fields, { minLength: 1 }),
      fc.array(badValue, { minLength: fields.length, maxLength: fields.length }),
      extras,
    )
    .map(([which, values, extra]) => {
      const input: Record<string, unknown> = { ...base };
      which.forEach((f, i) => (input[f] = values[i]));
      for (const [k, v] of Object.entries(extra))
        Object.defineProperty(input, k, { value: v, enumerable: true, configurable: true, writable: true });
      return input;
    });
  // FormData turns a lone surrogate into U+FFFD (a browser's form cannot carry one): NUL only.
  const asForm = fc.tuple(fc.constantFrom(...fields), badString(fc.constant("\u0000"))).map(([field, value]) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(base)) form.append(k, k === field ? value : String(v));
    return form;
  });
  return fc.oneof(
    { weight: 6, arbitrary: replaced },
    { weight: 2, arbitrary: notAnObject },
    { weight: 2, arbitrary: asForm },
  );
}

// ---------------------------------------------------------------- actions

/** Each action's base input: valid-looking values for its required fields. */
const BASE: Record<string, Record<string, unknown>> = {
  searchMerchants: { query: "a" },
  switchMerchant: { orgId: "merchant12378" },
  switchEnvironmentAction: { environment: "TEST" },
  deactivateKeyAction: { keyId: "k" },
  deleteKeyAction: { keyId: "k" },
  setKeyCustodianAction: { keyId: "k", custodianId: "" },
  createSharedSecretAction: { name: "n" },
  createSecureAcceptanceAction: {
    name: "m",
    signatureVersion: "1",
    signatureMethod: "HMAC-SHA256",
    securityProfileId: "PRF-12378-WEB",
  },
  createPublicKeyAction: { type: "TOKEN_MANAGEMENT_MLE", publicKey: "not a key" },
  createP12KeyAction: { type: "SIMPLE_ORDER", password: "Correct-Horse-42", confirmPassword: "Correct-Horse-42" },
  createFromPemAction: { type: "REST_CERTIFICATE", pem: "not a csr" },
  searchMidsAction: { filter: { mid: "m" }, page: 1 },
  editMetaKeyAction: { keyId: "k", edit: { meta: true, scope: "ALL" } },
  listAssignmentsAction: { keyId: "k", page: 1 },
  createUserAction: {
    email: "fuzz@keycenter.test",
    name: "F",
    orgId: "merchant12378",
    roleId: "role_viewer",
  },
  setUserDisabledAction: { userId: "u", disabled: true },
  setUserRoleAction: { userId: "u", roleId: "role_viewer" },
  resendInvitationAction: { userId: "u" },
  createRoleAction: { name: "Fuzz" },
  updateRoleAction: { roleId: "r", name: "Fuzz" },
  deleteRoleAction: { roleId: "r" },
  setMetaKeysEnabledAction: { enabled: true },
  setRequireMfaAction: { required: false },
  markAllNotificationsReadAction: {},
  markNotificationReadAction: { id: "n" },
  checkExpiringKeysNowAction: {},
  saveWebhookUrlAction: { url: "http://127.0.0.1:9/fuzz" },
  generateWebhookSecretAction: {},
  sendTestWebhookAction: {},
  removeWebhookAction: {},
  verifyChainAction: {},
  sendLiveConsoleAction: { authType: "http_signature", merchantId: "merchant12378", keyId: "k", body: "{}" },
  checkResponseMleAction: { merchantId: "merchant12378", responseMleKeyId: "k" },
  coverageTreeAction: { keyId: "k", account: "a", page: 1 },
  startMfaEnrollmentAction: {},
  confirmMfaEnrollmentAction: { code: "000000" },
  verifyStepUpAction: { password: "KeyCenter-demo-1" },
  endSessionAction: { sessionId: "s" },
  resetSecondFactorAction: { userId: "u" },
  signCheckoutAction: {
    accessKey: "0".repeat(32),
    secretKey: "s",
    profileId: "PRF-12378-WEB",
    amount: "1.00",
    currency: "USD",
    referenceNumber: "r",
    transactionType: "sale",
  },
  // Outside defineAction (signed out): a FormData; anything else is refused as INVALID_INPUT.
  signInAction: { email: "merchant.admin@keycenter.test", password: "x" },
  acceptInvitationAction: { token: "t", password: "Welcome-to-KeyCenter-9", confirmPassword: "Welcome-to-KeyCenter-9" },
  setupAction: { orgId: "fuzz", orgName: "Fuzz", email: "fuzz@keycenter.test", name: "F", password: "x" },
  verifySignInCodeAction: { code: "000000" },
};
/** Read-only actions: a junk filter may be read as no filter, so they may answer ok. */
const MAY_ACCEPT = new Set(["searchMerchants", "searchMidsAction"]);
/** Takes no input: called with junk arguments, it signs out (a throwaway session) and redirects. */
const NO_INPUT = new Set(["signOutAction"]);

/** A Next.js control-flow throw (redirect, notFound, forbidden, unauthorized), not a failure. */
function isNavigation(e: unknown): boolean {
  const digest = (e as { digest?: unknown } | null)?.digest;
  return (
    typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK"))
  );
}

type Result = { ok: boolean; error?: { code: string; message: string } } | undefined;

const actions = [...(await serverActions())] as [string, (...args: unknown[]) => Promise<Result>][];

let adminHeaders: Headers;

beforeAll(async () => {
  await seed();
  adminHeaders = await signedInHeaders(ADMIN);
});

/** Resolves the admin's session (before each target; the headers stay the same). */
async function asAdmin() {
  cachedSession = null;
  nextRequest.headers = adminHeaders;
  cachedSession = await getPortalSession();
  expect(cachedSession).not.toBeNull();
}

describe("fuzz: server actions", () => {
  it("has a base input for every exported server action", () => {
    const names = actions.map(([n]) => n);
    expect(names.filter((n) => !(n in BASE) && !NO_INPUT.has(n))).toEqual([]);
    expect(Object.keys(BASE).filter((n) => !names.includes(n))).toEqual([]);
  });

  for (const [name, action] of actions) {
    it(`${name}: ${RUNS} bad inputs, none gives INTERNAL or a throw, none changes anything`, async () => {
      const before = await savedState();
      const bad: string[] = [];
      await asAdmin();
      if (NO_INPUT.has(name)) {
        cachedSession = null;
        await fc.assert(
          fc.asyncProperty(fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }), async (args) => {
            nextRequest.headers = new Headers();
            try {
              await action(...args);
            } catch (e) {
              if (!isNavigation(e)) throw e;
            }
          }),
          { numRuns: RUNS },
        );
        return;
      }
      await fc.assert(
        fc.asyncProperty(actionInputs(BASE[name]!), async (input) => {
          nextRequest.headers = adminHeaders;
          let result: Result;
          try {
            result = await action(input);
          } catch (e) {
            if (isNavigation(e)) return;
            throw e;
          }
          const code = result?.ok === false ? result.error?.code : "OK";
          if (code === "INTERNAL" || (code === "OK" && !MAY_ACCEPT.has(name))) {
            bad.push(`${code} for ${show(input)}`);
          } else if (hasRefusedCharacters(input) && code !== "INVALID_INPUT") {
            bad.push(`${code} (not INVALID_INPUT) for ${show(input)}`);
          }
          expect(bad).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      expect(await savedState()).toEqual(before);
    });
  }
});

function show(input: unknown): string {
  if (input instanceof FormData) return `FormData ${JSON.stringify([...input.entries()])}`.slice(0, 200);
  try {
    return (
      JSON.stringify(input, (_k, v) =>
        typeof v === "bigint" ? `${v}n` : typeof v === "symbol" ? String(v) : v,
      )?.slice(0, 200) ?? String(input)
    );
  } catch {
    return String(input);
  }
}

// ---------------------------------------------------------------- routes and pages

/** A query value: bad characters, percent-encoded junk, huge, or plain. */
const queryValue = fc.oneof(
  badString(),
  fc.constantFrom("%00", "%ED%A0%80", "%C0%80", "%FF", "%", "%%", "%E0%A4%A", "\\u0000", "'; --", "[object Object]"),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: 10_000, max: 100_000 }).map((n) => "k".repeat(n)),
);
const KEY_FILTERS = [
  "keyId",
  "merchant",
  "type",
  "status",
  "createdAt",
  "createdStart",
  "expiresIn",
  "expiresEnd",
  "perPage",
  "sort",
  "page",
];
const OTHER_FILTERS = [
  "action",
  "actor",
  "result",
  "from",
  "to",
  "requestId",
  "merchantId",
  "authType",
  "regenerate",
  "created",
];
const queryName = fc.oneof(
  fc.constantFrom(...KEY_FILTERS, ...OTHER_FILTERS, ...PROTO_KEYS),
  fc.string({ maxLength: 10 }),
);
/** A query string of 1 to 4 params (a name may repeat), some raw, some encoded. */
const queryString = fc
  .array(fc.tuple(queryName, queryValue, fc.boolean()), { minLength: 1, maxLength: 4 })
  .map((pairs) =>
    pairs
      .map(([k, v, raw]) => {
        const enc = (s: string) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "\ufffd"));
        return `${enc(k)}=${raw ? v.replace(/[\s#&\ud800-\udfff]/g, "") : enc(v)}`;
      })
      .join("&"),
  );
/** Query params as Next hands them to a page: values decoded, repeated names as arrays. */
const pageParams = fc.array(fc.tuple(queryName, queryValue), { minLength: 1, maxLength: 4 }).map((pairs) => {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of pairs) {
    const prev = out[k];
    out[k] = prev === undefined ? v : [prev].flat().concat(v);
  }
  return out;
});
const pathSegment = fc.oneof(
  badString(),
  queryValue,
  fc.constantFrom("%00", "%25", "%", "..", "constructor", "__proto__"),
);

async function drain(res: Response): Promise<void> {
  // A stream that fails half-way is a failure too (the CSV exports used to abort mid-stream).
  await res.arrayBuffer();
}

const GATEWAY = ["app/pts/v2/payments/route.ts", "app/commerce/1.x/transactionProcessor/route.ts", "app/pay/route.ts"];

describe("fuzz: route handlers", () => {
  const routes = files("app", "route.ts").map((f) => f.split(path.sep).join("/"));

  for (const file of routes.filter((r) => !GATEWAY.includes(r))) {
    it(`GET ${file}: ${RUNS} bad query strings and path params, never a 5xx`, async () => {
      const mod = await import(path.resolve(file));
      const before = await savedState();
      await asAdmin();
      await fc.assert(
        fc.asyncProperty(queryString, pathSegment, async (query, segment) => {
          nextRequest.headers = adminHeaders;
          const params = Promise.resolve(
            Object.fromEntries([...file.matchAll(/\[(\w+)\]/g)].map((m) => [m[1], segment])),
          );
          const request = new Request(`http://localhost/x?${query}`, { headers: adminHeaders });
          const res: Response = await mod.GET(request, { params });
          await drain(res);
          expect({ query, status: res.status }).toEqual({ query, status: expect.toSatisfy((s: number) => s < 500) });
          // Each export's text filters: a NUL in one is refused with a 400, never searched for.
          const filters = file.includes("/keys/")
            ? ["keyId"]
            : file.includes("/transactions/")
              ? ["requestId", "merchantId", "keyId"]
              : ["action", "actor"];
          // What the route was given: the URL parser drops a trailing NUL (leading and trailing C0
          // controls are stripped), so "action=\u0000" arrives as an empty filter, not a NUL.
          const q = new URL(request.url).searchParams;
          if (file.includes("/export/") && filters.some((f) => q.get(f)?.includes("\u0000"))) {
            expect({ query, status: res.status }).toEqual({ query, status: 400 });
          }
        }),
        { numRuns: RUNS },
      );
      // Report downloads are audited; a refused one is not.
      expect(await savedState()).toEqual(before);
    });
  }

  it("has fuzz inputs for every gateway endpoint", () => {
    expect(routes.filter((r) => /^app\/(pts|pay|commerce)\//.test(r)).sort()).toEqual([...GATEWAY].sort());
  });

  const b64 = (v: unknown) =>
    Buffer.from(typeof v === "string" ? v : (JSON.stringify(v) ?? "null")).toString("base64url");
  const headerValue = fc.oneof(
    fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
    fc.constantFrom("initech01", "merchant12378", "constructor", "__proto__", "%00"),
    fc.integer({ min: 5_000, max: 20_000 }).map((n) => "h".repeat(n)),
  );
  const junkJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), protoObject, badString(), fc.constant({ kid: "\u0000" }));
  const jwt = fc
    .tuple(fc.oneof(badString(), headerValue, fc.jsonValue({ maxDepth: 1 })), junkJson, fc.string({ maxLength: 20 }))
    .map(([kid, payload, sig]) => `${b64({ alg: "RS256", kid, v_c_merchant_id: kid })}.${b64(payload)}.${b64(sig)}`);
  const gatewayRequest = {
    "app/pts/v2/payments/route.ts": fc
      .tuple(
        headerValue,
        headerValue,
        jwt,
        fc.oneof(
          junkJson.map((j) => JSON.stringify(j) ?? ""),
          fc.string(),
        ),
        fc.boolean(),
      )
      .map(([merchant, keyid, token, body, useJwt]) => {
        const headers = new Headers({ "content-type": "application/json", "v-c-merchant-id": merchant });
        if (useJwt) headers.set("authorization", `Bearer ${token}`);
        else {
          headers.set("date", new Date().toUTCString());
          headers.set("digest", `SHA-256=${b64(body)}`);
          headers.set(
            "signature",
            `keyid="${keyid.replace(/"/g, "")}", algorithm="HmacSHA256", headers="host date", signature="${b64(keyid)}"`,
          );
        }
        return new Request("http://localhost/pts/v2/payments", { method: "POST", headers, body });
      }),
    "app/pay/route.ts": fc
      .dictionary(
        fc.oneof(
          fc.constantFrom(
            "access_key",
            "profile_id",
            "signature",
            "signed_field_names",
            "transaction_uuid",
            "amount",
            "currency",
            "signed_date_time",
            ...PROTO_KEYS,
          ),
          fc.string({ maxLength: 8 }),
        ),
        queryValue,
        { minKeys: 1, maxKeys: 8 },
      )
      .map((fields) => {
        const body = Object.entries(fields)
          .map(
            ([k, v]) =>
              `${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, ""))}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, "\ufffd"))}`,
          )
          .join("&");
        return new Request("http://localhost/pay", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        });
      }),
    "app/commerce/1.x/transactionProcessor/route.ts": fc
      .tuple(fc.oneof(badString(), headerValue), fc.oneof(badString(), headerValue), fc.boolean())
      .map(([merchant, token, raw]) => {
        const x = (s: string) => (raw ? s : s.replace(/[<>&]/g, "_"));
        const body =
          `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` +
          `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">` +
          `<wsse:BinarySecurityToken>${x(token)}</wsse:BinarySecurityToken></wsse:Security></soap:Header><soap:Body>` +
          `<requestMessage xmlns="urn:schemas-cybersource-com:transaction-data-1.219"><merchantID>${x(merchant)}</merchantID>` +
          `<merchantReferenceCode>${x(token)}</merchantReferenceCode></requestMessage></soap:Body></soap:Envelope>`;
        return new Request("http://localhost/commerce/1.x/transactionProcessor", {
          method: "POST",
          headers: { "content-type": "text/xml" },
          body,
        });
      }),
  } as Record<string, fc.Arbitrary<Request>>;

  for (const file of GATEWAY) {
    it(`POST ${file}: ${RUNS} bad requests, never a 5xx (a SOAP fault only as soap:Client)`, async () => {
      const mod = await import(path.resolve(file));
      // The gateway records refused requests (without tenant unless they name a real key).
      const before = await savedState([/^gateway_transactions$/]);
      await fc.assert(
        fc.asyncProperty(gatewayRequest[file]!, async (request) => {
          const res: Response = await mod.POST(request);
          const text = await res.text();
          // SOAP 1.1 answers every fault with HTTP 500; only a fault of the server's own is one.
          const ok = res.status < 500 || (file.includes("commerce") && !text.includes("soap:Server"));
          expect({ status: res.status, text: text.slice(0, 300) }).toEqual({
            status: ok ? res.status : "< 500",
            text: text.slice(0, 300),
          });
        }),
        { numRuns: RUNS },
      );
      expect(await savedState([/^gateway_transactions$/])).toEqual(before);
    });
  }
});

describe("fuzz: the Key Management API (lib/kms, /kms/v2 and /keycenter/v1)", () => {
  // The real handler lib/http/server.ts dispatches /kms/v2 to, on node:http; requests signed as
  // the SDK signs them by a key with Key Management API (authenticated: the bodies reach the
  // handlers' validation), and unsigned ones with junk headers.
  const KMS_KEY_PATHS = /\{keyId\}/;
  let port = 0;
  let server: import("node:http").Server;
  let creds: import("../helpers/kms").KmsCreds;
  const kmsJunk = fc.oneof(
    nestedJunk,
    wrongType.filter((v) => typeof v !== "symbol" && typeof v !== "bigint"),
    badString(),
    fc.jsonValue({ maxDepth: 3 }),
    fc.record(
      {
        keyInformation: fc.oneof(
          fc.array(
            fc.record(
              {
                organizationId: fc.oneof(
                  badString(),
                  fc.constantFrom("initech01", "nosuchorg", "x".repeat(31)),
                  fc.jsonValue({ maxDepth: 1 }),
                ),
                referenceNumber: fc.oneof(badString(), fc.jsonValue({ maxDepth: 1 })),
                keyId: fc.oneof(
                  badString(),
                  fc.constantFrom("%00", "..", "constructor"),
                  fc.jsonValue({ maxDepth: 1 }),
                ),
                cert: fc.oneof(
                  badString(),
                  fc.string({ maxLength: 200 }),
                  fc.constant("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----"),
                ),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 3 },
          ),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        status: fc.oneof(
          badString(),
          fc.constantFrom("active", "inactive", "ACTIVE", ""),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        organizationId: fc.oneof(badString(), fc.constantFrom("merchant12378", "initech01")),
        expirationDate: fc.string({ maxLength: 10 }),
        // KeyCenter's meta-key endpoints (/keycenter/v1/meta-keys).
        scope: fc.oneof(fc.constantFrom("ALL", "CUSTOM", "all", ""), badString(), fc.jsonValue({ maxDepth: 1 })),
        merchantIds: fc.oneof(
          fc.array(
            fc.oneof(
              badString(),
              fc.constantFrom("merchant12379", "initech01", "acme_acct", "x".repeat(31)),
              fc.jsonValue({ maxDepth: 1 }),
            ),
            { maxLength: 3 },
          ),
          fc.jsonValue({ maxDepth: 1 }),
        ),
        keyType: fc.oneof(fc.constantFrom("REST_SHARED_SECRET", "PGP"), badString()),
        keyManagementApi: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
        name: fc.oneof(badString(), fc.string({ maxLength: 120 })),
      },
      { requiredKeys: [] },
    ),
  );

  beforeAll(async () => {
    const { createServer } = await import("node:http");
    const { kmsHandler } = await import("@/lib/kms/http");
    const { createKey } = await import("@/lib/keys/create");
    const { createLimits, setLimitsForTests } = await import("@/lib/rate-limit");
    setLimitsForTests(
      createLimits({
        rules: {
          "kms.key": { points: 1_000_000, durationSeconds: 60 },
          "gateway.ip": { points: 1_000_000, durationSeconds: 60 },
        },
      }),
    );
    const org = await prisma.organization.findUniqueOrThrow({ where: { id: "merchant12378" } });
    const admin = await prisma.user.findUniqueOrThrow({ where: { email: "merchant.admin@keycenter.test" } });
    const r = (await createKey("REST_SHARED_SECRET", {
      ctx: { actor: { actorId: admin.id, actorEmail: admin.email }, org, environment: "TEST" },
      kmsApi: true,
    })) as { key: { id: string }; secret: string };
    creds = { keyId: r.key.id, secret: r.secret, merchantId: "merchant12378" };
    server = createServer(kmsHandler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as import("node:net").AddressInfo).port;
    return async () => {
      setLimitsForTests(null);
      await new Promise((resolve) => server.close(resolve));
    };
  });

  it("has fuzz inputs for every endpoint", async () => {
    const { KMS_ENDPOINTS } = await import("@/lib/kms/http");
    expect(KMS_ENDPOINTS.length).toBeGreaterThan(10);
  });

  it(`every endpoint: ${RUNS} bad bodies, query strings and key IDs, signed and unsigned, never a 5xx, nothing changed`, async () => {
    const { KMS_ENDPOINTS } = await import("@/lib/kms/http");
    const { kmsRequest } = await import("../helpers/kms");
    const before = await savedState([/gateway_transactions/, /audit/]);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KMS_ENDPOINTS),
        kmsJunk,
        queryString,
        pathSegment,
        fc.boolean(),
        async (endpoint, body, query, segment, signed) => {
          const [method, template] = endpoint.split(" ") as [string, string];
          const id = encodeURIComponent(segment.replace(/[\ud800-\udfff]/g, "\ufffd")) || "x";
          // A raw query as a client can send it: what HTTP cannot carry unescaped is percent-encoded.
          const raw = query.replace(/[\ud800-\udfff]/g, "\ufffd").replace(/[^\x21-\x7e]/g, encodeURIComponent);
          const target = template.replace(KMS_KEY_PATHS, id) + (method === "GET" ? `?${raw}` : "");
          const sent = typeof body === "string" ? body : JSON.stringify(body);
          const r = await kmsRequest(port, signed ? creds : null, method, target, sent ?? "null");
          expect({ endpoint, target, status: r.status }).toEqual({
            endpoint,
            target,
            status: expect.toSatisfy((s: number) => s < 500),
          });
          if (r.status === 400)
            expect(r.json).toMatchObject({
              status: "INVALID_REQUEST",
              errorInformation: { reason: expect.any(String) },
            });
        },
      ),
      { numRuns: RUNS * 3 },
    );
    // Only refusals: no key created, changed or deleted.
    expect(await savedState([/gateway_transactions/, /audit/])).toEqual(before);
  });
});

describe("fuzz: portal and sign-in pages", () => {
  const pages = files("app", "page.tsx")
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => f.startsWith("app/(portal)/") || f.startsWith("app/(auth)/"));

  for (const file of pages) {
    it(`${file}: ${RUNS} bad search params and path params, it renders, 404s or redirects, never throws`, async () => {
      const mod = await import(path.resolve(file));
      const names = [...file.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
      const before = await savedState();
      await asAdmin();
      await fc.assert(
        fc.asyncProperty(pageParams, pathSegment, async (search, segment) => {
          nextRequest.headers = adminHeaders;
          try {
            await mod.default({
              params: Promise.resolve(Object.fromEntries(names.map((n) => [n, segment]))),
              searchParams: Promise.resolve(search),
            });
          } catch (e) {
            if (!isNavigation(e)) throw e;
          }
        }),
        { numRuns: RUNS },
      );
      expect(await savedState()).toEqual(before);
    });
  }
});
