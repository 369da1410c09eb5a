import "server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ok, type ActionResult } from "@/lib/action-result";
import { defineAction } from "@/lib/actions/define-action";
import { serviceContext, type ServiceContext } from "@/lib/context";
import type { OrgRef } from "@/lib/orgs/hierarchy";

/**
 * A Settings switch of the org acted for, as an action taking `{ [field]: boolean }`: Manage
 * settings, a change (so step-up), `set` saves it, then Settings is read again. `refuse` says
 * why the org cannot have the setting, if it cannot.
 */
export function orgSwitchAction<R>(config: {
  name: string;
  field: string;
  set: (ctx: ServiceContext, on: boolean) => Promise<R>;
  refuse?: (org: OrgRef) => ActionResult<never> | undefined;
}) {
  return defineAction(
    {
      name: config.name,
      effect: "change",
      input: z.object({ [config.field]: z.boolean() }),
      permission: "settings.manage",
    },
    async ({ input, session, org }) => {
      const refused = config.refuse?.(org);
      if (refused) return refused;
      const r = await config.set(serviceContext(session, org), input[config.field] === true);
      revalidatePath("/settings");
      return ok(r);
    },
  );
}
