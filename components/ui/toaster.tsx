"use client";

import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { Toaster as Sonner, toast } from "sonner";

/** How long a confirmation stays once its page is shown. */
export const TOAST_DURATION = 6000;
/** How long a confirmation waits for its page at the most (a navigation that never comes). */
export const NAVIGATION_BOUND = 30_000;

type ToastId = string | number;

/**
 * Confirmations waiting for the page they announce: each is held until `shown` reports that
 * page's pathname (or any other one after where it was given: a redirect, or the person went
 * elsewhere), or until `bound` ms have passed; then `settle` starts its usual time.
 */
export function pendingToasts(settle: (id: ToastId, message: string) => void, bound = NAVIGATION_BOUND) {
  const waiting = new Map<
    ToastId,
    { message: string; from?: string; to: string; timer: ReturnType<typeof setTimeout> }
  >();
  let here: string | undefined;
  const release = (id: ToastId) => {
    const t = waiting.get(id);
    if (!t) return;
    clearTimeout(t.timer);
    waiting.delete(id);
    settle(id, t.message);
  };
  return {
    /** Hold toast `id` until the page at `href` is shown (at once when it already is). */
    wait(id: ToastId, message: string, href: string) {
      const to = new URL(href, "http://portal").pathname;
      waiting.set(id, { message, from: here, to, timer: setTimeout(() => release(id), bound) });
      if (to === here) release(id);
    },
    /** The page at `pathname` is shown. */
    shown(pathname: string) {
      here = pathname;
      for (const [id, t] of waiting) {
        if (t.to === pathname || (t.from !== undefined && t.from !== pathname)) release(id);
      }
    },
    /** The toast is gone (closed by the person): nothing to settle. */
    forget(id: ToastId) {
      clearTimeout(waiting.get(id)?.timer);
      waiting.delete(id);
    },
    /** How many wait (for the tests). */
    get size() {
      return waiting.size;
    },
  };
}

const pending = pendingToasts((id, message) => toast.success(message, { id, duration: TOAST_DURATION }));

/**
 * A confirmation of a change followed by a navigation to `href` ("Key … deleted", then Key
 * Management): shown at once, and its time starts only once that page is shown, so a slow
 * page does not outlast it. The caller navigates.
 */
export function toastAfterNavigation(message: string, href: string) {
  const id = toast.success(message, { duration: Infinity, onDismiss: () => pending.forget(id) });
  pending.wait(id, message, href);
}

/**
 * A change worked: `message` (if any) as a toast; with `href`, `push` goes there and the toast's
 * time starts once that page is shown (toastAfterNavigation).
 */
export function confirmChange(message: string | undefined, href: string | undefined, push: (href: string) => void) {
  if (message && href) toastAfterNavigation(message, href);
  else if (message) toast.success(message);
  if (href) push(href);
}

/** Where confirmations appear ("Key … deleted"): sonner's toasts, announced politely. */
export function Toaster() {
  const pathname = usePathname();
  useEffect(() => pending.shown(pathname), [pathname]);
  return <Sonner position="top-right" closeButton richColors toastOptions={{ duration: TOAST_DURATION }} />;
}

export { toast };
