// Lists in a card: ListTable (query states, scrolling table) and PagedTable (with a pager).
import type { ReactNode } from "react";
import { Card, Pager, QueryView } from "./ui";

export interface Paging {
  limit: number;
  offset: number;
  onChange: (next: { limit: number; offset: number }) => void;
}

/**
 * Paging kept in the URL (?limit=&offset=, as set by useUrlState). Turning a
 * page passes resetOffset=false so the new offset isn't dropped again.
 */
export function urlPaging(f: { limit: string; offset: string }, setF: (patch: { limit: string; offset: string }, resetOffset?: boolean) => void): Paging {
  return {
    limit: Number(f.limit) || 50,
    offset: Number(f.offset) || 0,
    onChange: (p) => setF({ limit: String(p.limit), offset: String(p.offset) }, false),
  };
}

interface PageQuery<T> {
  data: { items: T[]; total: number } | undefined;
  error: unknown;
  isPending: boolean;
  isError: boolean;
  refetch: () => unknown;
}

/** A list in a card: query states (loading, error, empty, refresh failed), the scrolling table, an optional footer. */
export function ListTable<T>({
  q,
  empty,
  testId,
  head,
  row,
  title,
  actions,
  cardTestId,
  order,
  footer,
}: {
  q: PageQuery<T>;
  /** Shown instead of the table when the page has no rows. */
  empty: ReactNode;
  testId: string;
  /** The header cells (<th>…). */
  head: ReactNode;
  /** One keyed <tr> per item. */
  row: (item: T) => ReactNode;
  /** Card title and header actions (filters, links). */
  title?: ReactNode;
  actions?: ReactNode;
  cardTestId?: string;
  /** Reorders the page's rows before they are drawn. */
  order?: (items: T[]) => T[];
  /** Below the table, e.g. a pager. */
  footer?: (page: { items: T[]; total: number }) => ReactNode;
}) {
  return (
    <Card flush title={title} actions={actions} testId={cardTestId}>
      <QueryView q={q} isEmpty={(d) => d.items.length === 0} empty={empty}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table className="table" data-testid={testId}>
                <thead>
                  <tr>{head}</tr>
                </thead>
                <tbody>{(order ? order(d.items) : d.items).map((item) => row(item))}</tbody>
              </table>
            </div>
            {footer?.(d)}
          </>
        )}
      </QueryView>
    </Card>
  );
}

/** A server-paged list: ListTable with the pager under it. */
export function PagedTable<T>({
  paging,
  ...rest
}: {
  q: PageQuery<T>;
  empty: ReactNode;
  testId: string;
  head: ReactNode;
  row: (item: T) => ReactNode;
  paging: Paging;
  title?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <ListTable
      {...rest}
      footer={(d) => <Pager total={d.total} limit={paging.limit} offset={paging.offset} shown={d.items.length} onChange={paging.onChange} />}
    />
  );
}
