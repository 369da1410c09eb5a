import { DOMParser } from "@xmldom/xmldom";

/**
 * SOAP 1.1 as the Simple Order API speaks it (SPEC G8): strict parsing of the envelope, the
 * `requestMessage` of `urn:schemas-cybersource-com:transaction-data-1.x`, and the replies —
 * a `replyMessage` in the request's namespace, or a SOAP Fault. Framework-free, no database.
 */
export const NS = {
  soap: "http://schemas.xmlsoap.org/soap/envelope/",
  wsse: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
  wsu: "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
  ds: "http://www.w3.org/2000/09/xmldsig#",
} as const;

/** Any version of the transaction data schema: `...transaction-data-1.219`, `-1.151`, ... */
const TRANSACTION_DATA = /^urn:schemas-cybersource-com:transaction-data-1\.\d{1,4}$/;
/** The namespace a reply uses when the request named none we know. */
export const DEFAULT_TRANSACTION_NS = "urn:schemas-cybersource-com:transaction-data-1.219";

/** Deeper nesting than this is refused before anything walks the tree recursively. */
const MAX_DEPTH = 64;

const ELEMENT_NODE = 1;

export class XmlProblem extends Error {}

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** XML 1.0's Char production. */
function xmlChar(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

/**
 * Parses `text` as one XML document, refusing anything a parser would only warn about, a
 * DOCTYPE (no entities, no DTD: SOAP forbids them) and nesting deeper than MAX_DEPTH.
 */
export function parseXml(text: string): Document {
  if (/<!DOCTYPE/i.test(text)) throw new XmlProblem("a DOCTYPE is not allowed");
  // XML 1.0 allows no NUL, no other C0 control but tab/LF/CR, no lone surrogate, neither
  // written nor as a character reference; the parser lets them through, PostgreSQL does not.
  if (CONTROL.test(text) || !text.isWellFormed()) throw new XmlProblem("a character XML does not allow");
  for (const m of text.matchAll(/&#(x[0-9A-Fa-f]+|[0-9]+);/g)) {
    const c = m[1]!.startsWith("x") ? parseInt(m[1]!.slice(1), 16) : Number(m[1]);
    if (!xmlChar(c)) throw new XmlProblem("a character reference XML does not allow");
  }
  const fail = (msg: unknown) => {
    throw new XmlProblem(
      String(msg)
        .split("\n")[0]!
        .replace(/^\[xmldom [a-z]+\]\s*/i, ""),
    );
  };
  let doc: Document;
  try {
    doc = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(
      text,
      "text/xml",
    );
  } catch (e) {
    if (e instanceof XmlProblem) throw e;
    throw new XmlProblem(e instanceof Error ? e.message.split("\n")[0]! : "not well-formed");
  }
  if (!doc?.documentElement) throw new XmlProblem("no document element");
  if (depthOf(doc.documentElement) > MAX_DEPTH) throw new XmlProblem(`nested deeper than ${MAX_DEPTH} elements`);
  return doc;
}

function depthOf(root: Element): number {
  let max = 0;
  const stack: [Element, number][] = [[root, 1]];
  while (stack.length) {
    const [el, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (depth > MAX_DEPTH) break;
    for (const child of elements(el)) stack.push([child, depth + 1]);
  }
  return max;
}

/** The element children of `el`, optionally only those of namespace `ns` and local name `name`. */
export function elements(el: Element, ns?: string, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== ELEMENT_NODE) continue;
    const e = n as Element;
    if (ns !== undefined && e.namespaceURI !== ns) continue;
    if (name !== undefined && e.localName !== name) continue;
    out.push(e);
  }
  return out;
}

/** The elements anywhere in `doc` of namespace `ns` and local name `name`. */
export function everywhere(doc: Document | Element, ns: string, name: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns, name) as unknown as ArrayLike<Element>);
}

export interface Envelope {
  envelope: Element;
  header: Element | null;
  body: Element;
}

