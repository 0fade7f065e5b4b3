// The caller's access in React: one query of /api/auth/me shared by the
// navigation, the page guard and every role-aware button. The rules
// themselves live in lib/access.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, type ReactNode } from "react";
import { authKeys, currentAccess, isSignedOut, signOut } from "../api/auth";
import { transport } from "../api";
import { can, canSeePage, type Access, type Action } from "../lib/access";

export const ME_KEY = authKeys.me;

/** Until /api/auth/me answers: nothing is offered (no button that may 403). */
const LOADING: Access = { mode: "signed-in", me: null, role: "viewer", features: new Set() };

export function useAccessQuery() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: ({ signal }) => currentAccess({ signal }),
    staleTime: 30_000,
    // A demoted or restricted account sees it within a minute without reloading.
    refetchInterval: 60_000,
  });
}

/** The caller's access; restrictive while loading, open when /me fails for another reason than 401. */
export function useAccess(): Access & { loading: boolean } {
  const q = useAccessQuery();
  if (q.data) return { ...q.data, loading: false };
  // A signed-out desktop window offers nothing while it goes to /login.
  if (q.isError && transport() === "wails" && isSignedOut(q.error)) return { ...LOADING, loading: false };
  if (q.isError) return { mode: "open", me: null, role: "admin", features: null, loading: false };
  return { ...LOADING, loading: true };
}

export function useCan(action: Action): boolean {
  return can(useAccess(), action);
}

/** Renders children only when the caller may do `action` (e.g. a Run or Delete button). */
export function Can({ action, children, fallback = null }: { action: Action; children: ReactNode; fallback?: ReactNode }) {
  return <>{useCan(action) ? children : fallback}</>;
}

export function useCanSeePage(path: string): boolean {
  return canSeePage(useAccess(), path);
}

/**
 * The desktop window with its HTTP listener on and no session: /me answered
 * 401 (the browser asks for a token instead, see TokenPromptHost).
 */
export function useWindowSignedOut(): boolean {
  const q = useAccessQuery();
  return transport() === "wails" && q.isError && isSignedOut(q.error);
}

/**
 * In the desktop window, a 401 from any op (the session ended: signed out,
 * expired, the account disabled) re-asks /me, which sends the window to its
 * sign-in page. Only while /me still says signed in, so a signed-out window
 * does not loop.
 */
export function useSessionWatch(): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (transport() !== "wails") return;
    const on = () => {
      if (qc.getQueryState(ME_KEY)?.status === "success") void qc.invalidateQueries({ queryKey: ME_KEY });
    };
    window.addEventListener("kanade:auth-expired", on);
    return () => window.removeEventListener("kanade:auth-expired", on);
  }, [qc]);
}

/** Signs out (the browser's token, the window's session) and forgets every cached answer. */
export function useSignOut(): () => Promise<void> {
  const qc = useQueryClient();
  return async () => {
    await signOut();
    qc.clear();
  };
}
