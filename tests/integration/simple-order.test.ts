import { randomBytes, randomUUID } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealSecret, sealedVersion } from "@/lib/crypto/secrets";
import { prisma } from "@/lib/db";
import { disconnectGatewayDb } from "@/lib/gateway/db";
import { simpleOrderHandler } from "@/lib/gateway/simple-order";
import { createCertificateKey } from "@/lib/keys/certificate-keys";
import type { MetaRequest } from "@/lib/keys/meta-request";
import { seed, serviceContext } from "../helpers/fixtures";
import { transactionReader } from "../helpers/gateway";
import { der, Workdir } from "../helpers/openssl";
import { behindTrustedProxy, GATEWAY_FAILURE_LIMIT, type ServedApp, startServedApp } from "../helpers/served-app";

/**
 * The Simple Order API (G8) on the test gateway. Keys come from the app's own issuance; the
 * requests are signed here, apart from the app's code: the private key and certificate are
 * taken out of the .p12 by openssl, the SOAP envelope is written by hand and signed with
 * xml-crypto's SignedXml as WSS4J (the official Java client) signs it.
 *
 * The requests go to the served app as `npm start` runs it (tests/helpers/served-app.ts):
 * `POST /commerce/1.x/transactionProcessor` answered by lib/http/server.ts's direct path. Only
 * the cases that set the gateway's clock (a handler option no client has: the SOAP Toolkit
 * before its retirement date) call the handler itself, in describe blocks labelled unit-level.
 */
const work = new Workdir();
const PASSWORD = "simple-order-test-password-1";
const NS = {
  soap: "http://schemas.xmlsoap.org/soap/envelope/",
  wsse: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
  wsu: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
  c: "urn:schemas-cybersource-com:transaction-data-1.219",
};
const X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
const BASE64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

interface Signer {
  keyPem: string;
  certPem: string;
}

/** openssl pkcs12 -in <p12> -nodes: the private key and the merchant's own certificate. */
function fromP12(file: string): Signer {
  const keyPem = work.pkcs12(file, PASSWORD, "-nocerts", "-nodes");
  const certPem = work.pkcs12(file, PASSWORD, "-clcerts", "-nokeys");
  return {
    keyPem: keyPem.slice(keyPem.indexOf("-----BEGIN")),
    certPem: certPem.slice(certPem.indexOf("-----BEGIN")),
  };
}

/** A Simple Order .p12 issued by the app, and what openssl takes out of it. */
async function simpleOrderKey(orgId: string, meta?: MetaRequest) {
  const { key, p12 } = await createCertificateKey({
    ctx: await serviceContext(orgId, { meta }),
    type: "SIMPLE_ORDER",
    password: PASSWORD,
  });
  const file = work.write(`${key.id}.p12`, p12);
  return { id: key.id, ...fromP12(file) };
}

/** A self-signed certificate made by openssl, with the subject given. */
const selfSigned = (subject: string): Signer => work.selfSigned(subject);

function requestMessage(mid: string, over: { amount?: string; card?: string; reference?: string } = {}) {
  return (
    `<requestMessage xmlns="${NS.c}">` +
    `<merchantID>${mid}</merchantID>` +
    `<merchantReferenceCode>${over.reference ?? "NGTS1500"}</merchantReferenceCode>` +
    `<clientLibrary>Java XML</clientLibrary>` +
    `<billTo><firstName>TSTester</firstName><lastName>NextGen</lastName><country>US</country></billTo>` +
    `<purchaseTotals><currency>usd</currency><grandTotalAmount>${over.amount ?? "22.02"}</grandTotalAmount></purchaseTotals>` +
    `<card><accountNumber>${over.card ?? "4111111111111111"}</accountNumber><expirationMonth>12</expirationMonth>` +
    `<expirationYear>2031</expirationYear><cvNumber>111</cvNumber><cardType>001</cardType></card>` +
    `<ccAuthService run="true"><commerceIndicator>internet</commerceIndicator></ccAuthService>` +
    `</requestMessage>`
  );
}

