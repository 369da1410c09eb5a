import { prisma } from "@/lib/db";
import type { ServiceContext } from "@/lib/context";
import { resolvePortalSession } from "@/lib/auth/session";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { orgRef } from "@/lib/orgs/hierarchy";
import { DEMO_PASSWORD, seedDemo } from "@/prisma/seed";

export async function seed() {
  await seedDemo(prisma);
}

/** Request headers carrying the session cookie of a fresh sign-in. */
export async function signedInHeaders(email: string, password = DEMO_PASSWORD): Promise<Headers> {
  const outcome = await signInWithPassword({ email, password, headers: new Headers(), actor: {} });
  if (!outcome.ok) throw new Error(`sign-in failed for ${email}: ${outcome.message}`);
  return cookieHeaders(outcome.setCookie);
}

/** Request headers carrying the cookies of a `Set-Cookie` answer. */
export function cookieHeaders(setCookie: string): Headers {
  const cookie = setCookie
    .split(/,(?=\s*[\w.-]+=)/)
    .map((c) => c.split(";")[0]!.trim())
    .join("; ");
  return new Headers({ cookie, "user-agent": "vitest" });
}

export async function sessionOf(email: string) {
  const session = await resolvePortalSession(await signedInHeaders(email));
  if (!session) throw new Error(`no session for ${email}`);
  return session;
}

/** A key service context for a real org row (the actor is the test), as serviceContext() builds from a session. */
export async function serviceContext(
  orgId: string,
  extra: Partial<Pick<ServiceContext, "environment" | "meta" | "now">> = {},
): Promise<ServiceContext> {
  const org = await prisma.organization.findUniqueOrThrow({ where: { id: orgId } });
  return {
    actor: { actorId: "gateway-test", actorEmail: "admin@keycenter.test" },
    org: orgRef(org),
    environment: extra.environment ?? "TEST",
    meta: extra.meta,
    now: extra.now,
  };
}
