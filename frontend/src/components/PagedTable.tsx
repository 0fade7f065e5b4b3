// A server-paged list: card, query states, scrolling table, pager.
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

export function PagedTable<T>({
  q,
  empty,
  testId,
  head,
  row,
  paging,
  title,
  actions,
}: {
  q: PageQuery<T>;
  /** Shown instead of the table when the page has no rows. */
  empty: ReactNode;
  testId: string;
  /** The header cells (<th>…). */
  head: ReactNode;
  /** One keyed <tr> per item. */
  row: (item: T) => ReactNode;
  paging: Paging;
  /** Card title and header actions (filters), when the page has several cards. */
  title?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Card flush title={title} actions={actions}>
      <QueryView q={q} isEmpty={(d) => d.items.length === 0} empty={empty}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table className="table" data-testid={testId}>
                <thead>
                  <tr>{head}</tr>
                </thead>
                <tbody>{d.items.map((item) => row(item))}</tbody>
              </table>
            </div>
            <Pager total={d.total} limit={paging.limit} offset={paging.offset} shown={d.items.length} onChange={paging.onChange} />
          </>
        )}
      </QueryView>
    </Card>
  );
}
