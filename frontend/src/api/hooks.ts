// TanStack Query glue. Query keys are [opName, request], so invalidating by
// op name refreshes every view of that op.
import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseQueryOptions,
} from "@tanstack/react-query";
import { useEffect } from "react";
import { ApiError, call, subscribeBackendEvents, type BackendTopic } from "./client";
import type { OpName, OpReq, OpRes } from "./ops";

export function opKey<K extends OpName>(name: K, req?: OpReq<K>): readonly unknown[] {
  return req === undefined ? [name] : [name, req];
}

type QOpts<K extends OpName> = Omit<UseQueryOptions<OpRes<K>, ApiError | Error>, "queryKey" | "queryFn">;

/** useQuery for one op. */
export function useOp<K extends OpName>(name: K, req: OpReq<K>, options: QOpts<K> = {}) {
  return useQuery<OpRes<K>, ApiError | Error>({
    queryKey: opKey(name, req),
    queryFn: ({ signal }) => call(name, req, { signal }),
    ...options,
  });
}

/** useMutation for one op; invalidates the listed ops on success. */
export function useOpMutation<K extends OpName>(name: K, invalidate: OpName[] = []) {
  const qc = useQueryClient();
  return useMutation<OpRes<K>, ApiError | Error, OpReq<K>>({
    mutationFn: (req) => call(name, req),
    onSuccess: () => invalidateOps(qc, invalidate),
  });
}

export function invalidateOps(qc: QueryClient, names: OpName[]): Promise<void> {
  return Promise.all(names.map((n) => qc.invalidateQueries({ queryKey: [n] }))).then(() => undefined);
}

/** Which queries a backend event makes stale. */
export const topicOps: Record<BackendTopic, OpName[]> = {
  results: ["ListResults", "GetResult", "GetFleetHealth", "ListExecutions", "GetExecution", "GetInventoryByJob", "ListPcInventory"],
  agents: ["ListAgents", "GetAgent", "GetFleetHealth", "GetStatus", "ListGroups"],
  executions: ["ListExecutions", "GetExecution"],
};

/** Desktop only: refresh queries when the Go side emits kanade:* events. */
export function useBackendEvents(): void {
  const qc = useQueryClient();
  useEffect(() => subscribeBackendEvents((topic) => void invalidateOps(qc, topicOps[topic])), [qc]);
}

/** Do not retry client errors (4xx); retry others once. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}
