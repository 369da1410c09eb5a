/**
 * Demo users only where they belong, and the first-run set-up of a real database: what
 * `npm start` seeds, `npm run admin:create`, and the one-time /setup action.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
const { nextRequest } = await import("../helpers/next-request");
nextRequest.headers = new Headers({ "user-agent": "vitest" });

const { prisma } = await import("@/lib/db");
const { createAdministrator, firstRunPending } = await import("@/lib/auth/first-run");
const { setupAction } = await import("@/lib/actions/auth/set-up");
const { signInWithPassword } = await import("@/lib/auth/sign-in");
const { AppError } = await import("@/lib/errors");
const { DEMO_PASSWORD, demoSeedWanted } = await import("@/prisma/seed");
const { scriptClient } = await import("@/scripts/db");
const { createTestDatabase } = await import("../helpers/test-db");

const PASSWORD = "First-Run-Password-1";
const scratch = path.resolve(".data", `test-first-run-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

const setupForm = (email: string, extra: Record<string, string> = {}) =>
  form({
    orgId: "firstorg",
    orgName: "First Org",
    orgType: "portfolio",
    name: "First Admin",
    email,
    password: PASSWORD,
    confirmPassword: PASSWORD,
    ...extra,
  });

/** The redirect a server action ends with (Next throws it), or null when it returned. */
async function redirectOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    const digest = (e as { digest?: string }).digest ?? "";
    if (!digest.startsWith("NEXT_REDIRECT")) throw e;
    return digest.split(";")[2] ?? "";
  }
}

/**
 * Runs a command like `npm start` does (tsx) with `env` on top of this process's, until it
 * exits or prints `until`; returns what it printed.
 */
function run(args: string[], env: Record<string, string | undefined>, until?: RegExp): Promise<string> {
  const childEnv: Record<string, string | undefined> = { ...process.env, KEYCENTER_LOG: "info" };
  delete childEnv.NODE_ENV;
  delete childEnv.KEYCENTER_SEED;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), args, {
      env: childEnv as NodeJS.ProcessEnv,
      detached: true,
    });
    let out = "";
    const stop = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* gone already */
      }
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out; output so far:\n${out}`));
    }, 90_000);
    for (const s of [child.stdout, child.stderr]) {
      s.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (until?.test(out)) stop();
      });
    }
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** `npm start` on a fresh, empty database, stopped once it hands over to `next start`. */
async function startOnFreshDatabase(env: Record<string, string | undefined>) {
  const db = await createTestDatabase({ migrated: false });
  // A build directory with a BUILD_ID: the launcher goes straight to `next start`, where we stop it.
  const dist = path.join(scratch, `dist-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dist, { recursive: true });
  writeFileSync(path.join(dist, "BUILD_ID"), "test");
  const output = await run(
    ["scripts/start.ts"],
    {
      DATABASE_URL: db.url,
      KEYCENTER_DATA_DIR: path.join(scratch, "data"),
      KEYCENTER_DIST_DIR: path.relative(process.cwd(), dist),
      PORT: String(3290 + Math.floor(Math.random() * 9)),
      BETTER_AUTH_URL: "http://localhost:3000",
      ...env,
    },
    /Next\.js|No build found/,
  );
  const client = scriptClient(db.url);
  try {
    return { output, users: await client.user.findMany({ select: { email: true } }), roles: await client.role.count() };
  } finally {
    await client.$disconnect();
    await db.drop();
  }
}

describe("start-up seeding", () => {
  it("seeds the embedded database by default; a real one only with KEYCENTER_SEED=1; KEYCENTER_SEED=0 never", () => {
    expect(demoSeedWanted({ embedded: true, env: {} })).toBe(true);
    expect(demoSeedWanted({ embedded: true, env: { KEYCENTER_SEED: "0" } })).toBe(false);
    expect(demoSeedWanted({ embedded: true, env: { NODE_ENV: "production" } })).toBe(false);
    expect(demoSeedWanted({ embedded: false, env: {} })).toBe(false);
    expect(demoSeedWanted({ embedded: false, env: { KEYCENTER_SEED: "0" } })).toBe(false);
    expect(demoSeedWanted({ embedded: false, env: { KEYCENTER_SEED: "1" } })).toBe(true);
  });

  it("`npm start` with DATABASE_URL on an empty database creates no user, prints no demo password, points to the set-up", async () => {
    const { output, users, roles } = await startOnFreshDatabase({});
    expect(users).toEqual([]);
    expect(roles).toBe(3); // the built-in roles exist for the first administrator
    expect(output).not.toContain(DEMO_PASSWORD);
    expect(output).toContain("/setup");
    expect(output).toContain("npm run admin:create");
  });

  it("`npm start` with DATABASE_URL and KEYCENTER_SEED=1 seeds the demo users", async () => {
    const { users } = await startOnFreshDatabase({ KEYCENTER_SEED: "1" });
    expect(users.map((u) => u.email)).toContain("portfolio.admin@keycenter.test");
  });
});

