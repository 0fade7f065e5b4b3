// The page guard inside the layout (forced password change, pages outside
// the caller's role or allow-list) and the signed-in account in the header.
import type { ReactNode } from "react";
import { Link, Navigate, useLocation, useNavigate } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import { canSignOut } from "../api/auth";
import { canSeePage, homePath } from "../lib/access";
import { ME_KEY, useAccess, useSessionWatch, useSignOut, useWindowSignedOut } from "./Access";
import { Icon } from "./icons";
import { ChangePasswordForm } from "./SignIn";
import { Card, Loading, PageHeader } from "./ui";

export function AccessGate({ children }: { children: ReactNode }) {
  const a = useAccess();
  const loc = useLocation();
  const qc = useQueryClient();
  const signedOut = useWindowSignedOut();
  useSessionWatch();
  if (signedOut) return <Navigate to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} replace />;
  if (a.loading) return <Loading label="Checking access…" />;
  if (a.me?.must_change_pw) {
    return (
      <div className="page" data-testid="page-force-password" style={{ maxWidth: 560 }}>
        <PageHeader title="Choose a new password" />
        <Card>
          <p className="small">
            The password of <strong>{a.me.username}</strong> was set by an administrator. Choose your own before you go on.
          </p>
          <ChangePasswordForm submitLabel="Save and continue" onDone={() => void qc.invalidateQueries({ queryKey: ME_KEY })} />
        </Card>
      </div>
    );
  }
  if (!canSeePage(a, loc.pathname)) {
    const home = homePath(a);
    if (loc.pathname === "/dashboard" && home !== "/dashboard") return <Navigate to={home} replace />;
    return (
      <div className="page" data-testid="page-forbidden">
        <PageHeader title="Not permitted" />
        <Card>
          <p>
            Your account ({a.me?.username ?? "signed out"}, {a.role}) does not have this page. Ask an administrator if you need it.
          </p>
          <Link className="btn btn-primary" to={home}>
            Go to your start page
          </Link>
        </Card>
      </div>
    );
  }
  return <>{children}</>;
}

/** Header: who is signed in (link to the profile) and sign out. Nothing in open mode. */
export function UserMenu() {
  const a = useAccess();
  const signOut = useSignOut();
  const nav = useNavigate();
  if (!a.me || a.mode === "open") return null;
  return (
    <span className="user-menu row" data-testid="user-menu" data-role={a.role}>
      <Link to="/profile" className="btn btn-ghost btn-sm" title="Your profile" data-testid="user-profile">
        <Icon name="user" />
        <span data-testid="user-name">{a.me.username}</span>
        <span className="badge badge-accent" data-testid="user-role">
          {a.role}
        </span>
      </Link>
      {canSignOut(a.me) && (
        <button
          type="button"
          className="btn-ghost btn-icon"
          aria-label="Sign out"
          title="Sign out"
          onClick={() => {
            void signOut().then(() => nav("/login"));
          }}
          data-testid="signout"
        >
          <Icon name="logout" />
        </button>
      )}
    </span>
  );
}
