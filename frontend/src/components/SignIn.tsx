// Sign-in with an account (password, then a TOTP code when the console asks
// for one) and the password change form (self-service and forced).
import { useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { changePassword, isMfaRequired, login, type LoginResponse } from "../api/auth";
import { MIN_PASSWORD, passwordProblem, signInErrorText } from "../lib/signin";
import { errorMessage } from "./ui";

type Signed = Exclude<LoginResponse, { mfa_required: true }>;

/** Username + password; a second step for the TOTP code when the answer is mfa_required. */
export function SignInForm({ onSignedIn, autoFocus = true }: { onSignedIn: (r: Signed) => void; autoFocus?: boolean }) {
  const [step, setStep] = useState<"password" | "totp">("password");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await login(username.trim(), password, step === "totp" ? code : undefined);
      if (isMfaRequired(r)) {
        setStep("totp");
        setCode("");
      } else {
        onSignedIn(r);
      }
    } catch (err) {
      setError(signInErrorText(err, step));
      if (step === "totp") setCode("");
    } finally {
      setBusy(false);
    }
  };

  const back = () => {
    setStep("password");
    setPassword("");
    setCode("");
    setError(null);
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="col" data-testid="signin-form" data-step={step}>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="signin-error">
          {error}
        </div>
      )}
      {step === "password" ? (
        <>
          <label className="field">
            <span>Username</span>
            <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} {...(autoFocus ? { "data-autofocus": true, autoFocus: true } : {})} data-testid="signin-username" />
          </label>
          <label className="field">
            <span>Password</span>
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="signin-password" />
          </label>
        </>
      ) : (
        <>
          <p className="small">
            Two-factor authentication is on for <strong>{username}</strong>. Enter the 6-digit code from your authenticator app.
          </p>
          <label className="field">
            <span>Authentication code</span>
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={8}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoFocus
              data-testid="signin-totp"
            />
          </label>
        </>
      )}
      <div className="row" style={{ justifyContent: "flex-end" }}>
        {step === "totp" && (
          <button type="button" onClick={back} data-testid="signin-back">
            Back
          </button>
        )}
        <button
          type="submit"
          className="btn-primary"
          disabled={busy || (step === "password" ? !username.trim() || !password : code.replace(/\s/g, "").length < 6)}
          data-testid="signin-submit"
        >
          {step === "password" ? "Sign in" : "Verify"}
        </button>
      </div>
    </form>
  );
}

/** Change the caller's password (old + new + repeat). */
export function ChangePasswordForm({ onDone, submitLabel = "Change password" }: { onDone: () => void; submitLabel?: string }) {
  const [oldPw, setOldPw] = useState("");
  const [newPw, setNewPw] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const problem = passwordProblem(newPw, again, oldPw);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem || busy) return;
    setBusy(true);
    setError(null);
    try {
      await changePassword(oldPw, newPw);
      setOldPw("");
      setNewPw("");
      setAgain("");
      onDone();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? "The current password is wrong." : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} className="col" data-testid="password-form" style={{ maxWidth: 420 }}>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="password-error">
          {error}
        </div>
      )}
      <label className="field">
        <span>Current password</span>
        <input type="password" autoComplete="current-password" value={oldPw} onChange={(e) => setOldPw(e.target.value)} data-testid="pw-old" />
      </label>
      <label className="field">
        <span>New password (at least {MIN_PASSWORD} characters)</span>
        <input type="password" autoComplete="new-password" value={newPw} onChange={(e) => setNewPw(e.target.value)} data-testid="pw-new" />
      </label>
      <label className="field">
        <span>Repeat the new password</span>
        <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="pw-again" />
      </label>
      {newPw !== "" && problem && (
        <div className="small muted" data-testid="pw-problem">
          {problem}
        </div>
      )}
      <div className="row">
        <button type="submit" className="btn-primary" disabled={!!problem || !oldPw || busy} data-testid="pw-submit">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
