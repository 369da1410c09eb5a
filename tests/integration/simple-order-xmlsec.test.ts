import { DOMParser } from "@xmldom/xmldom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectGatewayDb } from "@/lib/gateway/db";
import { createCertificateKey } from "@/lib/keys/certificate-keys";
import { seed, serviceContext } from "../helpers/fixtures";
import { transactionReader } from "../helpers/gateway";
import { der, Workdir } from "../helpers/openssl";
import { type ServedApp, startServedApp } from "../helpers/served-app";
import { type IdAttribute, xmlsecSign, xmlsecVerifies } from "../helpers/xmlsec";

/**
 * The Simple Order API (G8) with envelopes in the shapes Cybersource's own clients send,
 * signed by xmlsec1 (the XML Security Library), not by the project's code nor by xml-crypto,
 * which the gateway verifies with:
 * - the Java client (WSS4J): `wsse:BinarySecurityToken` inside `wsse:Security`, a `ds:`
 *   Signature after it with one Reference to the Body's `wsu:Id` (optionally a signed
 *   `wsu:Timestamp` too), InclusiveNamespaces in the exclusive c14n;
 * - the .NET XmlClient (cybersource-sdk-dotnet, `XmlClient.SignDocument`): the token a
 *   direct child of `SOAP-ENV:Header` beside `wsse:Security`, the Signature in the default
 *   namespace with the same `Reference URI="#MsgBody"` twice, the Body carrying both
 *   `wsu:Id` and `Id`.
 * Keys are real Simple Order keys made by the product's services; openssl takes the private
 * key and certificate out of the .p12. The envelopes go to the served app as `npm start` runs
 * it (tests/helpers/served-app.ts), answered by lib/http/server.ts's direct path.
 */
const work = new Workdir();
const PASSWORD = "simple-order-xmlsec-password-1";

const SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
const WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const TX = "urn:schemas-cybersource-com:transaction-data-1.219";
const X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
const BASE64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const ALG = {
  rsaSha1: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
  rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
  rsaSha512: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
  sha1: "http://www.w3.org/2000/09/xmldsig#sha1",
  sha256: "http://www.w3.org/2001/04/xmlenc#sha256",
};

/** The IDs xmlsec1 follows: the Body's and the Timestamp's, and any header element's named `Id`. */
const IDS: IdAttribute[] = [
  { attr: "Id", ns: SOAP, element: "Body" },
  { attr: "Id", ns: WSU, element: "Timestamp" },
  { attr: "Id", ns: WSSE, element: "BinarySecurityToken" },
  { attr: "Id", ns: "urn:keycenter:test", element: "Extra" },
];

interface Signer {
  id: string;
  keyPem: string;
  certPem: string;
}

const pemBody = (pem: string) => pem.slice(pem.indexOf("-----BEGIN"));

/** A Simple Order key made by the product (createCertificateKey), its .p12 opened by openssl. */
async function simpleOrderKey(orgId: string): Promise<Signer> {
  const { key, p12 } = await createCertificateKey({
    ctx: await serviceContext(orgId),
    type: "SIMPLE_ORDER",
    password: PASSWORD,
  });
  const file = work.write(`${key.id}.p12`, p12);
  return {
    id: key.id,
    keyPem: pemBody(work.pkcs12(file, PASSWORD, "-nocerts", "-nodes")),
    certPem: pemBody(work.pkcs12(file, PASSWORD, "-clcerts", "-nokeys")),
  };
}

/** A ccAuthService requestMessage as both clients put it into the Body (the .NET one adds its version fields). */
function order(mid: string, amount = "31.50"): string {
  const fields: [string, string][] = [
    ["merchantID", mid],
    ["merchantReferenceCode", "XMLSEC-1"],
    ["clientLibrary", ".NET XML"],
    ["clientLibraryVersion", "1.4.3"],
  ];
  const card = [
    ["accountNumber", "4111111111111111"],
    ["expirationMonth", "11"],
    ["expirationYear", "2032"],
    ["cardType", "001"],
  ];
  const tag = ([name, value]: string[]) => `<${name}>${value}</${name}>`;
  return (
    `<requestMessage xmlns="${TX}">${fields.map(tag).join("")}` +
    `<billTo><firstName>Ada</firstName><lastName>Lovelace</lastName><country>US</country></billTo>` +
    `<purchaseTotals><currency>USD</currency><grandTotalAmount>${amount}</grandTotalAmount></purchaseTotals>` +
    `<card>${card.map(tag).join("")}</card><ccAuthService run="true"/></requestMessage>`
  );
}

