import { X509Certificate } from "node:crypto";
import { SignedXml } from "xml-crypto";
import { elements, type Envelope, everywhere, type FaultCode, NS, parseXml, XmlProblem } from "./soap";

/**
 * WS-Security for the Simple Order API (SPEC G8): what the `wsse:Security` header carries —
 * an XML Signature over the SOAP Body with the signer's certificate in a
 * `wsse:BinarySecurityToken` (the Simple Order `.p12`), or a `wsse:UsernameToken` (SOAP
 * Toolkit). The official clients sign in two shapes, both accepted:
 * - Java (WSS4J): the token inside `wsse:Security`, one Reference to the Body's `wsu:Id`
 *   (and one to a `wsu:Timestamp` when the client adds one);
 * - .NET XmlClient: the token a direct child of the SOAP Header beside `wsse:Security`, the
 *   same Reference to the Body twice.
 * Either way RSA-SHA256/512, SHA-256/512 digests, exclusive or inclusive c14n, and the
 * signature's KeyInfo names its token by a `wsse:SecurityTokenReference` to the token's
 * `wsu:Id`. Verification is xml-crypto's; this file decides what may be verified at all, so
 * that a valid signature can only vouch for the Body processed: one Security header, one
 * Signature inside it, one Body in the document, one token (in the Header, the one the
 * reference points to), References only to the Body (all with the same digest) and at most
 * the Security header's one Timestamp, each ID carried by no other element, no DOCTYPE.
 * No database here: the caller maps the certificate to its key.
 */
const X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
const BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
const PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";

/**
 * The algorithm URIs this file knows, by use, with the names a refusal gives them. Only
 * `accepted` ones may sign: no SHA-1, and no HMAC (xml-crypto leaves it off unless asked); the
 * SHA-1 ones are known only to be named when a request uses them (the .NET clients' default).
 */
