"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button, buttonClass } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { InstantKeyPanel, useInstantKey } from "./create/instant-form";
import { KmsApiField } from "./create/kms-api-field";

/** A meta key to regenerate, as the server component that lists it prepared it. */
export interface RegenerateTarget {
  keyId: string;
  /** The key type as the guide names it ("REST – Shared Secret"). */
  typeLabel: string;
  /** Its type is created at once (the registry's createForm "instant"): the window makes the key. */
  instant: boolean;
  scope: "ALL" | "CUSTOM";
  /** A custom selection's size in words ("2 MIDs"), where the page has counted it (Key Information). */
  assigned?: string;
  /** The original's expiration date, in words. */
  expires: string;
  /**
   * It was already regenerated (a key is regenerated once): no trigger. The component stays
   * mounted, so the window that has just made the new key stays open when the page refreshes
   * (the action revalidates it) until it is closed.
   */
  done?: boolean;
}

const TRIGGER_CLASS = {
  button: buttonClass("secondary"),
  link: "text-xs text-brand-700 underline",
};

/**
 * The guide's Regenerate meta key: "The new key appears on the screen. The original key
 * remains active until its original expiration date." For a type created at once (REST –
 * Shared Secret) a confirmation window says what happens, Generate key makes the key with the
 * original's merchant IDs (`regenerateFrom`) and the window shows it (the secret once, Download
 * key, View key information); Cancel and Escape change nothing. A type that needs input (a
 * certificate's .p12 password) goes to its Create Key page instead.
 */
export function RegenerateMetaKey({
  target,
  look = "button",
  ariaLabel,
}: {
  target: RegenerateTarget;
  /** A secondary button (Key Information), or a small link-like control (a Search Results cell). */
  look?: "button" | "link";
  /** The trigger's accessible name when "Regenerate meta key" alone is ambiguous (a table row). */
  ariaLabel?: string;
}) {
  if (!target.instant) {
    if (target.done) return null;
    return (
      <Link
        href={`/keys/new?regenerate=${encodeURIComponent(target.keyId)}`}
        className={TRIGGER_CLASS[look]}
        aria-label={ariaLabel}
      >
        Regenerate meta key
      </Link>
    );
  }
  return <RegenerateWindow target={target} triggerClass={TRIGGER_CLASS[look]} ariaLabel={ariaLabel} />;
}

function RegenerateWindow({
  target,
  triggerClass,
  ariaLabel,
}: {
  target: RegenerateTarget;
  triggerClass: string;
  ariaLabel?: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const instant = useInstantKey();
  const { created, pending } = instant;
  if (target.done && !open) return null;
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (next) return;
        // Closed: the page lists the new key ("Regenerated as"); opened again, the window asks again.
        if (created) router.refresh();
        instant.reset();
      }}
    >
      <AlertDialogTrigger aria-label={ariaLabel} className={triggerClass}>
        Regenerate meta key
      </AlertDialogTrigger>
      <AlertDialogContent className="max-h-[90vh] overflow-y-auto">
        <AlertDialogTitle>Regenerate meta key</AlertDialogTitle>
        {created ? (
          <>
            <AlertDialogDescription className="sr-only">
              The new key for the same merchant IDs as {target.keyId}.
            </AlertDialogDescription>
            <InstantKeyPanel label={target.typeLabel} created={created} />
            <div className="flex justify-end">
              <AlertDialogCancel>Close</AlertDialogCancel>
            </div>
          </>
        ) : (
          <>
            <AlertDialogDescription asChild>
              <div className="flex flex-col gap-2">
                <p>
                  A new {target.typeLabel} key for the same merchant IDs as{" "}
                  <span className="font-mono">{target.keyId}</span> (
                  {target.scope === "ALL"
                    ? "All current and future Merchant IDs"
                    : (target.assigned ?? "Custom MID selection")}
                  ).
                </p>
                <p>
                  The original stays active until its own expiration date, {target.expires}. The new key&apos;s shared
                  secret is shown once, in this window.
                </p>
              </div>
            </AlertDialogDescription>
            <KmsApiField />
            <FormError message={instant.error} />
            <div className="flex justify-end gap-2">
              <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
              <Button pending={pending} onClick={() => instant.generate({ regenerateFrom: target.keyId })}>
                Generate key
              </Button>
            </div>
          </>
        )}
      </AlertDialogContent>
    </AlertDialog>
  );
}