interface ReferenceTemplate {
  uri: string;
  transform?: string;
  digest?: string;
  /** The WSS4J form: an InclusiveNamespaces PrefixList in the exclusive c14n transform. */
  prefixes?: string;
}

/** A ds:Reference for xmlsec1 to fill, written with `p` as the XML-DSig prefix ("" for the default namespace). */
function reference(p: string, r: ReferenceTemplate): string {
  const transform = r.transform ?? EXC_C14N;
  const inclusive =
    r.prefixes === undefined ? "" : `<ec:InclusiveNamespaces xmlns:ec="${EXC_C14N}" PrefixList="${r.prefixes}"/>`;
  return (
    `<${p}Reference URI="${r.uri}"><${p}Transforms><${p}Transform Algorithm="${transform}">${inclusive}</${p}Transform></${p}Transforms>` +
    `<${p}DigestMethod Algorithm="${r.digest ?? ALG.sha256}"/><${p}DigestValue></${p}DigestValue></${p}Reference>`
  );
}

interface SignatureTemplate {
  references: ReferenceTemplate[];
  signatureMethod?: string;
}

/** The ds:Signature template: SignedInfo (exclusive c14n), an empty SignatureValue, the KeyInfo's token reference. */
function signature(p: string, s: SignatureTemplate, ns: string, str: string): string {
  const method = s.signatureMethod ?? ALG.rsaSha256;
  return (
    `<${p}Signature${ns}><${p}SignedInfo><${p}CanonicalizationMethod Algorithm="${EXC_C14N}"/>` +
    `<${p}SignatureMethod Algorithm="${method}"/>${s.references.map((r) => reference(p, r)).join("")}</${p}SignedInfo>` +
    `<${p}SignatureValue></${p}SignatureValue>${str}</${p}Signature>`
  );
}

const token = (certPem: string, id: string, ns = "") =>
  `<wsse:BinarySecurityToken${ns} EncodingType="${BASE64}" ValueType="${X509V3}" wsu:Id="${id}">${der(certPem)}</wsse:BinarySecurityToken>`;

interface Shape {
  message: string;
  certPem: string;
  signatureMethod?: string;
  /** The Signature's References; each shape has its own default. */
  references?: ReferenceTemplate[];
  tokenUri?: string;
  /** Appended to the Header (after the shape's own children). */
  header?: string;
  timestamp?: { created: Date; expires: Date };
}

/**
 * The Java client's message (cybersource-sdk-java through WSS4J), as the ws-security
 * handler writes it: the token and then the Signature inside wsse:Security, one Reference
 * to the Body (exclusive c14n with InclusiveNamespaces), KeyInfo a direct reference.
 */
function javaShape(s: Shape): string {
  const stamp = s.timestamp
    ? `<wsu:Timestamp wsu:Id="TS-7"><wsu:Created>${s.timestamp.created.toISOString()}</wsu:Created>` +
      `<wsu:Expires>${s.timestamp.expires.toISOString()}</wsu:Expires></wsu:Timestamp>`
    : "";
  const references = s.references ?? [
    { uri: "#id-4F1B5A", prefixes: "" },
    ...(s.timestamp ? [{ uri: "#TS-7", prefixes: "wsse soapenv" }] : []),
  ];
  const str =
    `<ds:KeyInfo Id="KI-4F1B5B"><wsse:SecurityTokenReference wsu:Id="STR-4F1B5C">` +
    `<wsse:Reference URI="${s.tokenUri ?? "#X509-4F1B59"}" ValueType="${X509V3}"/></wsse:SecurityTokenReference></ds:KeyInfo>`;
  const sig = signature(
    "ds:",
    { references, signatureMethod: s.signatureMethod },
    ` xmlns:ds="${DS}" Id="SIG-4F1B5D"`,
    str,
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP}">\n<soapenv:Header>\n` +
    `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}" soapenv:mustUnderstand="1">` +
    `${stamp}${token(s.certPem, "X509-4F1B59")}${sig}</wsse:Security>${s.header ?? ""}\n</soapenv:Header>\n` +
    `<soapenv:Body xmlns:wsu="${WSU}" wsu:Id="id-4F1B5A">${s.message}</soapenv:Body>\n</soapenv:Envelope>\n`
  );
}

/**
 * The .NET XmlClient's message (cybersource-sdk-dotnet XmlClient.cs): its SOAP_ENVELOPE
 * template, the Signature in the default namespace appended to wsse:Security with the same
 * Reference to #MsgBody twice, the KeyInfo added after signing, and the token a direct child
 * of the Header beside wsse:Security.
 */
