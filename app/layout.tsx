import type { Metadata } from "next";
import { connection } from "next/server";
import { HydrationMark } from "@/components/hydration-mark";
import { Toaster } from "@/components/ui/toaster";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "KeyCenter", template: "%s · KeyCenter" },
  description: "Key Management for payment merchants",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request, so that Next.js puts this request's CSP nonce (proxy.ts) on its scripts.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {children}
        <Toaster />
        <HydrationMark />
      </body>
    </html>
  );
}
