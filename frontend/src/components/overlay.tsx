// Modal dialog (native <dialog>: focus trap + Esc), confirm() and toasts.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { Icon } from "./icons";

export function Modal({
  open,
  title,
  onClose,
  children,
  footer,
  wide,
  testId,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
      // showModal focuses the first focusable (the close button); prefer the marked field.
      d.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`modal${wide ? " wide" : ""}`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
      data-testid={testId}
      aria-labelledby={testId ? `${testId}-title` : undefined}
    >
      {open && (
        <>
          <div className="modal-head">
            <h2 id={testId ? `${testId}-title` : undefined}>{title}</h2>
            <button type="button" className="btn-ghost btn-icon" onClick={onClose} aria-label="Close">
              <Icon name="close" />
            </button>
          </div>
          <div className="modal-body">{children}</div>
          {footer && <div className="modal-foot">{footer}</div>}
        </>
      )}
    </dialog>
  );
}

// ---- confirm ------------------------------------------------------------

export interface ConfirmOptions {
  title: string;
  body?: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
}

type ConfirmFn = (o: ConfirmOptions) => Promise<boolean>;
const ConfirmCtx = createContext<ConfirmFn>(async () => false);

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<(ConfirmOptions & { resolve: (v: boolean) => void }) | null>(null);
  const confirm = useCallback<ConfirmFn>((o) => new Promise<boolean>((resolve) => setState({ ...o, resolve })), []);
  const done = (v: boolean) => {
    state?.resolve(v);
    setState(null);
  };
  return (
    <ConfirmCtx.Provider value={confirm}>
      {children}
      <Modal
        open={state !== null}
        title={state?.title ?? ""}
        onClose={() => done(false)}
        testId="confirm-dialog"
        footer={
          <>
            <button type="button" onClick={() => done(false)} data-testid="confirm-cancel">
              Cancel
            </button>
            <button type="button" className={state?.danger ? "btn-danger solid" : "btn-primary"} onClick={() => done(true)} data-autofocus data-testid="confirm-ok">
              {state?.confirmLabel ?? "Confirm"}
            </button>
          </>
        }
      >
        {state?.body ?? null}
      </Modal>
    </ConfirmCtx.Provider>
  );
}

export function useConfirm(): ConfirmFn {
  return useContext(ConfirmCtx);
}

// ---- toasts -------------------------------------------------------------

type ToastKind = "ok" | "error" | "info";
interface ToastItem {
  id: number;
  kind: ToastKind;
  text: ReactNode;
}
interface ToastApi {
  ok: (t: ReactNode) => void;
  error: (t: ReactNode) => void;
  info: (t: ReactNode) => void;
}
const ToastCtx = createContext<ToastApi>({ ok: () => {}, error: () => {}, info: () => {} });

let toastSeq = 0;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const remove = (id: number) => setItems((xs) => xs.filter((x) => x.id !== id));
  const push = useCallback((kind: ToastKind, text: ReactNode) => {
    const id = ++toastSeq;
    setItems((xs) => [...xs.slice(-4), { id, kind, text }]);
    setTimeout(() => remove(id), kind === "error" ? 9000 : 4500);
  }, []);
  const [api] = useState<ToastApi>(() => ({
    ok: (t) => push("ok", t),
    error: (t) => push("error", t),
    info: (t) => push("info", t),
  }));
  return (
    <ToastCtx.Provider value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
        {items.map((t) => (
          <div key={t.id} className={`toast ${t.kind}`} data-testid={`toast-${t.kind}`}>
            <div className="grow">{t.text}</div>
            <button type="button" className="btn-ghost btn-icon btn-sm" onClick={() => remove(t.id)} aria-label="Dismiss">
              <Icon name="close" />
            </button>
          </div>
        ))}
      </div>
    </ToastCtx.Provider>
  );
}

export function useToast(): ToastApi {
  return useContext(ToastCtx);
}
