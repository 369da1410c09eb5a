import { describe, expect, it } from "vitest";
import { createLogger, logLevel, REDACTED, REDACTED_KEYS, requestLogger, TOO_DEEP } from "@/lib/log";

type Line = Record<string, unknown>;

/** A logger at `level` writing to a captured stream: `text()` is the raw output, `lines()` the parsed lines. */
function captured(level: Parameters<typeof createLogger>[1] = "trace") {
  const chunks: string[] = [];
  const log = createLogger({ write: (s: string) => void chunks.push(s) }, level);
  const text = () => chunks.join("");
  const lines = () =>
    text()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line);
  return { log, text, lines, line: (i = 0): Line => lines()[i] ?? expect.fail(`no line ${i}:\n${text()}`) };
}

/** The value at `path` of a parsed line. */
function at(line: Line, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], line);
}

const SECRET = "s3cr3t-VALUE-never-logged";

describe("logger", () => {
  it("writes one JSON line with the level's name, an ISO time, the fields and the message", () => {
    const c = captured();
    c.log.warn({ requestId: "r1", status: 401 }, "gateway: refused");
    const line = c.line();
    expect(line).toMatchObject({ level: "warn", requestId: "r1", status: 401, msg: "gateway: refused" });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it.each(REDACTED_KEYS)("never writes the value of %s, at the top level, nested, in arrays or bound", (key) => {
    const c = captured();
    const secret = `${SECRET}-${key}`;
    c.log.warn({ [key]: secret }, "top level");
    c.log.warn({ body: { [key]: secret } }, "one level down");
    c.log.warn({ req: { headers: { [key]: secret } } }, "two levels down");
    c.log.warn({ a: { b: { c: { d: { [key]: secret } } } } }, "four levels down");
    c.log.warn({ items: [{ [key]: secret }] }, "in an array");
    c.log.warn({ [key.toUpperCase()]: secret }, "in capitals");
    c.log.child({ [key]: secret, nested: { [key]: secret } }).warn({}, "bound to a child");
    expect(c.text()).not.toContain(SECRET);
    expect(c.lines()).toHaveLength(7);
    expect(at(c.line(0), key)).toBe(REDACTED);
    expect(at(c.line(1), "body", key)).toBe(REDACTED);
    expect(at(c.line(2), "req", "headers", key)).toBe(REDACTED);
    expect(at(c.line(3), "a", "b", "c", "d", key)).toBe(REDACTED);
    expect(at(c.line(4), "items", 0, key)).toBe(REDACTED);
    expect(at(c.line(5), key.toUpperCase())).toBe(REDACTED);
    expect(at(c.line(6), key)).toBe(REDACTED);
    expect(at(c.line(6), "nested", key)).toBe(REDACTED);
  });

  it("redacts the secrets KeyCenter handles, as the code names them, and leaves the rest", () => {
    const c = captured();
    const fields = {
      headers: { Authorization: `Bearer ${SECRET}`, cookie: `session=${SECRET}`, "Set-Cookie": [`s=${SECRET}`] },
      req: { headers: { authorization: `Signature ${SECRET}`, cookie: SECRET } },
      input: { password: SECRET, confirmPassword: SECRET, p12Password: SECRET, proof: { password: SECRET } },
      key: { sharedSecret: SECRET, secretKey: SECRET, p12: Buffer.from(SECRET), privateKeyPem: SECRET },
      settings: { webhookSecret: Buffer.from(SECRET), webhookSecretCreatedAt: new Date(0) },
      user: { totpSecret: SECRET, recoveryCodes: [SECRET, SECRET] },
      session: { token: SECRET, private_key: SECRET },
      card_number: SECRET,
      merchantId: "merchant1",
    };
    c.log.error(fields, "everything at once");
    expect(c.text()).not.toContain(SECRET);
    expect(c.text()).not.toContain(Buffer.from(SECRET).toString("base64"));
    expect(c.text()).toContain(REDACTED);
    // Fields that are not secrets stay; the caller's object is left as it was.
    expect(c.line()).toMatchObject({
      merchantId: "merchant1",
      settings: { webhookSecretCreatedAt: new Date(0).toISOString() },
    });
    expect(fields.input.password).toBe(SECRET);
    expect(fields.headers.Authorization).toBe(`Bearer ${SECRET}`);
  });

  it("redacts the fields an Error carries, and stops at a cycle", () => {
    const c = captured();
    const e = Object.assign(new Error("request failed"), { config: { headers: { authorization: SECRET } } });
    const cycle: Record<string, unknown> = { name: "loop" };
    cycle.self = cycle;
    c.log.error({ err: e, nested: { failure: e }, cycle }, "failed");
    expect(c.text()).not.toContain(SECRET);
    const line = c.line();
    expect(at(line, "err", "config", "headers", "authorization")).toBe(REDACTED);
    expect(at(line, "err", "stack")).toBe(e.stack);
    expect(at(line, "nested", "failure", "message")).toBe("request failed");
    expect(JSON.stringify(line.cycle)).toContain(TOO_DEEP);
  });

  it("writes only the levels at or above its own", () => {
    const c = captured("warn");
    c.log.trace({}, "trace");
    c.log.debug({}, "debug");
    c.log.info({}, "info");
    c.log.warn({}, "warn");
    c.log.error({}, "error");
    c.log.fatal({}, "fatal");
    expect(c.lines().map((l) => l.msg)).toEqual(["warn", "error", "fatal"]);

    const silent = captured("silent");
    silent.log.fatal({}, "fatal");
    expect(silent.text()).toBe("");
  });

  it("reads KEYCENTER_LOG: silent, a level name, anything else info", () => {
    expect(logLevel("silent")).toBe("silent");
    expect(logLevel("warn")).toBe("warn");
    expect(logLevel(" DEBUG ")).toBe("debug");
    expect(logLevel("info")).toBe("info");
    expect(logLevel(undefined)).toBe("info");
    expect(logLevel("")).toBe("info");
    expect(logLevel("1")).toBe("info");
  });

  it("keeps an error's type, message and stack under err (and error); a string stays a string", () => {
    const c = captured();
    const e = new TypeError("the store failed");
    c.log.error({ err: e }, "failed");
    c.log.error({ error: new Error("second") }, "failed too");
    c.log.error({ err: "just a message" }, "failed with a string");
    expect(c.line(0).err).toEqual({ type: "TypeError", message: "the store failed", stack: e.stack });
    expect(at(c.line(0), "err", "stack")).toContain("log.test.ts");
    expect(at(c.line(1), "error", "message")).toBe("second");
    expect(at(c.line(1), "error", "stack")).toMatch(/^Error: second\n\s+at /);
    expect(c.line(2).err).toBe("just a message");
  });

  it("puts the request ID on every line of a request's logger", () => {
    const c = captured();
    const log = requestLogger("req-123", c.log);
    log.info({ merchantId: "m1" }, "accepted");
    log.warn({ reason: "bad signature" }, "refused");
    expect(c.lines()).toEqual([
      expect.objectContaining({ requestId: "req-123", merchantId: "m1", msg: "accepted" }),
      expect.objectContaining({ requestId: "req-123", reason: "bad signature", msg: "refused" }),
    ]);
  });
});
