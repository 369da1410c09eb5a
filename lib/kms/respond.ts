import type { z } from "zod";

/**
 * Answers of the Key Management API: JSON with the status code the SDK expects, and errors in
 * Cybersource's form (InlineResponse4006 / InlineResponse5002: submitTimeUtc, status, reason,
 * message, details[]), the same reason/message/details also under `errorInformation`.
 */
export interface KmsAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export interface Detail {
  field: string;
  reason: "MISSING_FIELD" | "INVALID_DATA";
}

const STATUS_OF: Record<number, string> = {
  400: "INVALID_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "INVALID_REQUEST",
  415: "INVALID_REQUEST",
  429: "TOO_MANY_REQUESTS",
  500: "SERVER_ERROR",
};

export function errorAnswer(
  httpStatus: number,
  reason: string,
  message: string,
  details: Detail[] = [],
  headers?: Record<string, string>,
): KmsAnswer {
  const info = { reason, message, ...(details.length ? { details } : {}) };
  return {
    status: httpStatus,
    headers,
    body: {
      submitTimeUtc: utc(new Date()),
      status: STATUS_OF[httpStatus] ?? "INVALID_REQUEST",
      ...info,
      errorInformation: info,
    },
  };
}

/** A request that does not validate: 400 with one detail per field (MISSING_FIELD when absent). */
export function invalidRequest(error: z.ZodError, input: unknown): KmsAnswer {
  const details: Detail[] = [];
  for (const issue of error.issues.slice(0, 20)) {
    const field = issue.path.map(String).join(".") || "body";
    const missing = valueAt(input, issue.path) === undefined;
    if (!details.some((d) => d.field === field))
      details.push({ field, reason: missing ? "MISSING_FIELD" : "INVALID_DATA" });
  }
  const missing = details.some((d) => d.reason === "MISSING_FIELD");
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.map(String).join(".")}: ` : "";
  return errorAnswer(
    400,
    missing ? "MISSING_FIELD" : "INVALID_DATA",
    `Declined - ${where}${first?.message ?? "the request is not valid"}`,
    details,
  );
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

export const badData = (message: string, field?: string): KmsAnswer =>
  errorAnswer(400, "INVALID_DATA", message, field ? [{ field, reason: "INVALID_DATA" }] : []);

export const notFound = (message = "The key does not exist.") => errorAnswer(404, "NOT_FOUND", message);

export const forbidden = (message: string) => errorAnswer(403, "NOT_AUTHORIZED", message);
