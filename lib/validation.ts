import { z } from "zod";

/**
 * Text that crosses an edge (URL params, path segments, form fields) before it reaches
 * PostgreSQL, which refuses NUL in text (a 500 if it gets that far). One rule for every edge:
 * no NUL or other control characters (tab and line breaks only where text is multi-line) and
 * no lone UTF-16 surrogates (they cannot be stored as UTF-8; the driver would replace them).
 * Secrets (passwords, codes) refuse only NUL and lone surrogates: any other character typed
 * is the person's own, and refusing it would lock out a password that has one.
 */
export const UNSUPPORTED_CHARACTERS = "Remove the unsupported characters.";

// C0 controls and DEL; tab, line feed and carriage return stay allowed in multi-line text.
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const NUL = /\u0000/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface TextRules {
  /** Tab, line feed and carriage return allowed. */
  multiline?: boolean;
  /** A secret: every control character but NUL allowed. */
  secret?: boolean;
}

/** True when `s` has a character the edge does not accept (see above). */
export function hasUnsupportedCharacters(s: string, opts: TextRules = {}): boolean {
  const control = opts.secret ? NUL : opts.multiline ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE;
  return control.test(s) || LONE_SURROGATE.test(s);
}

/**
 * The shared zod string schema: a string without unsupported characters, else the field
 * message "Remove the unsupported characters.". Chain further checks as usual
 * (`safeText().trim().max(100)`).
 */
export function safeText(opts: TextRules = {}) {
  return z.string().refine((s) => !hasUnsupportedCharacters(s, opts), UNSUPPORTED_CHARACTERS);
}

/** The first `max` characters of `s`, whole characters: a surrogate pair is never cut in half. */
export function firstCharacters(s: string, max: number): string {
  return Array.from(s).slice(0, max).join("");
}

type Params = Record<string, string | string[] | undefined>;

/**
 * A URL's query as Next.js hands it to a page (a repeated name becomes an array), so that a
 * route handler reads its filters exactly as the page with the same filters does.
 */
export function queryParams(url: string | URL): Params {
  const out: Params = Object.create(null);
  for (const [k, v] of new URL(url).searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : [prev].flat().concat(v);
  }
  return out;
}

/** The first value of a URL search param (a repeated param `?a=1&a=2` gives its first). */
export function firstParam(params: Params, name: string): string | undefined {
  const raw = Object.hasOwn(params, name) ? params[name] : undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" ? value : undefined;
}

/**
 * Each field's first URL value read through its schema: a value that fails gives the field its
 * first message in `errors`; a missing one, or one that parses to undefined (empty), is left out.
 */
export function parseParams<F extends Record<string, z.ZodType<unknown, string>>>(
  params: Params,
  fields: F,
): { values: { [K in keyof F]?: Exclude<z.output<F[K]>, undefined> }; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [name, schema] of Object.entries(fields)) {
    const value = firstParam(params, name);
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) errors[name] = parsed.error.issues[0]?.message ?? "Not a valid choice.";
    else if (parsed.data !== undefined) values[name] = parsed.data;
  }
  return { values: values as { [K in keyof F]?: Exclude<z.output<F[K]>, undefined> }, errors };
}

/** A page number from the URL: 1 when missing or not a whole number, at most `max`. */
export function pageParam(params: Params, max = 100_000): number {
  const n = Number.parseInt(firstParam(params, "page") ?? "", 10);
  return Number.isFinite(n) ? Math.max(1, Math.min(max, n)) : 1;
}

/**
 * A path segment as an ID: percent-decoded when it still is encoded (a malformed escape is
 * taken as typed), or null when it is empty, longer than `max` or has unsupported characters
 * (the page answers 404, as for an ID that does not exist).
 */
export function pathId(segment: string | undefined, max = 200): string | null {
  if (typeof segment !== "string") return null;
  let id = segment;
  try {
    id = decodeURIComponent(segment);
  } catch {
    // "%" not followed by two hex digits: the segment is the ID as typed.
  }
  if (!id || id.length > max || hasUnsupportedCharacters(id)) return null;
  return id;
}

/** A date range whose end (`to`) is before its start (`from`): the error `checkDateRange` gives `to`. */
export const END_BEFORE_START = "The end date is before the start date.";

/** Marks `to` with END_BEFORE_START when the range runs backwards (ISO dates compare as text). */
export function checkDateRange(filters: { from?: string; to?: string }, errors: Record<string, string>): void {
  if (filters.from && filters.to && filters.from > filters.to) errors.to = END_BEFORE_START;
}

/**
 * A page's reading of a hand-edited link: every filter with an error is left out (it keeps its
 * default) and the plain sentence of `notices` says so — never the validation text; a backwards
 * date range says `endBeforeStart` instead.
 */
export function dropInvalidFilters<F extends object>(
  filters: F,
  errors: Record<string, string>,
  notices: Record<keyof F, string>,
  endBeforeStart: string,
): string[] {
  const said: string[] = [];
  for (const key of Object.keys(notices) as (keyof F & string)[]) {
    if (!errors[key]) continue;
    delete filters[key];
    said.push(key === "to" && errors.to === END_BEFORE_START ? endBeforeStart : notices[key]);
  }
  return said;
}