/** The unsigned envelope: a Security header with the BinarySecurityToken, and the Body with its wsu:Id. */
function envelope(message: string, certPem: string, extraHeader = "", inSecurity = ""): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope xmlns:soap="${NS.soap}">` +
    `<soap:Header><wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" soap:mustUnderstand="1">` +
    inSecurity +
    `<wsse:BinarySecurityToken EncodingType="${BASE64}" ValueType="${X509V3}" wsu:Id="X509-1">${der(certPem)}</wsse:BinarySecurityToken>` +
    `</wsse:Security>${extraHeader}</soap:Header>` +
    `<soap:Body xmlns:wsu="${NS.wsu}" wsu:Id="id-body-1">${message}</soap:Body>` +
    `</soap:Envelope>`
  );
}

/** Signs as WSS4J does: RSA-SHA256, SHA-256, exclusive c14n, a BST direct reference in KeyInfo. */
function sign(xml: string, signer: Signer, target: string | string[] = "//*[local-name(.)='Body']"): string {
  const sig = new SignedXml({
    privateKey: signer.keyPem,
    idMode: "wssecurity",
    canonicalizationAlgorithm: EXC_C14N,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    getKeyInfoContent: () =>
      `<wsse:SecurityTokenReference><wsse:Reference URI="#X509-1" ValueType="${X509V3}"/></wsse:SecurityTokenReference>`,
  });
  for (const xpath of [target].flat()) {
    sig.addReference({ xpath, transforms: [EXC_C14N], digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256" });
  }
  sig.computeSignature(xml, {
    prefix: "ds",
    location: { reference: "//*[local-name(.)='Security']", action: "append" },
    existingPrefixes: { wsse: NS.wsse, wsu: NS.wsu },
  });
  return sig.getSignedXml();
}

const signed = (mid: string, signer: Signer, over?: Parameters<typeof requestMessage>[1]) =>
  sign(envelope(requestMessage(mid, over), signer.certPem), signer);

/** As WSS4J with a Timestamp action: a wsu:Timestamp in the Security header, signed with the Body. */
function signedWithTimestamp(mid: string, signer: Signer, created: Date, expires: Date | null): string {
  const stamp =
    `<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>${created.toISOString()}</wsu:Created>` +
    (expires ? `<wsu:Expires>${expires.toISOString()}</wsu:Expires>` : "") +
    `</wsu:Timestamp>`;
  return sign(envelope(requestMessage(mid), signer.certPem, "", stamp), signer, [
    "//*[local-name(.)='Body']",
    "//*[local-name(.)='Timestamp']",
  ]);
}

interface Answer {
  status: number;
  text: string;
  contentType: string | null;
  /** A field of the replyMessage or of the Fault, by local name. */
  get(name: string): string | null;
  all(name: string): string[];
}

async function read(res: Response): Promise<Answer> {
  const text = await res.text();
  const doc = new DOMParser().parseFromString(text, "text/xml");
  const all = (name: string) =>
    Array.from(doc.getElementsByTagName("*") as unknown as ArrayLike<Element>)
      .filter((e) => e.localName === name)
      .map((e) => e.textContent ?? "");
  return {
    status: res.status,
    text,
    contentType: res.headers.get("content-type"),
    get: (name) => all(name)[0] ?? null,
    all,
  };
}

const PATH = "/commerce/1.x/transactionProcessor";
const SOAP_HEADERS = { "content-type": "text/xml; charset=utf-8" };

/** POSTed to the served app (its real clock); `headers`: more request headers (X-Forwarded-For). */
async function send(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Answer> {
  return read(await fetch(`${app.base}${PATH}`, { method: "POST", headers: { ...SOAP_HEADERS, ...headers }, body }));
}

/** Unit-level: the lib handler with its clock set (a handler option, no client can send it). */
async function sendAt(body: string | Uint8Array<ArrayBuffer>, now: Date): Promise<Answer> {
  const request = new Request(`http://127.0.0.1${PATH}`, { method: "POST", headers: SOAP_HEADERS, body });
  return read(await simpleOrderHandler(request, { environment: "TEST", now }));
}

/** The one transaction row written since the last call. */
const newTransaction = transactionReader();

/**
 * A refusal: a SOAP Fault wsse:FailedAuthentication (500) that says nothing of why; the row does.
 * `merchantId` is the row's tenant: the org whose real key the request named, else null.
 */
async function expectAuthFault(answer: Answer, reason: RegExp, merchantId: string | null = "merchant12378") {
  expect(answer.status).toBe(500);
  expect(answer.get("faultcode")).toBe("wsse:FailedAuthentication");
  expect(answer.get("faultstring")).toMatch(/^Security Data : authentication failed\./);
  expect(answer.get("decision")).toBeNull();
  const tx = await newTransaction();
  expect(tx).toMatchObject({ merchantId, httpStatus: 500, status: "AUTHENTICATION_FAILED" });
  expect(tx.reason).toMatch(reason);
  return tx;
}

let merchant: Awaited<ReturnType<typeof simpleOrderKey>>;

let app: ServedApp;

beforeAll(async () => {
  await seed();
  app = await startServedApp({ env: behindTrustedProxy() });
}, 900_000);

afterAll(async () => {
  await app?.stop();
});

describe("Simple Order API, POST /commerce/1.x/transactionProcessor", () => {
  beforeAll(async () => {
    merchant = await simpleOrderKey("merchant12378");
  });

  afterAll(async () => {
    await disconnectGatewayDb();
    work.remove();
  });

  it("a request signed with the merchant's Simple Order .p12 is accepted, recorded and counted on the key", async () => {
    const before = await prisma.key.findUniqueOrThrow({ where: { id: merchant.id } });
    const r = await send(signed("merchant12378", merchant));
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^text\/xml/);
    expect(r.get("decision")).toBe("ACCEPT");
    expect(r.get("reasonCode")).toBe("100");
    expect(r.get("merchantReferenceCode")).toBe("NGTS1500");
    expect(r.get("requestID")).toMatch(/^\d{22}$/);
    expect(r.text).toContain(`xmlns:c="${NS.c}"`);
    expect(r.all("amount")).toEqual(["22.02"]);
    expect(r.get("authorizationCode")).toBe("831000");
    expect(r.get("currency")).toBe("USD");
    expect(await newTransaction()).toMatchObject({
      id: r.get("requestID"),
      environment: "TEST",
      merchantId: "merchant12378",
      keyId: merchant.id,
      metaKeyOwner: null,
      authType: "simple_order",
      applications: ["authorization"],
      httpStatus: 200,
      status: "ACCEPT",
      reason: null,
      amount: "22.02",
      currency: "USD",
    });
    const after = await prisma.key.findUniqueOrThrow({ where: { id: merchant.id } });
    expect(after.useCount).toBe(before.useCount + 1);
    expect(after.lastUsedAt).not.toBeNull();
  });

  it("accepts any transaction-data-1.x version and answers in the request's namespace", async () => {
    const message = requestMessage("merchant12378").replace(NS.c, "urn:schemas-cybersource-com:transaction-data-1.135");
    const r = await send(sign(envelope(message, merchant.certPem), merchant));
    expect(r.get("decision")).toBe("ACCEPT");
    expect(r.text).toContain('xmlns:c="urn:schemas-cybersource-com:transaction-data-1.135"');
    await newTransaction();
  });

  describe("signatures that do not vouch for this request are refused", () => {
    it("a self-signed certificate made with openssl, naming the merchant's key ID", async () => {
      const other = selfSigned(`/serialNumber=${merchant.id}/CN=merchant12378`);
      const tx = await expectAuthFault(await send(signed("merchant12378", other)), /not the key's certificate/);
      expect(tx.keyId).toBe(merchant.id);
      expect((await prisma.key.findUniqueOrThrow({ where: { id: merchant.id } })).useCount).toBe(2);
    });

    it("a self-signed certificate naming no key: recorded without tenant", async () => {
      const tx = await expectAuthFault(
        await send(signed("merchant12378", selfSigned("/CN=merchant12378"))),
        /names no key/,
        null,
      );
      expect(tx).toMatchObject({ keyId: null, metaKeyOwner: null });
    });

    it("the valid Simple Order key of another merchant: shown to the key's owner, not to merchantID's", async () => {
      const outlet = await simpleOrderKey("merchant12379");
      await expectAuthFault(
        await send(signed("merchant12378", outlet)),
        /belongs to merchant12379, not merchant12378/,
        "merchant12379",
      );
      // The same key is good for its own merchant.
      expect((await send(signed("merchant12379", outlet))).get("decision")).toBe("ACCEPT");
      await newTransaction();
    });

    it("a Body changed after signing", async () => {
      const xml = signed("merchant12378", merchant).replace("22.02", "2202.00");
      await expectAuthFault(await send(xml), /digest/);
    });

    it("signature wrapping: the signed Body moved into the Header, another Body in its place", async () => {
      const xml = signed("merchant12378", merchant);
      const body = xml.slice(xml.indexOf("<soap:Body"), xml.indexOf("</soap:Body>") + "</soap:Body>".length);
      const forged = `<soap:Body xmlns:wsu="${NS.wsu}" wsu:Id="id-body-2">${requestMessage("merchant12378", { amount: "9999.00" })}</soap:Body>`;
      for (const attack of [
        xml.replace(body, forged).replace("</soap:Header>", `<Wrapper>${body}</Wrapper></soap:Header>`),
        xml
          .replace(body, forged.replace("id-body-2", "id-body-1"))
          .replace("</soap:Header>", `<Wrapper>${body}</Wrapper></soap:Header>`),
      ]) {
        const r = await send(attack);
        expect(r.status).toBe(500);
        expect(r.get("decision")).toBeNull();
        expect(r.get("faultcode")).toBe("soap:Client");
        const tx = await newTransaction();
        expect(tx).toMatchObject({ status: "INVALID_REQUEST", amount: null, keyId: null });
        expect(tx.reason).toMatch(/exactly one Body/);
      }
    });

    it("signature wrapping: the Body's Id given to a signed element elsewhere, the Body unsigned", async () => {
      // The signature covers a header element that carries the Body's Id; the Body has another.
      const header = `<Wrapper xmlns:wsu="${NS.wsu}" wsu:Id="WRAP">${requestMessage("merchant12378")}</Wrapper>`;
      const xml = envelope(requestMessage("merchant12378", { amount: "9999.00" }), merchant.certPem, header)
        .replace('wsu:Id="id-body-1">', 'wsu:Id="id-body-9">')
        .replace('wsu:Id="WRAP"', 'wsu:Id="id-body-1"');
      const signedHeader = sign(xml, merchant, "//*[local-name(.)='Wrapper']");
      expect(signedHeader).toContain('URI="#id-body-1"');
      await expectAuthFault(await send(signedHeader), /not the Body's wsu:Id/);
    });

    it("a signature over the BinarySecurityToken instead of the Body", async () => {
      const xml = sign(
        envelope(requestMessage("merchant12378"), merchant.certPem),
        merchant,
        "//*[local-name(.)='BinarySecurityToken']",
      );
      await expectAuthFault(await send(xml), /not the Body's wsu:Id/);
    });

    it("two signatures", async () => {
      const once = signed("merchant12378", merchant);
      const twice = sign(once, merchant);
      await expectAuthFault(await send(twice), /exactly one ds:Signature/, null);
    });

    it("no WS-Security header at all", async () => {
      const xml = `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Body>${requestMessage("merchant12378")}</soap:Body></soap:Envelope>`;
      await expectAuthFault(await send(xml), /no WS-Security/, null);
    });

    it("a deleted key, and an expired one", async () => {
      const a = await simpleOrderKey("merchant12378");
      await prisma.key.update({ where: { id: a.id }, data: { deletedAt: new Date() } });
      await expectAuthFault(await send(signed("merchant12378", a)), /key deleted/);
      const b = await simpleOrderKey("merchant12378");
      await prisma.key.update({ where: { id: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await expectAuthFault(await send(signed("merchant12378", b)), /expired/);
    });

    it("a REST – Certificate .p12 is not a Simple Order key", async () => {
      const { key, p12 } = await createCertificateKey({
        ctx: await serviceContext("merchant12378"),
        type: "REST_CERTIFICATE",
        password: PASSWORD,
      });
      const rest = fromP12(work.write(`${key.id}.p12`, p12));
      await expectAuthFault(await send(signed("merchant12378", rest)), /REST_CERTIFICATE key cannot sign Simple Order/);
    });
  });

  describe("meta keys: merchantID is the transacting MID", () => {
    it("a portfolio's meta Simple Order key is accepted for a MID it covers and refused for one it does not", async () => {
      const meta = await simpleOrderKey("portfolioabc", { scope: "CUSTOM", mids: ["merchant12378"] });
      const r = await send(signed("merchant12378", meta));
      expect(r.get("decision")).toBe("ACCEPT");
      expect(await newTransaction()).toMatchObject({
        merchantId: "merchant12378",
        keyId: meta.id,
        metaKeyOwner: "portfolioabc",
        authType: "simple_order",
        status: "ACCEPT",
      });
      const tx = await expectAuthFault(await send(signed("merchant45601", meta)), /not assigned/, "merchant45601");
      expect(tx).toMatchObject({ keyId: meta.id, metaKeyOwner: "portfolioabc" });
    });

    it("an account's meta key for All MIDs works until the account turns meta keys off", async () => {
      const meta = await simpleOrderKey("acme_acct", { scope: "ALL" });
      expect((await send(signed("merchant12380", meta))).get("decision")).toBe("ACCEPT");
      await newTransaction();
      // Not below the owner: not merchant45601's to see, only the owner's (metaKeyOwner).
      const below = await expectAuthFault(
        await send(signed("merchant45601", meta)),
        /not below the meta key owner/,
        null,
      );
      expect(below).toMatchObject({ keyId: meta.id, metaKeyOwner: "acme_acct" });
      await prisma.orgSettings.upsert({
        where: { orgId: "acme_acct" },
        create: { orgId: "acme_acct", metaKeysEnabled: false },
        update: { metaKeysEnabled: false },
      });
      await expectAuthFault(await send(signed("merchant12380", meta)), /meta keys are turned off/, "merchant12380");
      await prisma.orgSettings.update({ where: { orgId: "acme_acct" }, data: { metaKeysEnabled: true } });
    });
  });

  describe("bad requests", () => {
    it("malformed XML gets a SOAP Fault, not a crash or a stack trace", async () => {
      for (const body of [
        `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Body>`,
        "this is not xml",
        `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>`,
        `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Body><a></b></soap:Body></soap:Envelope>`,
        new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]),
        "",
      ]) {
        const r = await send(body);
        expect(r.status).toBe(500);
        expect(r.contentType).toMatch(/^text\/xml/);
        expect(r.get("faultcode")).toBe("soap:Client");
        expect(r.get("faultstring")).toMatch(/^The request is not well-formed XML/);
        expect(r.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d/);
        expect(await newTransaction()).toMatchObject({ httpStatus: 500, status: "INVALID_REQUEST", merchantId: null });
      }
    });

    it("XML that is not a SOAP request gets a soap:Client fault", async () => {
      for (const body of [
        requestMessage("merchant12378"),
        `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Body><other/></soap:Body></soap:Envelope>`,
      ]) {
        const r = await send(body);
        expect(r.status).toBe(500);
        expect(r.get("faultcode")).toBe("soap:Client");
        expect(r.get("faultstring")).toMatch(/^Invalid SOAP request/);
        await newTransaction();
      }
    });

    it("a body over the size limit is refused without being read whole", async () => {
      const r = await send("<x>" + "a".repeat(200 * 1024) + "</x>");
      expect(r.status).toBe(413);
      expect(r.get("faultcode")).toBe("soap:Client");
      expect((await newTransaction()).reason).toBe("body too large");
    });

    it("missing and invalid fields are rejected with Cybersource reason codes 101 and 102", async () => {
      const r = await send(signed("merchant12378", merchant, { card: "4111111111111112" }));
      expect(r.status).toBe(200);
      expect(r.get("decision")).toBe("REJECT");
      expect(r.get("reasonCode")).toBe("102");
      expect(r.all("invalidField")).toEqual(["c:card/c:accountNumber"]);
      expect(await newTransaction()).toMatchObject({ keyId: merchant.id, httpStatus: 200, status: "REJECT" });

      const missing = await send(signed("merchant12378", merchant, { reference: "", amount: "abc" }));
      expect(missing.get("reasonCode")).toBe("101");
      expect(missing.all("missingField")).toEqual(["c:merchantReferenceCode"]);
      expect(missing.all("invalidField")).toEqual(["c:purchaseTotals/c:grandTotalAmount"]);
      expect((await newTransaction()).reason).toMatch(/missing fields: c:merchantReferenceCode/);
    });
  });

  describe("Simple Order: replay window, tenants, bad input and the failure rate limit (issue 12)", () => {
    const MINUTE = 60_000;
    let key: Awaited<ReturnType<typeof simpleOrderKey>>;
    beforeAll(async () => {
      key = await simpleOrderKey("merchant12378");
    });

    it("a signed wsu:Timestamp that holds is accepted", async () => {
      const now = Date.now();
      for (const expires of [new Date(now + 5 * MINUTE), null]) {
        const r = await send(signedWithTimestamp("merchant12378", key, new Date(now - 1000), expires));
        expect(r.status).toBe(200);
        expect(r.get("decision")).toBe("ACCEPT");
        expect(await newTransaction()).toMatchObject({ keyId: key.id, status: "ACCEPT" });
      }
    });

    it("an expired, a too old or a future signed wsu:Timestamp is refused", async () => {
      const now = Date.now();
      const cases: [Date, Date | null, RegExp][] = [
        [new Date(now - 10 * MINUTE), new Date(now - 5 * MINUTE), /has expired/],
        [new Date(now - 30 * MINUTE), new Date(now + 60 * MINUTE), /too old/],
        [new Date(now - 10 * MINUTE), null, /too old/],
        [new Date(now + 10 * MINUTE), new Date(now + 15 * MINUTE), /in the future/],
      ];
      for (const [created, expires, reason] of cases) {
        await expectAuthFault(await send(signedWithTimestamp("merchant12378", key, created, expires)), reason);
      }
    });

    it("a Timestamp changed after signing is refused (it is covered by the signature)", async () => {
      const now = Date.now();
      const xml = signedWithTimestamp("merchant12378", key, new Date(now - 10 * MINUTE), new Date(now - 5 * MINUTE));
      const later = xml.replace(new Date(now - 5 * MINUTE).toISOString(), new Date(now + 5 * MINUTE).toISOString());
      await expectAuthFault(await send(later), /signature does not verify/);
    });

    it("a made-up key ID (self-signed certificate) for a real merchant has no tenant", async () => {
      const fake = selfSigned("/serialNumber=1234567890123456789/CN=initech01");
      const tx = await expectAuthFault(await send(signed("initech01", fake)), /unknown key/, null);
      expect(tx).toMatchObject({ keyId: null, metaKeyOwner: null });
    });

    it("NUL, lone surrogates and oversized IDs in the SOAP fields are a soap:Client fault, never a soap:Server one", async () => {
      const bodies = [
        signed("merchant\u0000", key),
        // Written into the request as received (a signer would not keep them).
        signed("merchantXX", key).replace("merchantXX", "merchant&#0;"),
        signed("merchantXX", key).replace("merchantXX", "merchant&#xD800;"),
        signed("m".repeat(500), key),
      ];
      for (const body of bodies) {
        const r = await send(body);
        expect(r.status).toBe(500);
        expect(r.get("faultcode")).toBe("soap:Client");
        expect(await newTransaction()).toMatchObject({ merchantId: null, status: "INVALID_REQUEST" });
      }
      // An oversized SOAP Toolkit Username: below, unit-level (the handler's clock before the retirement date).
    });

    it("repeated unauthenticated failures from one address are answered 429 with Retry-After", async () => {
      // The client's address as the trusted proxy in front names it (its limit: GATEWAY_FAILURE_LIMIT per 60 s).
      const from = (address: string, body: string) => send(body, { "x-forwarded-for": address });
      const bad = signed("merchant12378", selfSigned("/CN=merchant12378"));
      for (let i = 0; i < GATEWAY_FAILURE_LIMIT; i++) {
        expect((await from("203.0.113.20", bad)).get("faultcode")).toBe("wsse:FailedAuthentication");
        await newTransaction();
      }
      const limited = await fetch(`${app.base}${PATH}`, {
        method: "POST",
        headers: { ...SOAP_HEADERS, "x-forwarded-for": "203.0.113.20" },
        body: bad,
      });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await read(limited)).get("faultcode")).toBe("soap:Client");
      // A good request from that address waits too; another address is not affected.
      expect((await from("203.0.113.20", signed("merchant12378", key))).status).toBe(429);
      expect((await from("198.51.100.20", signed("merchant12378", key))).get("decision")).toBe("ACCEPT");
      expect(await newTransaction()).toMatchObject({ status: "ACCEPT" });
    });
  });
});

describe("SOAP Toolkit: wsse:UsernameToken with the SOAP key", () => {
  const BEFORE = new Date("2025-07-15T23:59:00Z");
  const TEST_RETIREMENT = new Date("2025-07-16T00:00:00Z");
  const soapKeys: Record<string, { id: string; secret: string }> = {};

  /** A SOAP Toolkit key with a known secret, stored as the app stores secrets (they cannot be created any more). */
  async function insertSoapKey(
    orgId: string,
    meta?: { mids: string[] },
    over: { environment?: "TEST" | "PRODUCTION"; deletedAt?: Date } = {},
  ) {
    const id = randomUUID();
    const secret = randomBytes(256).toString("base64");
    const blob = sealSecret(secret, id);
    await prisma.key.create({
      data: {
        id,
        type: "SOAP_TOOLKIT",
        environment: "TEST",
        orgId,
        name: `SOAP ${orgId}`,
        createdAt: new Date("2025-01-02T00:00:00Z"),
        expiresAt: new Date("2028-01-02T00:00:00Z"),
        secretCiphertext: new Uint8Array(blob),
        secretKeyVersion: sealedVersion(blob),
        ...over,
        ...(meta ? { metaScope: "CUSTOM" as const, assignments: { create: meta.mids.map((mid) => ({ mid })) } } : {}),
      },
    });
    return { id, secret };
  }

  beforeAll(async () => {
    soapKeys.merchant = await insertSoapKey("merchant12378");
    soapKeys.portfolio = await insertSoapKey("portfolioabc", { mids: ["merchant12378"] });
  });

  /** The guide's SOAP example ({#keys-meta-api-soap}), with our Username and Password. */
  function guideRequest(username: string, password: string, mid = "merchant12378") {
    return `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <SOAP-ENV:Header>
    <wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}">
      <wsse:UsernameToken>
        <wsse:Username>${username}</wsse:Username>
        <wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">${password}</wsse:Password>
      </wsse:UsernameToken>
    </wsse:Security>
  </SOAP-ENV:Header>
  <SOAP-ENV:Body>
    <requestMessage xmlns="urn:schemas-cybersource-com:transaction-data-1.151">
      <merchantID>${mid}</merchantID>
      <merchantReferenceCode>BATSNTA1003</merchantReferenceCode>
      <billTo><firstName>James</firstName><lastName>Dough</lastName><country>US</country></billTo>
      <item id="0"><unitPrice>1.00</unitPrice></item>
      <item id="1"><unitPrice>1.00</unitPrice></item>
      <purchaseTotals><currency>USD</currency></purchaseTotals>
      <card>
        <accountNumber>4111111111111111</accountNumber>
        <expirationMonth>04</expirationMonth>
        <expirationYear>2025</expirationYear>
        <cvNumber>111</cvNumber>
        <cardType>001</cardType>
      </card>
      <ccAuthService run="true"/>
      <ccCaptureService run="true"/>
    </requestMessage>
    <urn:requestMessage xmlns:urn="urn:schemas-cybersource-com:transaction-data-1.151"/>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`;
  }

  /** Refused as retired, with the pointer to the Simple Order key; recorded without tenant. */
  async function expectRetired(r: Answer) {
    expect(r.status).toBe(500);
    expect(r.get("faultcode")).toBe("wsse:FailedAuthentication");
    expect(r.get("faultstring")).toMatch(
      /^SOAP Toolkit keys are no longer supported in the test environment since July 16, 2025\./,
    );
    expect(r.get("faultstring")).toContain("certificate-based Simple Order key");
    const tx = await newTransaction();
    expect(tx).toMatchObject({
      authType: "soap_toolkit",
      merchantId: null, // no key was identified: no tenant
      status: "AUTHENTICATION_FAILED",
    });
    expect(tx.reason).toMatch(/retired in TEST since 2025-07-16/);
  }

  describe("on the served app (its real clock)", () => {
    it("is refused since the test environment's retirement date, with the pointer to the Simple Order key", async () => {
      await expectRetired(await send(guideRequest("merchant12378", soapKeys.merchant!.secret)));
    });
  });

  describe("unit-level: the handler, its clock set around the retirement date (a handler option no client can send)", () => {
    it("is refused from the test environment's retirement date, with the pointer to the Simple Order key", async () => {
      await expectRetired(await sendAt(guideRequest("merchant12378", soapKeys.merchant!.secret), TEST_RETIREMENT));
    });

    it("is accepted before that date (the guide's example, merchant's own key)", async () => {
      const r = await sendAt(guideRequest("merchant12378", soapKeys.merchant!.secret), BEFORE);
      expect(r.status).toBe(200);
      expect(r.get("decision")).toBe("ACCEPT");
      expect(r.get("merchantReferenceCode")).toBe("BATSNTA1003");
      expect(r.text).toContain('xmlns:c="urn:schemas-cybersource-com:transaction-data-1.151"');
      expect(await newTransaction()).toMatchObject({
        authType: "soap_toolkit",
        keyId: soapKeys.merchant!.id,
        merchantId: "merchant12378",
        status: "ACCEPT",
        amount: "2.00",
        currency: "USD",
      });
      const key = await prisma.key.findUniqueOrThrow({ where: { id: soapKeys.merchant!.id } });
      expect(key).toMatchObject({ useCount: 1, lastUsedAt: BEFORE });
    });

    it("a portfolio's meta SOAP key: Username is the portfolio, merchantID the covered MID", async () => {
      const r = await sendAt(guideRequest("portfolioabc", soapKeys.portfolio!.secret), BEFORE);
      expect(r.get("decision")).toBe("ACCEPT");
      expect(await newTransaction()).toMatchObject({
        keyId: soapKeys.portfolio!.id,
        metaKeyOwner: "portfolioabc",
        merchantId: "merchant12378",
      });
      await expectAuthFault(
        await sendAt(guideRequest("portfolioabc", soapKeys.portfolio!.secret, "merchant12379"), BEFORE),
        /not assigned/,
        "merchant12379",
      );
    });

    it("a wrong password, or another org's key, is refused", async () => {
      const wrong = randomBytes(256).toString("base64");
      await expectAuthFault(
        await sendAt(guideRequest("merchant12378", wrong), BEFORE),
        /Password is not a SOAP Toolkit key/,
        null,
      );
      await expectAuthFault(
        await sendAt(guideRequest("merchant12379", soapKeys.merchant!.secret), BEFORE),
        /Password is not a SOAP Toolkit key of merchant12379/,
        null,
      );
      await expectAuthFault(
        await sendAt(guideRequest("merchant12378", soapKeys.merchant!.secret.slice(0, -4)), BEFORE),
        /Password is not/,
        null,
      );
    });

    it("only the Username's live keys of this environment are candidates (not deleted ones, not production's)", async () => {
      const deleted = await insertSoapKey("merchant12378", undefined, { deletedAt: new Date("2025-03-01T00:00:00Z") });
      const production = await insertSoapKey("merchant12378", undefined, { environment: "PRODUCTION" });
      for (const key of [deleted, production]) {
        await expectAuthFault(
          await sendAt(guideRequest("merchant12378", key.secret), BEFORE),
          /Password is not a SOAP Toolkit key of merchant12378/,
          null,
        );
      }
    });

    it("an item without an id is read: its unitPrice counts, and a bad one is named by its position", async () => {
      const request = guideRequest("merchant12378", soapKeys.merchant!.secret);
      const r = await sendAt(
        request.replace('<item id="1"><unitPrice>1.00</unitPrice>', "<item><unitPrice>3.00</unitPrice>"),
        BEFORE,
      );
      expect(r.get("decision")).toBe("ACCEPT");
      expect(await newTransaction()).toMatchObject({ status: "ACCEPT", amount: "4.00", currency: "USD" });

      const bad = await sendAt(
        request.replace('<item id="1"><unitPrice>1.00</unitPrice>', "<item><unitPrice>x</unitPrice>"),
        BEFORE,
      );
      expect(bad.get("decision")).toBe("REJECT");
      expect(bad.all("invalidField")).toEqual(["c:item_1_unitPrice"]);
      await newTransaction();
    });

    it("an oversized Username is a soap:Client fault, never a soap:Server one", async () => {
      const username = envelope(requestMessage("merchant12378"), merchant.certPem)
        .replace(/<wsse:BinarySecurityToken[^]*<\/wsse:BinarySecurityToken>/, "")
        .replace(
          "</wsse:Security>",
          `<wsse:UsernameToken><wsse:Username>${"u".repeat(500)}</wsse:Username><wsse:Password>x</wsse:Password></wsse:UsernameToken></wsse:Security>`,
        );
      const r = await sendAt(username, BEFORE);
      expect(r.get("faultcode")).toBe("soap:Client");
      expect(await newTransaction()).toMatchObject({ merchantId: null, status: "INVALID_REQUEST" });
    });
  });
});
