// /profile: the signed-in account — who, role and pages, change password,
// TOTP two-factor enrolment (QR code drawn here, the secret as text, a code
// to confirm), replacement and disabling.
import { useEffect, useState, type FormEvent } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { canSignOut, mfaDisable, mfaInit, mfaVerify } from "../api/auth";
import { ME_KEY, useAccess, useSignOut } from "../components/Access";
import { useToast } from "../components/overlay";
import { ChangePasswordForm } from "../components/SignIn";
import { Card, CopyButton, PageHeader, errorMessage } from "../components/ui";
import { cleanCode, groupSecret } from "../lib/signin";
import { isAccount } from "../lib/access";
import { qrSvg, svgDataUrl } from "../lib/qr";
import { useNavigate } from "react-router-dom";

function QrImage({ text }: { text: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void qrSvg(text).then((svg) => live && setSrc(svgDataUrl(svg)));
    return () => {
      live = false;
    };
  }, [text]);
  return src ? <img src={src} width={200} height={200} alt="QR code of the authenticator setup URL" className="qr" data-testid="mfa-qr" /> : <div className="qr" />;
}

function CodeInput({ value, onChange, testId, label = "Code from the app" }: { value: string; onChange: (v: string) => void; testId: string; label?: string }) {
  return (
    <label className="field" style={{ maxWidth: 200 }}>
      <span>{label}</span>
      <input inputMode="numeric" autoComplete="one-time-code" maxLength={8} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}

/** Enrol (or replace) an authenticator: init → QR + secret → verify with a code. */
function MfaEnrol({ replacing, onDone, onCancel }: { replacing: boolean; onDone: () => void; onCancel: () => void }) {
  const [cand, setCand] = useState<{ secret: string; otpauth_url: string } | null>(null);
  const [code, setCode] = useState("");
  const [current, setCurrent] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    mfaInit().then(setCand, (e) => setError(errorMessage(e)));
  }, []);
  const ok = cleanCode(code) !== null && (!replacing || cleanCode(current) !== null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!cand || !ok || busy) return;
    setBusy(true);
    setError(null);
    try {
      await mfaVerify(cand.secret, cleanCode(code)!, replacing ? cleanCode(current)! : undefined);
      onDone();
    } catch (err) {
      setError(errorMessage(err));
      setCode("");
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="col" onSubmit={(e) => void submit(e)} data-testid="mfa-enrol">
      {error && (
        <div className="banner banner-error" role="alert" data-testid="mfa-error">
          {error}
        </div>
      )}
      {cand && (
        <div className="row" style={{ alignItems: "flex-start", gap: 16 }}>
          <QrImage text={cand.otpauth_url} />
          <div className="col" style={{ minWidth: 240, flex: 1 }}>
            <p className="small">Scan the code with an authenticator app (TOTP, 6 digits, 30 s), or type the key:</p>
            <code className="mfa-secret" data-testid="mfa-secret" data-secret={cand.secret}>
              {groupSecret(cand.secret)}
            </code>
            <div className="row">
              <CopyButton text={cand.secret} label="Copy key" testId="mfa-secret-copy" />
            </div>
            {replacing && <CodeInput value={current} onChange={setCurrent} testId="mfa-current-code" label="Code from the current authenticator" />}
            <CodeInput value={code} onChange={setCode} testId="mfa-code" label={replacing ? "Code from the new authenticator" : "Code from the app"} />
            <div className="row">
              <button type="submit" className="btn-primary" disabled={!ok || busy} data-testid="mfa-verify">
                Turn on
              </button>
              <button type="button" onClick={onCancel} data-testid="mfa-cancel">
                Cancel
              </button>
            </div>
          </div>
        </div>
      )}
    </form>
  );
}

function MfaDisable({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = cleanCode(code);
    if (!c || busy) return;
    setBusy(true);
    setError(null);
    try {
      await mfaDisable(c);
      onDone();
    } catch (err) {
      setError(errorMessage(err));
      setCode("");
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="col" onSubmit={(e) => void submit(e)}>
      {error && (
        <div className="banner banner-error" role="alert" data-testid="mfa-disable-error">
          {error}
        </div>
      )}
      <div className="row" style={{ alignItems: "flex-end" }}>
        <CodeInput value={code} onChange={setCode} testId="mfa-disable-code" />
        <button type="submit" className="btn-danger" disabled={!cleanCode(code) || busy} data-testid="mfa-disable">
          Turn off two-factor
        </button>
      </div>
    </form>
  );
}

export default function ProfilePage() {
  const a = useAccess();
  const qc = useQueryClient();
  const toast = useToast();
  const signOut = useSignOut();
  const nav = useNavigate();
  const [enrolling, setEnrolling] = useState(false);
  const me = a.me;
  const refresh = () => void qc.invalidateQueries({ queryKey: ME_KEY });

  if (!me || a.mode === "open") {
    return (
      <div className="page" data-testid="page-profile">
        <PageHeader title="Profile" />
        <Card>
          <p data-testid="profile-open">
            {a.loading ? "Loading…" : "This console runs without accounts (desktop app or local open mode): you act as its administrator."}
          </p>
        </Card>
      </div>
    );
  }
  const account = isAccount(me);
  return (
    <div className="page" data-testid="page-profile" style={{ maxWidth: 860 }}>
      <PageHeader title="Profile">
        {canSignOut(me) && (
          <button
            type="button"
            onClick={() => {
              void signOut().then(() => nav("/login"));
            }}
            data-testid="profile-signout"
          >
            Sign out
          </button>
        )}
      </PageHeader>
      <Card title="Account">
        <dl className="kv">
          <dt>Username</dt>
          <dd data-testid="profile-username">{me.username}</dd>
          <dt>Role</dt>
          <dd>
            <span className="badge badge-accent" data-testid="profile-role">
              {me.role}
            </span>
          </dd>
          <dt>Pages</dt>
          <dd data-testid="profile-features">{me.allowed_features === null ? "all" : me.allowed_features.length ? me.allowed_features.join(", ") : "none beyond your profile"}</dd>
        </dl>
      </Card>
      {account && (
        <>
          <Card title="Password">
            <ChangePasswordForm
              onDone={() => {
                toast.ok("Password changed");
                refresh();
              }}
            />
          </Card>
          <Card
            title="Two-factor authentication"
            actions={
              <span className={`badge ${me.mfa_enabled ? "badge-ok" : "badge-warn"}`} data-testid="mfa-status" data-enabled={String(me.mfa_enabled)}>
                {me.mfa_enabled ? "on" : "off"}
              </span>
            }
          >
            {enrolling ? (
              <MfaEnrol
                replacing={me.mfa_enabled}
                onCancel={() => setEnrolling(false)}
                onDone={() => {
                  setEnrolling(false);
                  toast.ok("Two-factor authentication is on");
                  refresh();
                }}
              />
            ) : me.mfa_enabled ? (
              <div className="col">
                <p className="small">Signing in asks for a code from your authenticator app.</p>
                <MfaDisable
                  onDone={() => {
                    toast.ok("Two-factor authentication is off");
                    refresh();
                  }}
                />
                <div className="row">
                  <button type="button" onClick={() => setEnrolling(true)} data-testid="mfa-replace">
                    Move to another authenticator
                  </button>
                </div>
              </div>
            ) : (
              <div className="col">
                <p className="small">Add a time-based code (TOTP) from an authenticator app to your password.</p>
                <div className="row">
                  <button type="button" className="btn-primary" onClick={() => setEnrolling(true)} data-testid="mfa-setup">
                    Set up two-factor
                  </button>
                </div>
              </div>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
