// /login: sign in with an account (password, then TOTP when asked), or paste
// a bearer token (the static token of `serve`, a JWT made elsewhere). Shown
// outside the layout, so nothing polls the API while signed out. In the
// desktop window it is the sign-in page while the app's HTTP listener is on
// (no token form: the window's session lives in the app); otherwise the
// window is the local admin and /login goes on at once.
import { useEffect, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import { setToken, transport } from "../api";
import { currentAccess, isSignedOut } from "../api/auth";
import { SignInForm } from "../components/SignIn";
import { TokenForm } from "../components/TokenDialog";
import { Card } from "../components/ui";

/** Where to go after signing in: ?next= when it is a page of this app, else the start. */
export function nextPath(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/login")) return "/";
  return next;
}

export default function LoginPage() {
  const nav = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const next = nextPath(params.get("next"));
  const done = () => {
    qc.clear();
    nav(next, { replace: true });
  };
  const wails = transport() === "wails";
  const [checking, setChecking] = useState(wails);
  useEffect(() => {
    if (!wails) return;
    let live = true;
    currentAccess().then(
      () => live && nav(next, { replace: true }), // signed in, or no sign-in needed
      (e: unknown) => {
        if (live) setChecking(false);
        if (!isSignedOut(e)) console.warn("sign-in check", e);
      },
    );
    return () => {
      live = false;
    };
  }, [wails, nav, next]);
  if (checking) return <div className="signin-screen" data-testid="page-login" />;

  return (
    <div className="signin-screen" data-testid="page-login">
      <div className="signin-box col">
        <div className="brand signin-brand">
          <span className="mark" aria-hidden="true">
            K
          </span>
          <span>
            kanade <small>console</small>
          </span>
        </div>
        <Card title="Sign in">
          <SignInForm onSignedIn={done} />
        </Card>
        {!wails && (
          <details className="card signin-token" data-testid="signin-token">
            <summary>Use an access token instead</summary>
            <div className="card-body">
              <TokenForm
                onDone={(t) => {
                  setToken(t);
                  done();
                }}
              />
            </div>
          </details>
        )}
      </div>
    </div>
  );
}
