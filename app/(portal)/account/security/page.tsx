import type { Metadata } from "next";
import { MfaEnrollment } from "@/components/auth/mfa-enrollment";
import { SessionList } from "@/components/auth/session-list";
import { requirePageSession } from "@/lib/auth/page";
import { mfaStatus } from "@/lib/auth/mfa";
import { listOwnSessions } from "@/lib/auth/sessions";
import { IDLE_TIMEOUT_MINUTES } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Security" };

/** The signed-in person's own security: two-step verification and open sessions. */
export default async function SecurityPage() {
  const session = await requirePageSession(null, { duringEnrollment: true });
  const [mfa, sessions] = await Promise.all([mfaStatus(session.user.id), listOwnSessions(session)]);
  return (
    <div className="flex max-w-4xl flex-col gap-8">
      <h1 className="text-2xl font-semibold">Security</h1>
      {session.mfaEnrollmentRequired && (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          Your organization requires two-step verification. Set it up to continue.
        </div>
      )}
      <section aria-labelledby="mfa" className="flex flex-col gap-3">
        <h2 id="mfa" className="text-lg font-semibold">
          Two-step verification
        </h2>
        {mfa.enabled ? (
          <p className="text-sm text-slate-700">
            <span className="font-medium text-emerald-800">On.</span> You sign in with your password and a code from
            your authenticator app. {mfa.recoveryCodesLeft} of 10 recovery codes left. To set it up again (a new phone),
            ask an administrator to reset your second factor.
          </p>
        ) : (
          <MfaEnrollment />
        )}
      </section>
      <section aria-labelledby="sessions" className="flex flex-col gap-3">
        <h2 id="sessions" className="text-lg font-semibold">
          Sessions
        </h2>
        <p className="text-sm text-slate-600">
          A session ends after {IDLE_TIMEOUT_MINUTES} minutes without activity, and 12 hours after signing in.
        </p>
        <SessionList
          sessions={sessions.map((s) => ({
            ...s,
            createdAt: s.createdAt.toISOString(),
            lastSeenAt: s.lastSeenAt.toISOString(),
          }))}
        />
      </section>
    </div>
  );
}
