"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signOut } from "@/lib/auth/sign-in";

export async function signOutAction(): Promise<void> {
  await signOut(await headers());
  redirect("/sign-in");
}
