"use client";

import { checkExpiringKeysNowAction } from "@/lib/actions/notifications/check-expiring-keys-now";
import { markAllNotificationsReadAction } from "@/lib/actions/notifications/mark-all-notifications-read";
import { markNotificationReadAction } from "@/lib/actions/notifications/mark-notification-read";
import { ActionButton } from "@/components/ui/action-button";

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