type AlgorithmUse = "signature" | "digest" | "canonicalization";
const ALGORITHMS: readonly { uri: string; name: string; use: AlgorithmUse; accepted: boolean }[] = [
  { uri: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", name: "RSA-SHA256", use: "signature", accepted: true },
  { uri: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", name: "RSA-SHA512", use: "signature", accepted: true },
  { uri: "http://www.w3.org/2000/09/xmldsig#rsa-sha1", name: "RSA-SHA1", use: "signature", accepted: false },
  { uri: "http://www.w3.org/2001/04/xmlenc#sha256", name: "SHA-256", use: "digest", accepted: true },
  { uri: "http://www.w3.org/2001/04/xmlenc#sha512", name: "SHA-512", use: "digest", accepted: true },
  { uri: "http://www.w3.org/2000/09/xmldsig#sha1", name: "SHA-1", use: "digest", accepted: false },
  // For SignedInfo and for each Reference's Transforms.
  { uri: "http://www.w3.org/2001/10/xml-exc-c14n#", name: "exclusive c14n", use: "canonicalization", accepted: true },
  { uri: "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", name: "c14n 1.0", use: "canonicalization", accepted: true },
];

/** URI → name of the algorithms of `use` that are accepted (of every use, for `accepted: false`). */
function algorithmTable(use: AlgorithmUse | null, accepted = true): Record<string, string> {
  return Object.fromEntries(
    ALGORITHMS.filter((a) => a.accepted === accepted && (use === null || a.use === use)).map((a) => [a.uri, a.name]),
  );
}
const SIGNATURE_ALGORITHMS = algorithmTable("signature");
const DIGEST_ALGORITHMS = algorithmTable("digest");
const CANONICALIZATIONS = algorithmTable("canonicalization");
/** What the refusal of another algorithm calls it, when it is one of the SHA-1 ones clients still send. */
const SHA1_NAMES = algorithmTable(null, false);

const accepted = (all: Record<string, string>) =>
  Object.entries(all)
    .map(([uri, name]) => `${name} (${uri})`)
    .join(" or ");

/**
 * The faultstring of a request signed with an algorithm not accepted: which ones are (the
 * .NET WCF-based clients default to RSA-SHA1). The request's own algorithm is named only
 * when it is a known one, never echoed.
 */
export function unsupportedAlgorithmFault(uri: string): string {
  const what = Object.hasOwn(SHA1_NAMES, uri) ? SHA1_NAMES[uri] : "an algorithm";
  return (
    `Security Data : the request is signed with ${what} that is not accepted (SHA-1 is not accepted). ` +
    `Sign with ${accepted(SIGNATURE_ALGORITHMS)}, digests ${accepted(DIGEST_ALGORITHMS)}, ` +
    `canonicalization and transforms ${accepted(CANONICALIZATIONS)}.`
  );
}

/** References a signature may hold: the Body's (the .NET client sends it twice) and a Timestamp's. */
const MAX_REFERENCES = 4;

/** A same-document reference to an ID: no XPointer, no quotes, nothing xml-crypto would have to escape. */
const ID_REFERENCE = /^#([A-Za-z_][\w.-]{0,127})$/;

export type WsSecurity =
  | { kind: "none" }
  | { kind: "signature"; token: Element; signature: Element }
  | { kind: "username"; username: string; password: string };

/** What the Header's `wsse:Security` offers, or why it cannot be used. */
export function wsSecurityOf(doc: Document, env: Envelope): WsSecurity | { problem: string } {
  const all = everywhere(doc, NS.wsse, "Security");
  if (all.length === 0) return { kind: "none" };
  const security = env.header ? elements(env.header, NS.wsse, "Security") : [];
  if (all.length !== 1 || security.length !== 1) {
    return { problem: "exactly one wsse:Security header is allowed, in the SOAP Header" };
  }
  const header = security[0]!;
  const signatures = everywhere(doc, NS.ds, "Signature");
  const usernameTokens = everywhere(doc, NS.wsse, "UsernameToken");
  if (signatures.length > 0 && usernameTokens.length > 0) {
    return { problem: "a request is either signed or carries a UsernameToken, not both" };
  }
  if (usernameTokens.length > 0) {
    const tokens = elements(header, NS.wsse, "UsernameToken");
    if (usernameTokens.length !== 1 || tokens.length !== 1) return { problem: "more than one UsernameToken" };
    const username = elements(tokens[0]!, NS.wsse, "Username");
    const password = elements(tokens[0]!, NS.wsse, "Password");
    if (username.length !== 1 || password.length !== 1) {
      return { problem: "the UsernameToken needs one Username and one Password" };
    }
    const type = password[0]!.getAttribute("Type");
    if (type && type !== PASSWORD_TEXT) return { problem: "only PasswordText passwords are supported" };
    return {
      kind: "username",
      username: (username[0]!.textContent ?? "").trim(),
      password: (password[0]!.textContent ?? "").trim(),
    };
  }
  if (signatures.length === 0) return { kind: "none" };
  const signature = elements(header, NS.ds, "Signature");
  if (signatures.length !== 1 || signature.length !== 1) {
    return { problem: "exactly one ds:Signature is allowed, in the wsse:Security header" };
  }
  const token = referencedToken(doc, env, header, signature[0]!);
  if ("problem" in token) return token;
  return { kind: "signature", token: token.token, signature: signature[0]! };
}

/** The Signature's KeyInfo/wsse:SecurityTokenReference/wsse:Reference, when it is the only one there. */
function tokenReference(signature: Element): Element | null {
  const keyInfo = only(signature, NS.ds, "KeyInfo");
  const str = keyInfo && only(keyInfo, NS.wsse, "SecurityTokenReference");
  return str && only(str, NS.wsse, "Reference");
}

/**
 * The signing certificate's token, found through the signature's SecurityTokenReference: a
 * direct reference (`URI="#<wsu:Id>"`, ValueType X509v3 when given) to the document's one
 * `wsse:BinarySecurityToken`, which stands in the Header, inside `wsse:Security` (WSS4J) or
 * as a direct child of the Header (the .NET XmlClient), and whose ID no other element carries.
 */
function referencedToken(
  doc: Document,
  env: Envelope,
  security: Element,
  signature: Element,
): { token: Element } | { problem: string } {
  const tokens = everywhere(doc, NS.wsse, "BinarySecurityToken");
  if (tokens.some((t) => t.parentNode !== security && t.parentNode !== env.header)) {
    return { problem: "a wsse:BinarySecurityToken stands elsewhere than in wsse:Security or directly in the Header" };
  }
  if (tokens.length !== 1) return { problem: "a signed request carries exactly one wsse:BinarySecurityToken" };
  const token = tokens[0]!;
  const ref = tokenReference(signature);
  const id = ref && ID_REFERENCE.exec(ref.getAttribute("URI") ?? "")?.[1];
  const valueType = ref?.getAttribute("ValueType");
  if (!id || (valueType && valueType !== X509V3)) {
    return { problem: "the signature's KeyInfo holds no direct SecurityTokenReference to an X509v3 token" };
  }
  if (wsuId(token) !== id || !onlyWithId(doc, id, token)) {
    return {
      problem: "the signature's SecurityTokenReference does not point to the wsse:BinarySecurityToken (by its wsu:Id)",
    };
  }
  return { token };
}

const wsuId = (el: Element) => el.getAttributeNS(NS.wsu, "Id") || null;

/** The elements carrying `id` in an attribute xml-crypto resolves references by (Id, ID, id, wsu:Id). */
function elementsWithId(doc: Document, id: string): Element[] {
  const out: Element[] = [];
  const stack: Element[] = [doc.documentElement];
  while (stack.length) {
    const el = stack.pop()!;
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes[i]!;
      if ((a.localName === "Id" || a.localName === "ID" || a.localName === "id") && a.value === id) {
        out.push(el);
        break;
      }
    }
    stack.push(...elements(el));
  }
  return out;
}

function only(parent: Element, ns: string, name: string): Element | null {
  const found = elements(parent, ns, name);
  return found.length === 1 ? found[0]! : null;
}

/** A signed `wsu:Timestamp` of the Security header: when the request was made, and until when it holds. */
export interface SignedTimestamp {
  created: Date;
  expires: Date | null;
}

type VerifiedBody =
  | {
      ok: true;
      /** The certificate of the BinarySecurityToken, whose key made the signature. */
      certificate: X509Certificate;
      /** The Body as signed (parsed from the canonical form xml-crypto digested). */
      signedBody: Element;
      /** The Timestamp, when the signature covers one (read from what was signed); else null. */
      timestamp: SignedTimestamp | null;
    }
  | {
      ok: false;
      reason: string;
      certificate: X509Certificate | null;
      /** Said to the caller instead of the generic authentication fault (an algorithm not accepted). */
      fault?: { code: FaultCode; faultstring: string };
    };

/** The one element carrying `id` (by the attributes xml-crypto resolves), when it is `expected`. */
function onlyWithId(doc: Document, id: string, expected: Element): boolean {
  const withId = elementsWithId(doc, id);
  return withId.length === 1 && withId[0] === expected;
}

const algorithmOf = (el: Element | null) => el?.getAttribute("Algorithm") ?? "";
/** Own entries only: an Algorithm named `constructor` is no algorithm. */
const known = (table: Record<string, string>, uri: string) => Object.hasOwn(table, uri);

/** The first algorithm of SignedInfo (signature, canonicalization, each Reference's digest and transforms) not accepted. */
function unsupportedAlgorithm(signedInfo: Element): string | null {
  const method = algorithmOf(only(signedInfo, NS.ds, "SignatureMethod"));
  if (!known(SIGNATURE_ALGORITHMS, method)) return method;
  const c14n = algorithmOf(only(signedInfo, NS.ds, "CanonicalizationMethod"));
  if (!known(CANONICALIZATIONS, c14n)) return c14n;
  for (const ref of elements(signedInfo, NS.ds, "Reference")) {
    const digest = algorithmOf(only(ref, NS.ds, "DigestMethod"));
    if (!known(DIGEST_ALGORITHMS, digest)) return digest;
    for (const transforms of elements(ref, NS.ds, "Transforms")) {
      for (const t of elements(transforms, NS.ds, "Transform")) {
        if (!known(CANONICALIZATIONS, algorithmOf(t))) return algorithmOf(t);
      }
    }
  }
  return null;
}

/** What a Reference digests and how: its transforms, digest method and value, as one comparable string. */
function digestOf(ref: Element): string {
  const transforms = elements(ref, NS.ds, "Transforms").flatMap((ts) => elements(ts, NS.ds, "Transform"));
  const inclusive = (t: Element) =>
    everywhere(t, "http://www.w3.org/2001/10/xml-exc-c14n#", "InclusiveNamespaces")
      .map((n) => n.getAttribute("PrefixList") ?? "")
      .join("|");
  const digest = only(ref, NS.ds, "DigestMethod");
  const value = only(ref, NS.ds, "DigestValue");
  return JSON.stringify([
    transforms.map((t) => [algorithmOf(t), inclusive(t)]),
    algorithmOf(digest),
    (value?.textContent ?? "").replace(/\s+/g, ""),
  ]);
}

/**
 * Verifies the XML Signature of a request `wsSecurityOf` found signed. `xml` is the text
 * `doc` was parsed from. Refuses unless the signature is valid and covers exactly the Body
 * (by one Reference, or several that all digest it the same way, as the .NET client signs),
 * and besides it at most the Security header's one `wsu:Timestamp` (as WSS4J signs it).
 */
export function verifySignedBody(
  xml: string,
  doc: Document,
  env: Envelope,
  found: { token: Element; signature: Element },
): VerifiedBody {
  let certificate: X509Certificate | null = null;
  const refuse = (reason: string): VerifiedBody => ({ ok: false, reason, certificate });

  // The token: an X.509 v3 certificate, base64 DER.
  const { token, signature } = found;
  const valueType = token.getAttribute("ValueType");
  const encoding = token.getAttribute("EncodingType");
  if (valueType !== X509V3) return refuse("the BinarySecurityToken is not an X509v3 certificate");
  if (encoding && encoding !== BASE64_BINARY) return refuse("the BinarySecurityToken is not Base64Binary");
  const der = (token.textContent ?? "").replace(/\s+/g, "");
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(der)) throw new Error("not base64");
    certificate = new X509Certificate(Buffer.from(der, "base64"));
  } catch {
    return refuse("the BinarySecurityToken is not a readable certificate");
  }

  // The signature names its key by a direct reference to that token (wsSecurityOf found the
  // token through it; checked again here, where the certificate is used).
  const tokenId = wsuId(token);
  if (!tokenId || tokenReference(signature)?.getAttribute("URI") !== `#${tokenId}`) {
    return refuse("the signature's KeyInfo does not reference the BinarySecurityToken");
  }

  const signedInfo = only(signature, NS.ds, "SignedInfo");
  if (!signedInfo) return refuse("the signature has no single SignedInfo");
  // RSA-SHA256/512 only: anything else (RSA-SHA1 above all) is told which ones are accepted.
  const unsupported = unsupportedAlgorithm(signedInfo);
  if (unsupported !== null) {
    return {
      ok: false,
      reason: `algorithm not accepted: ${unsupported || "(none)"}`,
      certificate,
      fault: { code: "wsse:UnsupportedAlgorithm", faultstring: unsupportedAlgorithmFault(unsupported) },
    };
  }

  // References to the Body's wsu:Id, which no other element carries, all digesting it the
  // same way; at most one more, to the Security header's Timestamp, likewise; nothing else.
  const references = elements(signedInfo, NS.ds, "Reference");
  if (references.length < 1 || references.length > MAX_REFERENCES) {
    return refuse(`the signature must reference the Body (at most ${MAX_REFERENCES} References)`);
  }
  const bodyId = wsuId(env.body);
  const ids = references.map((r) => ID_REFERENCE.exec(r.getAttribute("URI") ?? "")?.[1] ?? null);
  if (!bodyId || !ids.includes(bodyId)) return refuse("the signature's Reference is not the Body's wsu:Id");
  if (!onlyWithId(doc, bodyId, env.body)) return refuse("another element carries the Body's Id");
  const bodyReferences = references.filter((_, i) => ids[i] === bodyId);
  if (new Set(bodyReferences.map(digestOf)).size !== 1) {
    return refuse("the signature's References to the Body do not all have the same digest");
  }
  const others = ids.filter((id) => id !== bodyId);
  let timestampId: string | null = null;
  if (others.length > 1) return refuse("the signature references more than the Body and the Timestamp");
  if (others.length === 1) {
    const security = signature.parentNode as Element | null;
    const stamps = everywhere(doc, NS.wsu, "Timestamp");
    const stamp = security && stamps.length === 1 && stamps[0]!.parentNode === security ? stamps[0]! : null;
    timestampId = others[0]!;
    if (!stamp || !timestampId || wsuId(stamp) !== timestampId || !onlyWithId(doc, timestampId, stamp)) {
      return refuse("the signature's second Reference is not the Security header's one wsu:Timestamp");
    }
  }

  const sig = new SignedXml({ publicCert: certificate.toString() });
  sig.SignatureAlgorithms = pick(sig.SignatureAlgorithms, SIGNATURE_ALGORITHMS);
  sig.HashAlgorithms = pick(sig.HashAlgorithms, DIGEST_ALGORITHMS);
  sig.CanonicalizationAlgorithms = pick(sig.CanonicalizationAlgorithms, CANONICALIZATIONS);
  let valid: boolean;
  try {
    sig.loadSignature(signature);
    valid = sig.checkSignature(xml);
  } catch (e) {
    return refuse(`signature does not verify: ${e instanceof Error ? e.message.split("\n")[0] : "error"}`);
  }
  if (!valid) return refuse("signature does not verify: the Body's digest does not match");

  // What xml-crypto vouches for: the References it checked, and the bytes it digested for each.
  const checked = sig.getReferences();
  const bodyUri = `#${bodyId}`;
  const stampUri = timestampId && `#${timestampId}`;
  if (
    checked.length !== references.length ||
    sig.getSignedReferences().length !== references.length ||
    checked.some((r) => (r.uri !== bodyUri && r.uri !== stampUri) || typeof r.signedReference !== "string")
  ) {
    return refuse("the signature's Reference is not the Body's wsu:Id");
  }
  const bodyTexts = new Set(checked.filter((r) => r.uri === bodyUri).map((r) => r.signedReference!));
  const stampText = checked.find((r) => r.uri === stampUri)?.signedReference;
  if (bodyTexts.size !== 1) return refuse("the signature's References to the Body do not all have the same digest");
  let signedBody: Element;
  let timestamp: SignedTimestamp | null = null;
  try {
    signedBody = parseXml([...bodyTexts][0]!).documentElement;
    if (stampText !== undefined) {
      const el = parseXml(stampText).documentElement;
      if (el.namespaceURI !== NS.wsu || el.localName !== "Timestamp") {
        return refuse("the signed Timestamp is not a wsu:Timestamp");
      }
      const read = readTimestamp(el);
      if ("problem" in read) return refuse(read.problem);
      timestamp = read;
    }
  } catch (e) {
    return refuse(`a signed element cannot be read: ${e instanceof XmlProblem ? e.message : "error"}`);
  }
  if (signedBody.namespaceURI !== NS.soap || signedBody.localName !== "Body") {
    return refuse("the signed element is not the SOAP Body");
  }
  return { ok: true, certificate, signedBody, timestamp };
}

