import { useEffect, useState } from "react";
import { Link, NavLink, Outlet, useLocation } from "react-router-dom";
import { useQueryClient } from "@tanstack/react-query";
import { useOp } from "../api/hooks";
import { ApiError, transport } from "../api";
import { formatClock } from "../format";
import { useTheme } from "../lib/theme";
import { Icon, type IconName } from "./icons";
import { TokenButton } from "./TokenDialog";
import { AccessGate, UserMenu } from "./AccessGate";
import { useAccess } from "./Access";
import { canSeePage } from "../lib/access";

const NAV: Array<{ section: string; items: Array<{ to: string; label: string; icon: IconName; desktopOnly?: boolean; activeFor?: RegExp }> }> = [
  {
    section: "Overview",
    items: [
      { to: "/dashboard", label: "Dashboard", icon: "dashboard" },
      { to: "/status", label: "Status", icon: "status" },
      { to: "/settings", label: "Settings", icon: "config", desktopOnly: true },
    ],
  },
  {
    section: "Operate",
    items: [
      { to: "/run", label: "Run", icon: "run" },
      { to: "/exec", label: "Exec", icon: "exec" },
      { to: "/executions", label: "Executions", icon: "executions" },
      { to: "/running", label: "Running now", icon: "live" },
      { to: "/activity", label: "Activity", icon: "activity" },
      { to: "/jobs", label: "Jobs", icon: "jobs" },
      { to: "/schedules", label: "Schedules", icon: "schedules" },
    ],
  },
  {
    section: "Fleet",
    items: [
      { to: "/agents", label: "Agents", icon: "agents" },
      // the per-PC pages belong to Inventory, the search to its own entry
      { to: "/inventory", label: "Inventory", icon: "inventory", activeFor: /^\/inventory(\/pc\/.*)?\/?$/ },
      { to: "/inventory/search", label: "Inventory search", icon: "search" },
      { to: "/config", label: "Config", icon: "config" },
      { to: "/rollout", label: "Rollout", icon: "rollout" },
      { to: "/audit", label: "Audit", icon: "audit" },
      { to: "/connect", label: "Connect agents", icon: "plug" },
      { to: "/logs", label: "Logs", icon: "logs" },
      { to: "/api-docs", label: "HTTP API", icon: "jobs" },
    ],
  },
  {
    section: "Admin",
    items: [
      { to: "/accounts", label: "Accounts", icon: "users" },
      { to: "/permission-groups", label: "Permission groups", icon: "shield" },
    ],
  },
];

/** Time of the last successful query refresh anywhere in the app. */
function useLastUpdated(): number | null {
  const qc = useQueryClient();
  const [at, setAt] = useState<number | null>(null);
  useEffect(
    () =>
      qc.getQueryCache().subscribe((ev) => {
        if (ev.type === "updated" && ev.action.type === "success") setAt(Date.now());
      }),
    [qc],
  );
  return at;
}

function HealthBadge() {
  const q = useOp("GetFleetHealth", {}, { refetchInterval: 10_000 });
  let cls = "badge";
  let text = "health …";
  let title = "fleet health";
  if (q.data) {
    const s = q.data.status;
    cls = `badge health-badge ${s === "ok" ? "badge-ok" : s === "degraded" ? "badge-fail" : "badge-warn"}`;
    text = s;
    title = `${q.data.agents.active}/${q.data.agents.known} agents active, ${q.data.agents.stale} stale; JetStream ${q.data.jetstream.healthy}/${q.data.jetstream.total}`;
  } else if (q.isError) {
    const status = q.error instanceof ApiError ? q.error.status : 0;
    cls = "badge health-badge badge-fail";
    text = status === 401 ? "signed out" : status === 0 ? "unreachable" : `error ${status}`;
    title = String(q.error?.message ?? "");
  }
  return (
    <Link to="/dashboard" className={cls} title={title} data-testid="health-badge" data-status={q.data?.status ?? (q.isError ? "error" : "loading")}>
      <span className="dot" />
      {text}
    </Link>
  );
}

export default function Layout() {
  const [open, setOpen] = useState(false);
  const [theme, toggleTheme] = useTheme();
  const loc = useLocation();
  const updated = useLastUpdated();
  const qc = useQueryClient();
  const access = useAccess();

  useEffect(() => setOpen(false), [loc.pathname]);
  useEffect(() => {
    if (!open) return;
    // move focus into the drawer so keyboard users land on the navigation
    setTimeout(() => document.querySelector<HTMLElement>(".sidebar .nav a.active, .sidebar .nav a")?.focus(), 0);
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <div className={`app${open ? " nav-open" : ""}`}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar" aria-label="Main navigation" data-testid="sidebar">
        <Link to="/dashboard" className="brand">
          <span className="mark" aria-hidden="true">
            K
          </span>
          <span>
            kanade <small>console</small>
          </span>
        </Link>
        <nav className="nav">
          {NAV.map((s) => ({ ...s, items: s.items.filter((i) => (!i.desktopOnly || transport() === "wails") && canSeePage(access, i.to)) }))
            .filter((s) => s.items.length > 0)
            .map((s) => (
            <div key={s.section} className="col" style={{ gap: 1 }}>
              <div className="nav-section">{s.section}</div>
              {s.items.map((i) => (
                <NavLink
                  key={i.to}
                  to={i.to}
                  end={i.activeFor !== undefined}
                  className={({ isActive }) => ((i.activeFor ? i.activeFor.test(loc.pathname) : isActive) ? "active" : undefined)}
                  data-testid={`nav-${i.to.slice(1).replace(/\//g, "-")}`}
                >
                  <Icon name={i.icon} />
                  {i.label}
                </NavLink>
              ))}
            </div>
          ))}
        </nav>
        <div className="sidebar-foot">{transport() === "wails" ? "desktop" : "browser"} mode</div>
      </aside>
      <div className="scrim" onClick={() => setOpen(false)} aria-hidden="true" />
      <div className="main">
        <header className="topbar">
          <button
            type="button"
            className="hamburger btn-ghost btn-icon"
            aria-label="Open navigation"
            aria-expanded={open}
            onClick={() => setOpen((o) => !o)}
            data-testid="nav-toggle"
          >
            <Icon name="menu" />
          </button>
          <HealthBadge />
          <span className="spacer" />
          <span className="updated" data-testid="last-updated" aria-live="off">
            <span className="label">updated </span>
            {updated ? formatClock(updated) : "—"}
          </span>
          <button type="button" className="btn-ghost btn-icon" onClick={() => void qc.invalidateQueries()} aria-label="Refresh now" title="Refresh now" data-testid="refresh-all">
            <Icon name="refresh" />
          </button>
          <button
            type="button"
            className="btn-ghost btn-icon"
            onClick={toggleTheme}
            aria-label={theme === "dark" ? "Switch to light theme" : "Switch to dark theme"}
            title={theme === "dark" ? "Light theme" : "Dark theme"}
            data-testid="theme-toggle"
          >
            <Icon name={theme === "dark" ? "sun" : "moon"} />
          </button>
          <TokenButton />
          <UserMenu />
        </header>
        <main id="main" className="content" tabIndex={-1}>
          <AccessGate>
            <Outlet />
          </AccessGate>
        </main>
      </div>
    </div>
  );
}
