// /login: sign in with an account (password, then TOTP when asked), or paste
// a bearer token (the static token of `serve`, a JWT made elsewhere). Shown
// outside the layout, so nothing polls the API while signed out.
import { useEffect } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import { setToken, transport } from "../api";
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
  useEffect(() => {
    if (transport() === "wails") nav("/", { replace: true });
  }, [nav]);

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
      </div>
    </div>
  );
}