/** Envelope, at most one Header, exactly one Body (in the whole document), nothing else. */
export function envelopeOf(doc: Document): Envelope | { problem: string } {
  const envelope = doc.documentElement;
  if (envelope.namespaceURI !== NS.soap || envelope.localName !== "Envelope") {
    return { problem: "the document is not a SOAP 1.1 Envelope" };
  }
  const children = elements(envelope);
  const headers = children.filter((e) => e.namespaceURI === NS.soap && e.localName === "Header");
  const bodies = children.filter((e) => e.namespaceURI === NS.soap && e.localName === "Body");
  if (children.length !== headers.length + bodies.length) return { problem: "the Envelope holds an unknown element" };
  if (headers.length > 1) return { problem: "the Envelope holds more than one Header" };
  if (bodies.length !== 1 || everywhere(doc, NS.soap, "Body").length !== 1) {
    return { problem: "the Envelope must hold exactly one Body" };
  }
  return { envelope, header: headers[0] ?? null, body: bodies[0]! };
}

/**
 * The one `requestMessage` of the Body. Empty ones are passed over (the guide's SOAP example
 * carries an empty `<urn:requestMessage/>` after the real one); two with content are refused.
 */
export function requestMessageOf(body: Element): Element | { problem: string } {
  const messages = elements(body).filter(
    (e) => e.localName === "requestMessage" && TRANSACTION_DATA.test(e.namespaceURI ?? ""),
  );
  const withContent = messages.filter((m) => elements(m).length > 0);
  if (withContent.length === 0) {
    return { problem: "the Body holds no requestMessage of urn:schemas-cybersource-com:transaction-data-1.x" };
  }
  if (withContent.length > 1) return { problem: "the Body holds more than one requestMessage" };
  return withContent[0]!;
}

/** The trimmed text of the child of `el` at `path` (same namespace as `el`), or null when absent. */
export function field(el: Element, ...path: string[]): string | null {
  let cur: Element | undefined = el;
  for (const name of path) {
    cur = elements(cur, el.namespaceURI ?? undefined, name)[0];
    if (!cur) return null;
  }
  return (cur.textContent ?? "").trim();
}

// ---- replies ----

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);

function envelope(body: string, bodyNs = ""): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Header/>` +
    `<soap:Body${bodyNs}>${body}</soap:Body></soap:Envelope>\n`
  );
}

/** A nested element tree as `c:`-prefixed XML; undefined and null values are left out. */
export type ReplyTree = { [name: string]: string | number | ReplyTree | string[] | null | undefined };

function render(tree: ReplyTree): string {
  let out = "";
  for (const [name, value] of Object.entries(tree)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const inner = typeof v === "object" ? render(v) : escapeXml(String(v));
      out += `<c:${name}>${inner}</c:${name}>`;
    }
  }
  return out;
}

/** A `replyMessage` in the request's transaction-data namespace. */
export function replyEnvelope(ns: string, reply: ReplyTree): string {
  return envelope(`<c:replyMessage xmlns:c="${escapeXml(ns)}">${render(reply)}</c:replyMessage>`);
}

/** WS-Security's fault codes (SOAP Message Security 1.0, §12) are in the wsse namespace the Fault declares. */
export type FaultCode = "soap:Client" | "soap:Server" | "wsse:FailedAuthentication" | "wsse:UnsupportedAlgorithm";

/** A SOAP 1.1 Fault; the request ID goes into the detail, for support. */
export function faultEnvelope(code: FaultCode, faultstring: string, requestId: string): string {
  return envelope(
    `<soap:Fault><faultcode>${code}</faultcode><faultstring>${escapeXml(faultstring)}</faultstring>` +
      `<detail><c:requestID xmlns:c="${DEFAULT_TRANSACTION_NS}">${escapeXml(requestId)}</c:requestID></detail></soap:Fault>`,
    ` xmlns:wsse="${NS.wsse}"`,
  );
}
