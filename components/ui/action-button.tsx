"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { toast } from "@/components/ui/toaster";
import type { ActionResult } from "@/lib/action-result";

/** A button that runs one action, refreshes the page, and says how it went (error or note). */
export function ActionButton<T>(props: {
  label: string;
  ariaLabel?: string;
  variant?: "primary" | "secondary" | "ghost";
  run: () => Promise<ActionResult<T>>;
  /** What to say once it worked: a sentence (shown as a status), or a whole element. */
  done?: (data: T) => React.ReactNode;
  /** A toast once it worked ("Meta keys turned on"). */
  success?: string;
  /** Where the button and what follows line up (end: in a right-aligned table cell). */
  align?: "start" | "end";
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<React.ReactNode>();
  return (
    <div className={`flex flex-col gap-2 ${props.align === "end" ? "items-end" : "items-start"}`}>
      <Button
        variant={props.variant ?? "secondary"}
        aria-label={props.ariaLabel}
        pending={pending}
        onClick={() =>
          start(async () => {
            setError(undefined);
            setNote(undefined);
            const r = await props.run();
            if (!r.ok) return setError(r.error.message);
            setNote(props.done?.(r.data));
            if (props.success) toast.success(props.success);
            router.refresh();
          })
        }
      >
        {props.label}
      </Button>
      <FormError message={error} />
      {typeof note === "string" ? (
        <p role="status" className="text-sm text-slate-600">
          {note}
        </p>
      ) : (
        note
      )}
    </div>
  );
}
