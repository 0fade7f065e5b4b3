// Checkboxes for kanade's page catalogue (a per-account allow-list or a
// permission group's pages), in catalogue order.
import { FEATURES, canonicalFeatures, type Feature } from "../lib/access";

export const FEATURE_LABELS: Record<Feature, string> = {
  dashboard: "Dashboard",
  run: "Run",
  exec: "Exec",
  agents: "Agents",
  inventory: "Inventory",
  compliance: "Compliance",
  activity: "Activity & executions",
  events: "Events",
  audit: "Audit",
  logs: "Logs",
  collect: "Collect",
  analytics: "Analytics",
  jobs: "Jobs",
  schedules: "Schedules",
  views: "Views",
  notifications: "Notifications",
  rollout: "Rollout",
  "agent-install": "Connect agents",
  apps: "Apps",
  groups: "Groups",
  config: "Config",
  jetstream: "Status (JetStream)",
  accounts: "Accounts",
  settings: "Settings",
  remote: "Remote",
};

export function FeaturePicker({ value, onChange, testId = "feature-picker" }: { value: readonly Feature[]; onChange: (v: Feature[]) => void; testId?: string }) {
  const set = new Set(value);
  const toggle = (f: Feature) => onChange(canonicalFeatures(set.has(f) ? value.filter((x) => x !== f) : [...value, f]));
  return (
    <fieldset className="feature-picker" data-testid={testId}>
      {FEATURES.map((f) => (
        <label key={f} className="field-inline">
          <input type="checkbox" checked={set.has(f)} onChange={() => toggle(f)} data-testid={`feature-${f}`} />
          {FEATURE_LABELS[f]}
        </label>
      ))}
    </fieldset>
  );
}
