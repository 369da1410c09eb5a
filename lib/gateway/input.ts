/**
 * What the gateway accepts as text from a caller, and how it writes caller text down. Every
 * value that reaches a PostgreSQL query (key and merchant IDs, profile IDs, JWT IDs) passes
 * `cleanText` first: PostgreSQL refuses NUL in text (a 500 otherwise), and a lone surrogate
 * or a megabyte "key ID" is never a real one. Recorded fields go through `capText`.
 */

/** C0 controls but tab/LF/CR, DEL, C1 controls. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Longest ID the gateway looks up (key IDs are at most 36 characters, org IDs short names). */
export const MAX_ID_CHARS = 100;

/** `value` when it is well-formed text of 1..max characters without control characters; else null. */
export function cleanText(value: string | null | undefined, max: number): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > max) return null;
  if (CONTROL.test(value) || !value.isWellFormed()) return null;
  return value;
}

/** True when `value` would be refused by `cleanText` (absent or empty is not "unclean"). */
export function unclean(value: string | null | undefined, max: number): boolean {
  return typeof value === "string" && value.length > 0 && cleanText(value, max) === null;
}

/**
 * Caller text as it may be stored or logged: control characters and lone surrogates become
 * U+FFFD, and at most `max` characters are kept (never half a surrogate pair).
 */
export function capText(value: string, max: number): string;
export function capText(value: string | null, max: number): string | null;
export function capText(value: string | null, max: number): string | null {
  if (value === null) return null;
  let s = value.length > max ? value.slice(0, max) : value;
  if (s.length > 0 && /[\uD800-\uDBFF]$/.test(s) && value.length > s.length) s = s.slice(0, -1);
  return s.toWellFormed().replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, "\uFFFD");
}
