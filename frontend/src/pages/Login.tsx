import { useNavigate } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import { setToken, transport } from "../api";
import { TokenForm } from "../components/TokenDialog";
import { Card, PageHeader } from "../components/ui";

export default function LoginPage() {
  const nav = useNavigate();
  const qc = useQueryClient();
  return (
    <div className="page" data-testid="page-login" style={{ maxWidth: 520 }}>
      <PageHeader title="Sign in" />
      <Card>
        {transport() === "wails" ? (
          <p>The desktop app talks to its own backend directly; no token is needed.</p>
        ) : (
          <TokenForm
            onDone={(t) => {
              setToken(t);
              void qc.invalidateQueries();
              nav("/dashboard");
            }}
          />
        )}
      </Card>
    </div>
  );
}
