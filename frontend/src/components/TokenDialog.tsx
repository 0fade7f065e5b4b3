// Browser mode: the bearer-token prompt shown on a 401 (and from the header).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { clearToken, getToken, setToken, setTokenPrompt, transport } from "../api";
import { Modal } from "./overlay";
import { Icon } from "./icons";
import { SignInForm } from "./SignIn";

export function TokenForm({ reason, onDone, onCancel }: { reason?: string; onDone: (token: string) => void; onCancel?: () => void }) {
  const [value, setValue] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onDone(value.trim());
  };
  return (
    <form onSubmit={submit} className="col" data-testid="token-form">
      {reason && <div className="banner banner-warn">The backend refused the request: {reason}</div>}
      <p className="muted small">
        Paste a bearer token (the static token or a JWT). It is kept in this browser's local storage as <code>kanade_token</code>.
      </p>
      <label className="field">
        <span>Bearer token</span>
        <input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} data-autofocus data-testid="token-input" />
      </label>
      <div className="row" style={{ justifyContent: "flex-end" }}>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="btn-primary" disabled={!value.trim()} data-testid="token-submit">
          Save token
        </button>
      </div>
    </form>
  );
}

/** Registers the 401 prompt with the api module and renders it. */
export function TokenPromptHost() {
  const [ask, setAsk] = useState<{ reason: string } | null>(null);
  const resolver = useRef<((t: string | null) => void) | null>(null);
  useEffect(() => {
    if (transport() !== "http") return;
    setTokenPrompt(
      (reason) =>
        new Promise<string | null>((resolve) => {
          resolver.current = resolve;
          setAsk({ reason });
        }),
    );
    return () => setTokenPrompt(null);
  }, []);
  const finish = (t: string | null) => {
    resolver.current?.(t);
    resolver.current = null;
    setAsk(null);
  };
  return (
    <Modal open={ask !== null} title="Sign in" onClose={() => finish(null)} testId="token-dialog">
      <div className="col">
        {ask?.reason && <div className="banner banner-warn">The backend refused the request: {ask.reason}</div>}
        <SignInForm onSignedIn={(r) => finish(r.token)} autoFocus={false} />
        <div className="signin-or small muted">or paste an access token</div>
        <TokenForm onDone={(t) => finish(t)} onCancel={() => finish(null)} />
      </div>
    </Modal>
  );
}

/** Header button: set / replace / forget the stored token (browser mode only). */
export function TokenButton() {
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const [has, setHas] = useState(() => getToken() !== null);
  useEffect(() => {
    const on = () => setHas(getToken() !== null);
    window.addEventListener("kanade:auth-expired", on);
    return () => window.removeEventListener("kanade:auth-expired", on);
  }, []);
  if (transport() !== "http") return null;
  return (
    <>
      <button type="button" className="btn-ghost btn-icon" onClick={() => setOpen(true)} aria-label="Access token" title={has ? "Token stored" : "No token stored"} data-testid="token-button">
        <Icon name="key" />
      </button>
      <Modal open={open} title="Access token" onClose={() => setOpen(false)}>
        <p className="small">{has ? "A token is stored in this browser." : "No token is stored (fine when the server runs without auth)."}</p>
        <TokenForm
          onDone={(t) => {
            setToken(t);
            setHas(true);
            setOpen(false);
            void qc.invalidateQueries();
          }}
        />
        {has && (
          <button
            type="button"
            className="btn-danger"
            onClick={() => {
              clearToken();
              setHas(false);
              setOpen(false);
            }}
          >
            Forget token
          </button>
        )}
      </Modal>
    </>
  );
}
