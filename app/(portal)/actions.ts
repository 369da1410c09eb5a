"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ok } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { signOut } from "@/lib/auth/sign-in";
import { getOrg, searchOrgsWithin } from "@/lib/orgs/search";
import { switchActingOrg, switchEnvironment } from "@/lib/orgs/switch";

/** Quick Merchant Switch: the orgs the caller may act for whose ID or name matches. */
export const searchMerchants = defineAction(
  { name: "searchMerchants", effect: "read", input: z.object({ query: z.string().max(100) }), permission: null },
  async ({ input, session }) => ok(await searchOrgsWithin(session.userOrg, input.query)),
);

/** Switch merchant: act for `orgId` (checked against the caller's scope by defineAction). */
export const switchMerchant = defineAction(
  {
    name: "switchMerchant",
    effect: "own",
    input: z.object({ orgId: z.string().trim().min(1, "Choose a merchant ID.").max(100) }),
    permission: null,
    org: ({ orgId }) => getOrg(orgId),
  },
  async ({ session, org }) => {
    await switchActingOrg(session, org.id);
    return ok({ orgId: org.id });
  },
);

/** The environment badge's switch (A5): work with Test or Production keys. */
export const switchEnvironmentAction = defineAction(
  {
    name: "switchEnvironment",
    effect: "own",
    input: z.object({ environment: z.enum(["TEST", "PRODUCTION"]) }),
    permission: null,
  },
  async ({ input, session }) => {
    if (input.environment !== session.environment) await switchEnvironment(session, input.environment);
    return ok({ environment: input.environment });
  },
);

export async function signOutAction(): Promise<void> {
  await signOut(await headers());
  redirect("/sign-in");
}
