"use client";

import { Toaster as Sonner, toast } from "sonner";

/** Where confirmations appear ("Key … deleted"): sonner's toasts, announced politely. */
export function Toaster() {
  return <Sonner position="top-right" closeButton richColors toastOptions={{ duration: 6000 }} />;
}

export { toast };