function dotnetShape(s: Shape): string {
  const body = { uri: "#MsgBody" };
  const str =
    `<ds:KeyInfo xmlns:ds="${DS}"><SecurityTokenReference xmlns="${WSSE}">` +
    `<wsse:Reference xmlns:wsse="${WSSE}" URI="${s.tokenUri ?? "#X509Token"}" ValueType="${X509V3}"/>` +
    `</SecurityTokenReference></ds:KeyInfo>`;
  const sig = signature(
    "",
    { references: s.references ?? [body, body], signatureMethod: s.signatureMethod },
    ` xmlns="${DS}"`,
    str,
  );
  return (
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP}"><SOAP-ENV:Header>` +
    `<wsse:Security xmlns:wsse="${WSSE}" SOAP-ENV:mustUnderstand="1">${sig}</wsse:Security>` +
    token(s.certPem, "X509Token", ` xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"`) +
    `${s.header ?? ""}</SOAP-ENV:Header>` +
    `<SOAP-ENV:Body xmlns:SOAP-ENV="${SOAP}" xmlns:wsu="${WSU}" wsu:Id="MsgBody" Id="MsgBody">${s.message}</SOAP-ENV:Body>` +
    `</SOAP-ENV:Envelope>`
  );
}

const signedBy = (signer: Signer, template: string) => xmlsecSign(work, template, signer, IDS);

interface Answer {
  status: number;
  get(name: string): string | null;
}

let app: ServedApp;

/** POSTed to the served app (its real clock), the answer read by local names. */
async function send(body: string): Promise<Answer> {
  const res = await fetch(`${app.base}/commerce/1.x/transactionProcessor`, {
    method: "POST",
    headers: { "content-type": "text/xml; charset=utf-8" },
    body,
  });
  const doc = new DOMParser().parseFromString(await res.text(), "text/xml");
  const byName = (name: string) =>
    Array.from(doc.getElementsByTagName("*") as unknown as ArrayLike<Element>).find((e) => e.localName === name);
  return { status: res.status, get: (name) => byName(name)?.textContent ?? null };
}

const newTransaction = transactionReader();

async function expectAccepted(answer: Answer, keyId: string) {
  expect(answer.status).toBe(200);
  expect(answer.get("faultstring")).toBeNull();
  expect(answer.get("decision")).toBe("ACCEPT");
  expect(answer.get("reasonCode")).toBe("100");
  expect(answer.get("amount")).toBe("31.50");
  expect(await newTransaction()).toMatchObject({
    keyId,
    merchantId: "merchant12378",
    authType: "simple_order",
    status: "ACCEPT",
    amount: "31.50",
  });
}

/** A SOAP Fault (HTTP 500, no decision); the recorded reason says why. */
async function expectFault(answer: Answer, faultcode: string, reason: RegExp) {
  expect(answer.status).toBe(500);
  expect(answer.get("decision")).toBeNull();
  expect(answer.get("faultcode")).toBe(faultcode);
  const tx = await newTransaction();
  expect(tx.status).not.toBe("ACCEPT");
  expect(tx.amount).toBeNull();
  expect(tx.reason).toMatch(reason);
  return tx;
}

const AUTH = "wsse:FailedAuthentication";

let merchant: Signer;
let outlet: Signer;

