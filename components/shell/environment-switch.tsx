"use client";

import { useRouter } from "next/navigation";
import { switchEnvironmentAction } from "@/lib/actions/orgs/switch-environment";
import { ActionButton } from "@/components/ui/action-button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ENVIRONMENT_LABEL } from "@/lib/format";

/**
 * The environment badge (A5) and the button that switches to the other environment.
 * Production is shown in a warning colour, and switching to it is confirmed first.
 */
export function EnvironmentSwitch({ environment }: { environment: "TEST" | "PRODUCTION" }) {
  const router = useRouter();
  const test = environment === "TEST";
  return (
    <div className="flex shrink-0 items-center gap-2">
      <span
        role="status"
        aria-label={`Environment: ${ENVIRONMENT_LABEL[environment]}`}
        className={
          test
            ? "rounded-full bg-sky-100 px-3 py-1 text-xs font-semibold uppercase text-sky-900"
            : "rounded-full bg-amber-400 px-3 py-1 text-xs font-bold uppercase text-amber-950 ring-2 ring-amber-600"
        }
      >
        {ENVIRONMENT_LABEL[environment]}
      </span>
      {test ? (
        <ConfirmDialog
          trigger="Switch to Production"
          triggerVariant="ghost"
          title="Switch to Production"
          confirmLabel="Switch to Production"
          successMessage="Now working in Production"
          onConfirm={() => switchEnvironmentAction({ environment: "PRODUCTION" })}
          onDone={() => router.refresh()}
        >
          <p>
            Keys you create, change or delete from now on are <strong>live keys</strong> that real payments use. Test
            keys are not listed there.
          </p>
        </ConfirmDialog>
      ) : (
        <ActionButton
          label="Switch to Test"
          variant="ghost"
          success="Now working in Test"
          run={() => switchEnvironmentAction({ environment: "TEST" })}
        />
      )}
    </div>
  );
}
