import "server-only";
import { z } from "zod";
import { orgOfPerson } from "@/lib/auth/users";

/** The org of the person an action is about, for the permission and scope check. */
export const orgOfUser = ({ userId }: { userId: string }) => orgOfPerson(userId);

export const UserId = z.string().trim().min(1).max(100);
export const RoleId = z.string().trim().min(1, "Choose a role.").max(100);