describe("Simple Order API with the official clients' message shapes, signed by xmlsec1", () => {
  beforeAll(async () => {
    await seed();
    app = await startServedApp();
    merchant = await simpleOrderKey("merchant12378");
    outlet = await simpleOrderKey("merchant12379");
  }, 900_000);

  afterAll(async () => {
    await app?.stop();
    await disconnectGatewayDb();
    work.remove();
  });

  describe("accepted (ACCEPT, reasonCode 100)", () => {
    it("the Java client's shape (WSS4J): the token inside wsse:Security, one Reference to the Body", async () => {
      const xml = signedBy(merchant, javaShape({ message: order("merchant12378"), certPem: merchant.certPem }));
      expect(xmlsecVerifies(work, xml, merchant.certPem, IDS)).toBe(true);
      await expectAccepted(await send(xml), merchant.id);
    });

    it("the Java client's shape with a signed wsu:Timestamp, with RSA-SHA512, with inclusive c14n", async () => {
      const now = Date.now();
      const timestamp = { created: new Date(now - 2000), expires: new Date(now + 5 * 60_000) };
      const message = order("merchant12378");
      for (const template of [
        javaShape({ message, certPem: merchant.certPem, timestamp }),
        javaShape({ message, certPem: merchant.certPem, signatureMethod: ALG.rsaSha512 }),
        javaShape({ message, certPem: merchant.certPem, references: [{ uri: "#id-4F1B5A", transform: C14N }] }),
      ]) {
        await expectAccepted(await send(signedBy(merchant, template)), merchant.id);
      }
    });

    it("the .NET XmlClient's shape: the token beside wsse:Security, the same Reference to #MsgBody twice", async () => {
      const xml = signedBy(merchant, dotnetShape({ message: order("merchant12378"), certPem: merchant.certPem }));
      // What the .NET client sends, as xmlsec1 signed it: two References, one token outside wsse:Security.
      expect(xml.match(/<Reference URI="#MsgBody">/g)).toHaveLength(2);
      expect(xml).toMatch(/<\/wsse:Security><wsse:BinarySecurityToken /);
      expect(xmlsecVerifies(work, xml, merchant.certPem, IDS)).toBe(true);
      await expectAccepted(await send(xml), merchant.id);
    });
  });

  describe("refused with a SOAP Fault", () => {
    it("a Body changed after signing, in either shape", async () => {
      for (const shape of [javaShape, dotnetShape]) {
        const xml = signedBy(merchant, shape({ message: order("merchant12378"), certPem: merchant.certPem }));
        const tampered = xml.replace("<grandTotalAmount>31.50<", "<grandTotalAmount>3150.00<");
        expect(tampered).not.toBe(xml);
        await expectFault(await send(tampered), AUTH, /digest/);
      }
    });

    it("another merchant's valid Simple Order key, in either shape", async () => {
      for (const shape of [javaShape, dotnetShape]) {
        const xml = signedBy(outlet, shape({ message: order("merchant12378"), certPem: outlet.certPem }));
        const tx = await expectFault(await send(xml), AUTH, /belongs to merchant12379, not merchant12378/);
        expect(tx).toMatchObject({ keyId: outlet.id, merchantId: "merchant12379" });
      }
    });

    it("an unsigned envelope: the template as is, or only the token", async () => {
      const template = dotnetShape({ message: order("merchant12378"), certPem: merchant.certPem });
      await expectFault(await send(template), AUTH, /signature does not verify/);
      const tokenOnly = template.replace(/<Signature[^]*<\/Signature>/, "");
      await expectFault(await send(tokenOnly), AUTH, /no WS-Security credentials/);
    });

    it("a DOCTYPE, even one that only declares the Body's Id an ID (as xmlsec1 signs without --id-attr)", async () => {
      const doctype = `<!DOCTYPE SOAP-ENV:Envelope [<!ATTLIST SOAP-ENV:Body Id ID #IMPLIED>]>`;
      const template = doctype + dotnetShape({ message: order("merchant12378"), certPem: merchant.certPem });
      const xml = xmlsecSign(work, template, merchant, []);
      expect(xml).toContain("<!DOCTYPE");
      const answer = await send(xml);
      await expectFault(answer, "soap:Client", /DOCTYPE/);
    });

    it("a second Reference to a header element (another header, the token), beside the Body's", async () => {
      const extra = `<kc:Extra xmlns:kc="urn:keycenter:test" xmlns:wsu="${WSU}" wsu:Id="HDR-1">amount=31.50</kc:Extra>`;
      for (const [uri, header] of [
        ["#HDR-1", extra],
        ["#X509Token", ""],
      ] as const) {
        const template = dotnetShape({
          message: order("merchant12378"),
          certPem: merchant.certPem,
          header,
          references: [{ uri: "#MsgBody" }, { uri }],
        });
        const xml = signedBy(merchant, template);
        expect(xmlsecVerifies(work, xml, merchant.certPem, IDS)).toBe(true);
        await expectFault(await send(xml), AUTH, /second Reference is not the Security header's one wsu:Timestamp/);
      }
    });

    it("two References to the Body that do not digest the same (inclusive and exclusive c14n)", async () => {
      const template = dotnetShape({
        message: order("merchant12378"),
        certPem: merchant.certPem,
        references: [{ uri: "#MsgBody" }, { uri: "#MsgBody", transform: C14N }],
      });
      // An Envelope namespace the Body does not use: inclusive c14n renders it, exclusive does not.
      const xml = signedBy(merchant, template.replace(">", ` xmlns:xsd="http://www.w3.org/2001/XMLSchema">`));
      const digests = [...xml.matchAll(/<DigestValue>([^<]+)</g)].map((m) => m[1]);
      expect(digests).toHaveLength(2);
      expect(digests[0]).not.toBe(digests[1]);
      expect(xmlsecVerifies(work, xml, merchant.certPem, IDS)).toBe(true);
      await expectFault(await send(xml), AUTH, /same digest/);
    });

    it("a token the SecurityTokenReference does not point to", async () => {
      const message = order("merchant12378");
      const cases: [string, RegExp][] = [
        // The reference names no element; the token stands unreferenced.
        [dotnetShape({ message, certPem: merchant.certPem, tokenUri: "#X509Other" }), /does not point to/],
        // The reference names the Body, not the token.
        [javaShape({ message, certPem: merchant.certPem, tokenUri: "#id-4F1B5A" }), /does not point to/],
        // A second token, not referenced, beside the referenced one.
        [
          dotnetShape({
            message,
            certPem: merchant.certPem,
            header: token(outlet.certPem, "X509Second", ` xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"`),
          }),
          /exactly one wsse:BinarySecurityToken/,
        ],
      ];
      for (const [template, reason] of cases) {
        await expectFault(await send(signedBy(merchant, template)), AUTH, reason);
      }
    });

    it("a token outside the Header, or deeper in it than a child of the Header or of wsse:Security", async () => {
      const inBody = dotnetShape({ message: order("merchant12378"), certPem: merchant.certPem })
        .replace(/<wsse:BinarySecurityToken[^]*<\/wsse:BinarySecurityToken>/, "")
        .replace(
          "</requestMessage>",
          `</requestMessage>${token(merchant.certPem, "X509Token", ` xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"`)}`,
        );
      const wrapped = dotnetShape({ message: order("merchant12378"), certPem: merchant.certPem }).replace(
        /<wsse:BinarySecurityToken[^]*<\/wsse:BinarySecurityToken>/,
        (t) => `<kc:Wrapper xmlns:kc="urn:keycenter:test">${t}</kc:Wrapper>`,
      );
      for (const template of [inBody, wrapped]) {
        await expectFault(await send(signedBy(merchant, template)), AUTH, /BinarySecurityToken stands elsewhere/);
      }
    });

    it("an ID carried twice: the Body's by a header element, the token's by another element", async () => {
      const message = order("merchant12378");
      const bodyId = dotnetShape({
        message,
        certPem: merchant.certPem,
        header: `<kc:Other xmlns:kc="urn:keycenter:test" Id="MsgBody"/>`,
      });
      const tokenId = dotnetShape({
        message,
        certPem: merchant.certPem,
        header: `<kc:Other xmlns:kc="urn:keycenter:test" xmlns:wsu="${WSU}" wsu:Id="X509Token"/>`,
      });
      // xmlsec1 itself signs only one of two equal IDs; sign first, then add the duplicate.
      for (const [template, reason] of [
        [bodyId, /another element carries the Body's Id/],
        [tokenId, /does not point to the wsse:BinarySecurityToken/],
      ] as const) {
        const clean = template.replace(/<kc:Other [^>]*\/>/, "");
        const xml = signedBy(merchant, clean).replace(
          "</SOAP-ENV:Header>",
          `${template.match(/<kc:Other [^>]*\/>/)![0]}</SOAP-ENV:Header>`,
        );
        await expectFault(await send(xml), AUTH, reason);
      }
    });

    it("RSA-SHA1 (the default of .NET WCF-based clients): the faultstring names the accepted algorithms", async () => {
      for (const [signatureMethod, digest] of [
        [ALG.rsaSha1, ALG.sha256],
        [ALG.rsaSha1, ALG.sha1],
        [ALG.rsaSha256, ALG.sha1],
      ]) {
        const body = { uri: "#MsgBody", digest };
        const template = dotnetShape({
          message: order("merchant12378"),
          certPem: merchant.certPem,
          signatureMethod,
          references: [body, body],
        });
        const xml = signedBy(merchant, template);
        expect(xmlsecVerifies(work, xml, merchant.certPem, IDS)).toBe(true);
        const answer = await send(xml);
        const faultstring = answer.get("faultstring") ?? "";
        for (const accepted of [ALG.rsaSha256, ALG.rsaSha512, ALG.sha256, EXC_C14N]) {
          expect(faultstring).toContain(accepted);
        }
        expect(faultstring).toMatch(/SHA-1 is not accepted/);
        await expectFault(answer, "wsse:UnsupportedAlgorithm", /SHA-1|sha1/);
      }
    });
  });
});
