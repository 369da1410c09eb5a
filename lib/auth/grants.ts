import type { Permission } from "./permissions";

/**
 * Nobody grants what they do not hold (DESIGN.md). A role may be given to a person, saved,
 * or assigned in an organization below only by someone who holds every permission of it;
 * people whose role holds more than the actor are not the actor's to manage.
 */
export const GRANT_REFUSED = "You can only give roles whose permissions you have.";
export const MANAGE_REFUSED = "You can only manage people whose permissions you have.";
export const EDIT_ROLE_REFUSED = "You can only change roles whose permissions you have.";

/** True when `held` covers every one of `permissions` (unknown names are never covered). */
export function holdsAll(held: ReadonlySet<Permission>, permissions: readonly string[]): boolean {
  return permissions.every((p) => held.has(p as Permission));
}
