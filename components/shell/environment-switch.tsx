"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { switchEnvironmentAction } from "@/app/(portal)/actions";
import { Button } from "@/components/ui/button";

/** The environment badge (A5) and the button that switches to the other environment. */
export function EnvironmentSwitch({ environment }: { environment: "TEST" | "PRODUCTION" }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  const test = environment === "TEST";
  const other = test ? "Production" : "Test";
  return (
    <div className="flex items-center gap-2">
      <span
        role="status"
        aria-label={`Environment: ${test ? "Test" : "Production"}`}
        className={
          test
            ? "rounded-full bg-amber-100 px-3 py-1 text-xs font-semibold uppercase text-amber-900"
            : "rounded-full bg-emerald-100 px-3 py-1 text-xs font-semibold uppercase text-emerald-900"
        }
      >
        {test ? "Test" : "Production"}
      </span>
      <Button
        variant="ghost"
        pending={pending}
        onClick={() =>
          start(async () => {
            setError(undefined);
            const r = await switchEnvironmentAction({ environment: test ? "PRODUCTION" : "TEST" });
            if (!r.ok) setError(r.error.message);
            else router.refresh();
          })
        }
      >
        Switch to {other}
      </Button>
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}
