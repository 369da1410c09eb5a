"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  checkExpiringKeysNowAction,
  markAllNotificationsReadAction,
  markNotificationReadAction,
} from "@/app/(portal)/notifications/actions";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions";

/** A button that runs one action, refreshes the page, and says how it went (error or note). */
function ActionButton<T>(props: {
  label: string;
  ariaLabel?: string;
  variant?: "primary" | "secondary" | "ghost";
  run: () => Promise<ActionResult<T>>;
  done?: (data: T) => string | undefined;
}) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();
  return (
    <div className="flex flex-col items-start gap-2">
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
            router.refresh();
          })
        }
      >
        {props.label}
      </Button>
      <FormError message={error} />
      {note && (
        <p role="status" className="text-sm text-slate-600">
          {note}
        </p>
      )}
    </div>
  );
}

export function MarkAllReadButton() {
  return <ActionButton label="Mark all as read" run={() => markAllNotificationsReadAction({})} />;
}

export function MarkReadButton({ id, title }: { id: string; title: string }) {
  return (
    <ActionButton
      label="Mark as read"
      ariaLabel={`Mark as read: ${title}`}
      variant="ghost"
      run={() => markNotificationReadAction({ id })}
    />
  );
}

export function CheckNowButton() {
  return (
    <ActionButton
      label="Check now"
      run={() => checkExpiringKeysNowAction({})}
      done={(r) => (r.alerts === 0 ? "No new alerts." : `${r.alerts} new alert${r.alerts === 1 ? "" : "s"}.`)}
    />
  );
}
