// Shared shell of the YAML editor pages (jobs, schedules): back link, header,
// load / error / not-found states, and the editor + issues + save form.
import { useEffect, useState, type ReactNode } from "react";
import { Link } from "react-router-dom";
import { useDebounced } from "../lib/hooks";
import { toYaml, type Validation } from "../lib/validate";
import { YamlEditor } from "./YamlEditor";
import { Card, ErrorState, Loading, PageHeader, Spinner, errorMessage } from "./ui";
import { Can } from "./Access";

export interface YamlDraft {
  editing: boolean;
  /** Current editor text. */
  text: string;
  setText: (v: string) => void;
  /** `text` after a short debounce; validate this, not `text`, to keep typing smooth. */
  debounced: string;
  /** The debounced text lags behind: validation doesn't describe `text` yet. */
  stale: boolean;
  /** Editing an id the list doesn't contain (and nothing was loaded). */
  missing: boolean;
}

/**
 * Editor text for a YAML-backed entity. A new entity starts from `template`;
 * an existing one is seeded once from `existing` when it arrives, so later
 * refetches never overwrite what the user typed.
 */
export function useYamlDraft(editing: boolean, existing: object | undefined, template: string): YamlDraft {
  const [src, setSrc] = useState<string | null>(editing ? null : template);
  useEffect(() => {
    if (editing && src === null && existing) setSrc(toYaml(existing));
  }, [editing, existing, src]);
  const text = src ?? "";
  const debounced = useDebounced(text, 150);
  return { editing, text, setText: setSrc, debounced, stale: debounced !== text, missing: editing && !existing && src === null };
}

interface ListQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

interface SaveMutation {
  /** Saves the YAML source (UpsertJobYaml, UpsertScheduleYaml). */
  mutate: (req: { yaml: string }) => void;
  isPending: boolean;
  isError: boolean;
  error: unknown;
}

export function EditorPage({
  testId,
  backTo,
  backLabel,
  title,
  sub,
  list,
  notFound,
  draft,
  validation,
  save,
  yamlLabel,
  yamlTestId,
  saveLabel,
  saveTestId,
  notice,
  invalidHint,
  aside,
}: {
  testId: string;
  /** List page: target of the back link and of Cancel. */
  backTo: string;
  backLabel: string;
  title: string;
  sub: ReactNode;
  /** The query the edited entity is looked up in (only consulted when editing). */
  list: ListQuery;
  /** Content of the "not found" state when editing an unknown id. */
  notFound: ReactNode;
  draft: YamlDraft;
  validation: Pick<Validation, "ok" | "issues">;
  save: SaveMutation;
  yamlLabel: string;
  yamlTestId: string;
  saveLabel: string;
  saveTestId: string;
  /** Shown between the editor and the save error (e.g. an id-change warning). */
  notice?: ReactNode;
  /** Shown next to the buttons while the YAML has errors. */
  invalidHint?: string;
  /** Side card(s); when given, the form and the aside share an editor layout. */
  aside?: ReactNode;
}) {
  const { editing } = draft;
  const form = (
    <Card>
      <form
        className="col"
        onSubmit={(e) => {
          e.preventDefault();
          if (validation.ok && !draft.stale) save.mutate({ yaml: draft.text });
        }}
      >
        <YamlEditor value={draft.text} onChange={draft.setText} issues={validation.issues} label={yamlLabel} testId={yamlTestId} />
        {notice}
        {save.isError && (
          <div className="banner banner-error" role="alert" data-testid="save-error">
            Save failed: {errorMessage(save.error)}
          </div>
        )}
        <div className="row">
          <Can action="operate" fallback={<span className="muted small" data-testid="editor-read-only">Read only: saving needs the operator role.</span>}>
            <button type="submit" className="btn-primary" disabled={!validation.ok || draft.stale || save.isPending} data-testid={saveTestId}>
              {save.isPending ? <Spinner /> : null}
              {` ${saveLabel}`}
            </button>
          </Can>
          <Link className="btn" to={backTo}>
            Cancel
          </Link>
          {invalidHint && !validation.ok && <span className="error-text">{invalidHint}</span>}
        </div>
      </form>
    </Card>
  );

  return (
    <div className="page" data-testid={testId}>
      <Link to={backTo}>{backLabel}</Link>
      <PageHeader title={title} sub={sub} />
      {/* The list query is disabled for new entities, so its pending/error state only matters when editing. */}
      {editing && list.isPending ? (
        <Loading />
      ) : editing && list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : draft.missing ? (
        <Card>
          <div className="state">{notFound}</div>
        </Card>
      ) : aside ? (
        <div className="editor-layout">
          {form}
          {aside}
        </div>
      ) : (
        form
      )}
    </div>
  );
}
