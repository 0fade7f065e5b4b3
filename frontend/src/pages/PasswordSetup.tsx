// /password-setup/:token — the page a setup or reset link opens (public):
// who the link is for, then a new password. Single use; 72 h.
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { useQuery } from "@tanstack/react-query";
import { ApiError } from "../api";
import { authKeys, passwordSetup, passwordSetupInfo } from "../api/auth";
import { MIN_PASSWORD, passwordProblem } from "../lib/signin";
import { Card, Loading, errorMessage } from "../components/ui";

export function linkErrorText(e: unknown): string {
  if (e instanceof ApiError && e.status === 404) return "This link is not valid. Ask an administrator for a new one.";
  if (e instanceof ApiError && e.status === 410) return "This link has expired or was already used. Ask an administrator for a new one.";
  return errorMessage(e);
}

export default function PasswordSetupPage() {
  const { token = "" } = useParams();
  const info = useQuery({ queryKey: authKeys.passwordLink(token), queryFn: () => passwordSetupInfo(token), retry: false });
  const [pw, setPw] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const problem = passwordProblem(pw, again);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem || busy) return;
    setBusy(true);
    setError(null);
    try {
      await passwordSetup(token, pw);
      setDone(true);
    } catch (err) {
      setError(linkErrorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin-screen" data-testid="page-password-setup">
      <div className="signin-box col">
        <Card title={info.data?.purpose === "reset" ? "Reset your password" : "Set your password"}>
          {info.isPending ? (
            <Loading />
          ) : info.isError ? (
            <div className="banner banner-error" role="alert" data-testid="setup-error">
              {linkErrorText(info.error)}
            </div>
          ) : done ? (
            <div className="col">
              <div className="banner banner-ok" data-testid="setup-done">
                The password of <strong>{info.data.username}</strong> is set.
              </div>
              <Link className="btn btn-primary" to="/login" data-testid="setup-signin">
                Sign in
              </Link>
            </div>
          ) : (
            <form className="col" onSubmit={(e) => void submit(e)}>
              <p className="small">
                Account <strong data-testid="setup-username">{info.data.username}</strong>
              </p>
              {error && (
                <div className="banner banner-error" role="alert" data-testid="setup-error">
                  {error}
                </div>
              )}
              <label className="field">
                <span>New password (at least {MIN_PASSWORD} characters)</span>
                <input type="password" autoComplete="new-password" value={pw} onChange={(e) => setPw(e.target.value)} autoFocus data-testid="setup-password" />
              </label>
              <label className="field">
                <span>Repeat it</span>
                <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="setup-again" />
              </label>
              {pw !== "" && problem && <div className="small muted">{problem}</div>}
              <div className="row">
                <button type="submit" className="btn-primary" disabled={!!problem || busy} data-testid="setup-submit">
                  Set password
                </button>
              </div>
            </form>
          )}
        </Card>
      </div>
    </div>
  );
}
