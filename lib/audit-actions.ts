/**
 * The audit log's action codes in words, as the Audit page shows them and offers them in its
 * Action list ("Key deleted" for `key.delete`). Every code that lib/ records has a name here
 * (tests/unit/audit-actions.test.ts reads lib/ for them); a code without one is shown as is.
 * Isomorphic: no server-only imports.
 */
export const AUDIT_ACTION_NAMES = {
  "auth.sign_in": "Signed in",
  "auth.mfa": "Verification code entered at sign-in",
  "auth.mfa_enroll": "Two-step verification set up",
  "auth.mfa_reset": "Two-step verification reset",
  "auth.step_up": "Identity confirmed for a change",
  "auth.session_end": "Session ended",
  "auth.switch_environment": "Environment switched",
  "auth.switch_merchant": "Merchant switched",
  "key.create": "Key created",
  "key.activate": "Key activated",
  "key.deactivate": "Key deactivated",
  "key.delete": "Key deleted",
  "key.custodian": "Key custodian changed",
  "key.meta.assign": "Meta key assigned to merchant IDs",
  "key.meta.update": "Meta key changed",
  "key.meta.regenerate": "Meta key regenerated",
  "notifications.check": "Expiring keys checked",
  "notifications.read": "Notification read",
  "notifications.read_all": "All notifications read",
  "org.create": "Organization created",
  "report.download": "Report downloaded",
  "role.create": "Role created",
  "role.update": "Role changed",
  "role.delete": "Role deleted",
  "settings.meta_keys": "Meta keys switched on or off",
  "settings.require_mfa": "Two-step verification requirement changed",
  "settings.webhook.url": "Alert webhook address saved",
  "settings.webhook.secret": "Alert webhook secret generated",
  "settings.webhook.remove": "Alert webhook removed",
  "settings.webhook.test": "Test alert sent",
  "system.master_key_rotate": "Master key rotation run",
  "user.create": "User created",
  "user.enable": "User enabled",
  "user.disable": "User disabled",
  "user.role": "User's role changed",
  "user.invitation_send": "Invitation sent",
  "user.invitation_accept": "Invitation accepted",
} as const satisfies Record<string, string>;

export type AuditActionCode = keyof typeof AUDIT_ACTION_NAMES;

/** The codes in the order the Action list offers them: by readable name. */
export const AUDIT_ACTION_OPTIONS: { value: AuditActionCode; label: string }[] = (
  Object.entries(AUDIT_ACTION_NAMES) as [AuditActionCode, string][]
)
  .map(([value, label]) => ({ value, label }))
  .sort((a, b) => a.label.localeCompare(b.label, "en"));

export function isAuditActionCode(code: string): code is AuditActionCode {
  return Object.hasOwn(AUDIT_ACTION_NAMES, code);
}

/** "Key deleted" for `key.delete`; a code without a name as it is. */
export function auditActionName(code: string): string {
  return isAuditActionCode(code) ? AUDIT_ACTION_NAMES[code] : code;
}
