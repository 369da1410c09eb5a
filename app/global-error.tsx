"use client";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="p-10">
        <h1 className="text-xl font-semibold">Something went wrong</h1>
        <p className="mt-2">Nothing you saved is lost. Reference: {error.digest ?? "unknown"}.</p>
        <button type="button" className="mt-4 underline" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