describe("the /setup action", () => {
  it("refuses bad input beside its field and creates nothing", async () => {
    const mismatch = await setupAction(setupForm("a@keycenter.test", { confirmPassword: "something-else-1" }));
    expect(mismatch).toMatchObject({ ok: false, error: { fields: { confirmPassword: expect.any(String) } } });
    const short = await setupAction(setupForm("a@keycenter.test", { password: "short", confirmPassword: "short" }));
    expect(short).toMatchObject({ ok: false, error: { fields: { password: "At least 12 characters." } } });
    const badOrg = await setupAction(setupForm("a@keycenter.test", { orgId: "Not An ID" }));
    expect(badOrg).toMatchObject({ ok: false, error: { fields: { orgId: expect.any(String) } } });
    const nul = await setupAction(setupForm("a@keycenter.test", { name: "a\u0000b" }));
    expect(nul).toMatchObject({ ok: false, error: { fields: { name: expect.any(String) } } });
    expect(await prisma.user.count()).toBe(0);
    expect(await prisma.organization.count()).toBe(0);
    expect(await firstRunPending()).toBe(true);
  });

  it("of 12 racing submissions exactly one creates the organization and its Administrator; the others are refused", async () => {
    const results = await Promise.all(
      // Each its own org ID, so no unique index on the org can stand in for the set-up's lock.
      Array.from({ length: 12 }, (_, i) =>
        redirectOf(setupAction(setupForm(`racer${i}@keycenter.test`, { orgId: i ? `race${i}` : "firstorg" }))),
      ),
    );
    expect(results.filter((r) => r === "/sign-in?done=setup")).toHaveLength(1);
    expect(await prisma.user.count()).toBe(1);
    expect(await prisma.organization.count()).toBe(1);
    const admin = await prisma.user.findFirstOrThrow({ include: { org: true } });
    expect(admin).toMatchObject({ orgId: "firstorg", roleId: "role_administrator", name: "First Admin" });
    expect(admin.org).toMatchObject({ name: "First Org", type: "PORTFOLIO", parentId: null });
    expect(await firstRunPending()).toBe(false);

    const audit = await prisma.auditEvent.findMany({ orderBy: { seq: "asc" } });
    expect(audit.map((a) => [a.action, a.actorEmail, (a.details as { via?: string }).via])).toEqual([
      ["org.create", admin.email, "setup"],
      ["user.create", admin.email, "setup"],
    ]);
    const signIn = await signInWithPassword({
      email: admin.email,
      password: PASSWORD,
      headers: new Headers(),
      actor: {},
    });
    expect(signIn.ok).toBe(true);
  });

  it("is refused once a user exists", async () => {
    const r = await setupAction(setupForm("late@keycenter.test", { orgId: "otherorg" }));
    expect(r).toMatchObject({ ok: false, error: { code: "SETUP_DONE" } });
    expect(await prisma.user.count()).toBe(1);
    expect(await prisma.organization.findUnique({ where: { id: "otherorg" } })).toBeNull();
  });
});

describe("admin:create", () => {
  it("creates a top organization and its Administrator, audited; refuses the same email again", async () => {
    const created = await createAdministrator(
      { email: "Ops@Example.com", orgId: "opsorg", orgType: "merchant", password: PASSWORD },
      { firstOnly: false, via: "admin:create" },
    );
    expect(created).toMatchObject({ email: "ops@example.com", orgId: "opsorg", orgCreated: true });
    expect(await prisma.organization.findUnique({ where: { id: "opsorg" } })).toMatchObject({
      type: "MERCHANT",
      parentId: null,
      name: "opsorg",
    });
    expect(await prisma.orgSettings.findUnique({ where: { orgId: "opsorg" } })).not.toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "user.create", targetId: created.userId } })).toBe(1);

    const again = createAdministrator(
      { email: "ops@example.com", orgId: "opsorg", password: PASSWORD },
      { firstOnly: false, via: "admin:create" },
    );
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: "DUPLICATE" });
    const weak = createAdministrator(
      { email: "weak@example.com", orgId: "opsorg", password: "too-short" },
      { firstOnly: false, via: "admin:create" },
    );
    await expect(weak).rejects.toMatchObject({ code: "INVALID_INPUT", fields: { password: expect.any(String) } });
    expect(await prisma.user.count({ where: { orgId: "opsorg" } })).toBe(1);
  });

  it("`npm run admin:create` migrates an empty database, reads the password from the environment, and refuses a second run", async () => {
    const db = await createTestDatabase({ migrated: false });
    try {
      const args = ["scripts/admin-create.ts", "--email", "root@example.com", "--org", "rootorg", "--org-name", "Root"];
      const env = { DATABASE_URL: db.url, KEYCENTER_ADMIN_PASSWORD: PASSWORD };
      expect(await run(args, env)).toContain("Created the organization rootorg");
      expect(await run(args, env)).toContain("A user with this email exists already.");
      const client = scriptClient(db.url);
      const users = await client.user.findMany({ include: { accounts: true } });
      const audit = await client.auditEvent.findMany({ select: { action: true } });
      await client.$disconnect();
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ email: "root@example.com", orgId: "rootorg", roleId: "role_administrator" });
      // Only the argon2id hash is stored.
      expect(users[0]!.accounts[0]!.password).toMatch(/^\$argon2id\$/);
      expect(audit.map((a) => a.action)).toEqual(["org.create", "user.create"]);
    } finally {
      await db.drop();
    }
  });
});
