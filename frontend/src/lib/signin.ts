// Pure helpers of the sign-in, password and TOTP forms (tested in signin.test.ts).
import { ApiError } from "../api/client";

/** kanade's only password rule (§1.4): 8 characters. */
export const MIN_PASSWORD = 8;

/** Why a new password cannot be submitted yet, or null. Counts characters, not UTF-16 units. */
export function passwordProblem(next: string, again: string, old?: string): string | null {
  if ([...next].length < MIN_PASSWORD) return `At least ${MIN_PASSWORD} characters.`;
  if (next !== again) return "The two new passwords differ.";
  if (old !== undefined && old !== "" && next === old) return "The new password is the current one.";
  return null;
}

/** The message a failed sign-in shows (the console gives one 401 for every wrong credential). */
export function signInErrorText(e: unknown, step: "password" | "totp"): string {
  if (e instanceof ApiError) {
    if (e.status === 401) return step === "totp" ? "Wrong or expired code. Try the next code from the app." : "Wrong username or password (or the account is disabled).";
    if (e.status === 429) return `Too many sign-in attempts: ${e.message}`;
    if (e.status === 0) return `The console cannot be reached: ${e.message}`;
    return `${e.message} (HTTP ${e.status})`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** A TOTP code as typed (spaces allowed), or null when it is not 6 digits. */
export function cleanCode(s: string): string | null {
  const c = s.replace(/\s+/g, "");
  return /^\d{6}$/.test(c) ? c : null;
}

/** The base32 secret in groups of four for reading aloud / typing. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}
