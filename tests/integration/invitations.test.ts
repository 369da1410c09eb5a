/**
 * New users are invited: the administrator never chooses their password. The link is
 * one-time, expires, is stored only as a hash, and the person signs in with the password
 * they set through it.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/headers", () => import("../helpers/next-request").then((m) => m.nextHeaders));
vi.mock("next/cache", () => import("../helpers/next-request").then((m) => m.nextCache));
const { nextRequest } = await import("../helpers/next-request");
nextRequest.headers = new Headers({ "user-agent": "vitest" });

const { prisma } = await import("@/lib/db");
const { seed, sessionOf } = await import("../helpers/fixtures");
const { createPortalUser, resendInvitation, userContext, listUsers } = await import("@/lib/auth/users");
const { hashInvitationToken, invitationState, INVITATION_DAYS } = await import("@/lib/auth/invitations");
const { acceptInvitationAction } = await import("@/lib/actions/auth/accept-invitation");
const { signInWithPassword } = await import("@/lib/auth/sign-in");

const PASSWORD = "My-Own-Password-77";
let ctx: ReturnType<typeof userContext>;
let seq = 0;

beforeAll(async () => {
  await seed();
  ctx = userContext(await sessionOf("merchant.admin@keycenter.test"));
});

async function invite() {
  const email = `invited${++seq}@keycenter.test`;
  const r = await createPortalUser({
    ctx,
    email,
    name: `Invited ${seq}`,
    orgId: "merchant12378",
    roleId: "role_viewer",
  });
  return { ...r, token: r.invitationUrl.split("/invite/")[1]! };
}

function acceptForm(token: string, password = PASSWORD, confirm = password) {
  const f = new FormData();
  f.set("token", token);
  f.set("password", password);
  f.set("confirmPassword", confirm);
  return f;
}

/** The action's result, or the redirect it ended with. */
async function accept(
  form: FormData,
): Promise<{ redirect: string } | { code: string; fields?: Record<string, string> }> {
  try {
    const r = await acceptInvitationAction(form);
    if (r.ok) throw new Error("expected a redirect");
    return { code: r.error.code, fields: r.error.fields };
  } catch (e) {
    const digest = (e as { digest?: string }).digest ?? "";
    if (!digest.startsWith("NEXT_REDIRECT")) throw e;
    return { redirect: digest.split(";")[2]! };
  }
}

const signIn = (email: string, password: string) =>
  signInWithPassword({ email, password, headers: new Headers(), actor: {} });

describe("invitations", () => {
  it("a created user has no password and cannot sign in; the link is shown once, emailed (Outbox), stored only as a hash", async () => {
    const { id, email, token, invitationUrl, expiresAt, emailed } = await invite();
    expect(invitationUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(await prisma.account.count({ where: { userId: id } })).toBe(0);
    expect((await signIn(email, PASSWORD)).ok).toBe(false);
    expect((await signIn(email, "")).ok).toBe(false);

    const rows = await prisma.invitation.findMany({ where: { userId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashInvitationToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    const days = (new Date(expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(INVITATION_DAYS - 0.01);
    expect(days).toBeLessThanOrEqual(INVITATION_DAYS);

    // No SMTP_URL here: the email waits on the Outbox page of the person's org.
    expect(emailed).toBe("outbox");
    const mail = await prisma.outboxEmail.findFirstOrThrow({ where: { to: email } });
    expect(mail).toMatchObject({ orgId: "merchant12378", subject: "[KeyCenter] Set your password" });
    expect(mail.text).toContain(invitationUrl);

    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "user.create", targetId: id } });
    expect(audit.actorEmail).toBe("merchant.admin@keycenter.test");
    expect(JSON.stringify(audit.details)).not.toContain(token);

    const row = (await listUsers(ctx.userOrg)).rows.find((u) => u.id === id)!;
    expect(row._count.accounts).toBe(0);
    expect(row.invitations).toHaveLength(1);
  });

  it("works once: the person sets their password, signs in with it, and the link is refused afterwards", async () => {
    const { id, email, token } = await invite();
    expect(await invitationState(token)).toMatchObject({ state: "valid", email });

    expect(await accept(acceptForm(token, PASSWORD, "Something-Else-77"))).toMatchObject({
      code: "INVALID_INPUT",
      fields: { confirmPassword: expect.any(String) },
    });
    expect(await accept(acceptForm(token, "short"))).toMatchObject({
      code: "INVALID_INPUT",
      fields: { password: "At least 12 characters." },
    });
    expect(await accept(acceptForm(token))).toEqual({ redirect: "/sign-in?done=invitation" });

    const account = await prisma.account.findFirstOrThrow({ where: { userId: id, providerId: "credential" } });
    expect(account.password).toMatch(/^\$argon2id\$/);
    expect((await signIn(email, PASSWORD)).ok).toBe(true);

    expect(await accept(acceptForm(token, "Another-Password-88"))).toMatchObject({ code: "INVITATION_USED" });
    expect(await invitationState(token)).toEqual({ state: "used" });
    expect((await signIn(email, "Another-Password-88")).ok).toBe(false);

    const audit = await prisma.auditEvent.findMany({
      where: { action: "user.invitation_accept", targetId: id },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((a) => [a.result, a.actorEmail])).toEqual([
      ["success", email],
      ["failure", email],
    ]);
  });

  it("refuses a made-up, malformed or expired token", async () => {
    expect(await accept(acceptForm("A".repeat(43)))).toMatchObject({ code: "INVITATION_INVALID" });
    expect(await accept(acceptForm("not-a-token"))).toMatchObject({ code: "INVITATION_INVALID" });
    expect(await accept(acceptForm(""))).toMatchObject({ code: "INVITATION_INVALID" });

    const { id, email, token } = await invite();
    await prisma.invitation.updateMany({ where: { userId: id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await invitationState(token)).toEqual({ state: "expired" });
    expect(await accept(acceptForm(token))).toMatchObject({ code: "INVITATION_EXPIRED" });
    expect(await prisma.account.count({ where: { userId: id } })).toBe(0);
    expect((await signIn(email, PASSWORD)).ok).toBe(false);
  });

  it("a new invitation replaces the earlier link; of 8 racing submissions of one link, one sets the password", async () => {
    const first = await invite();
    const again = await resendInvitation({ ctx, userId: first.id });
    const token = again.invitationUrl.split("/invite/")[1]!;
    expect(await accept(acceptForm(first.token))).toMatchObject({ code: "INVITATION_REPLACED" });

    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => accept(acceptForm(token, `Racing-Password-${i}0`))),
    );
    expect(results.filter((r) => "redirect" in r)).toHaveLength(1);
    expect(await prisma.account.count({ where: { userId: first.id } })).toBe(1);
    const winner = results.findIndex((r) => "redirect" in r);
    expect((await signIn(first.email, `Racing-Password-${winner}0`)).ok).toBe(true);

    // Once the password is set there is nothing to re-send.
    await expect(resendInvitation({ ctx, userId: first.id })).rejects.toMatchObject({ code: "NOT_ALLOWED" });
  });
});