/** xsd:dateTime in UTC, as WSS4J writes it (`2026-12-01T15:10:00.000Z`). */
const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function readTimestamp(el: Element): SignedTimestamp | { problem: string } {
  const created = elements(el, NS.wsu, "Created");
  const expires = elements(el, NS.wsu, "Expires");
  if (created.length !== 1 || expires.length > 1) {
    return { problem: "the wsu:Timestamp needs one wsu:Created and at most one wsu:Expires" };
  }
  const time = (e: Element) => {
    const t = (e.textContent ?? "").trim();
    return UTC_DATE_TIME.test(t) ? new Date(t.replace(/(\.\d{3})\d+Z$/, "$1Z")) : null;
  };
  const c = time(created[0]!);
  const x = expires[0] ? time(expires[0]) : null;
  if (!c || Number.isNaN(c.getTime()) || (expires[0] && (!x || Number.isNaN(x.getTime())))) {
    return { problem: "the wsu:Timestamp's times are not UTC xsd:dateTime" };
  }
  return { created: c, expires: x };
}

/** How far a Timestamp's Created may be ahead of the gateway's clock, and Expires behind it. */
export const TIMESTAMP_SKEW_MS = 60_000;
/** How old Created may be, Expires or not (WSS4J's default time-to-live), plus the skew. */
export const TIMESTAMP_MAX_AGE_MS = 5 * 60_000;

/** Why a signed Timestamp does not hold at `now`, or null. */
export function timestampProblem(ts: SignedTimestamp, now: Date): string | null {
  const t = now.getTime();
  if (ts.created.getTime() > t + TIMESTAMP_SKEW_MS) return "the wsu:Timestamp is created in the future";
  if (ts.expires && ts.expires.getTime() <= ts.created.getTime())
    return "the wsu:Timestamp expires before it is created";
  if (ts.expires && ts.expires.getTime() + TIMESTAMP_SKEW_MS < t) return "the wsu:Timestamp has expired";
  // A far Expires does not widen the window: Created is at most 5 minutes old, as WSS4J checks.
  if (t - ts.created.getTime() > TIMESTAMP_MAX_AGE_MS + TIMESTAMP_SKEW_MS) return "the wsu:Timestamp is too old";
  return null;
}

function pick<T>(all: Record<string, T>, names: Record<string, string>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(names)
      .filter((n) => all[n])
      .map((n) => [n, all[n]!]),
  );
}
