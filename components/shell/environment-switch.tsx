"use client";

import { switchEnvironmentAction } from "@/lib/actions/orgs/switch-environment";
import { ActionButton } from "@/components/ui/action-button";
import { ENVIRONMENT_LABEL } from "@/lib/format";

/** The environment badge (A5) and the button that switches to the other environment. */
export function EnvironmentSwitch({ environment }: { environment: "TEST" | "PRODUCTION" }) {
  const test = environment === "TEST";
  const other = test ? "PRODUCTION" : "TEST";
  return (
    <div className="flex items-center gap-2">
      <span
        role="status"
        aria-label={`Environment: ${ENVIRONMENT_LABEL[environment]}`}
        className={
          test
            ? "rounded-full bg-amber-100 px-3 py-1 text-xs font-semibold uppercase text-amber-900"
            : "rounded-full bg-emerald-100 px-3 py-1 text-xs font-semibold uppercase text-emerald-900"
        }
      >
        {ENVIRONMENT_LABEL[environment]}
      </span>
      <ActionButton
        label={`Switch to ${ENVIRONMENT_LABEL[other]}`}
        variant="ghost"
        run={() => switchEnvironmentAction({ environment: other })}
      />
    </div>
  );
}
