// TanStack Query glue. Every query key comes from here: an op's is
// [opName, request] (opKey), so invalidating by op name refreshes every view
// of that op. Every write goes through useOpMutation, which refetches what
// the op declares in ./invalidation.
import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryFunctionContext,
  type UseMutationOptions,
  type UseQueryOptions,
} from "@tanstack/react-query";
import { useEffect } from "react";
import { ApiError, call, subscribeBackendEvents, type BackendTopic } from "./client";
import { invalidates, type WriteOp } from "./invalidation";
import type { OpName, OpReq, OpRes } from "./ops";

export type { WriteOp } from "./invalidation";

export function opKey<K extends OpName>(name: K, req?: OpReq<K>): readonly unknown[] {
  return req === undefined ? [name] : [name, req];
}

/** The key of the desktop app's settings (read through ../desktop, not an op). */
export const desktopSettingsKey = ["desktop-settings"] as const;

/** Key and fetcher of one op's query: for useQuery, fetchQuery and prefetchQuery. */
export function opQuery<K extends OpName>(name: K, req: OpReq<K>) {
  return {
    queryKey: opKey(name, req),
    queryFn: ({ signal }: QueryFunctionContext) => call(name, req, { signal }),
  };
}

type QOpts<K extends OpName> = Omit<UseQueryOptions<OpRes<K>, ApiError | Error>, "queryKey" | "queryFn">;

/** useQuery for one op. */
export function useOp<K extends OpName>(name: K, req: OpReq<K>, options: QOpts<K> = {}) {
  return useQuery<OpRes<K>, ApiError | Error>({ ...opQuery(name, req), ...options });
}

type MOpts<K extends WriteOp> = Omit<UseMutationOptions<OpRes<K>, ApiError | Error, OpReq<K>>, "mutationFn" | "onSettled">;

/**
 * useMutation for one write op. When it settles (success or failure) the
 * ops `invalidates[name]` declares are refetched, and the mutation stays
 * pending until they are, so what the page shows next includes the write.
 */
export function useOpMutation<K extends WriteOp>(name: K, options: MOpts<K> = {}) {
  const qc = useQueryClient();
  return useMutation<OpRes<K>, ApiError | Error, OpReq<K>>({
    ...options,
    mutationFn: (req) => call(name, req),
    onSettled: () => afterWrite(qc, name),
  });
}

/** Refetches what a write op declares it changes. */
export function afterWrite(qc: QueryClient, name: WriteOp): Promise<void> {
  return invalidateOps(qc, invalidates[name]);
}

export function invalidateOps(qc: QueryClient, names: readonly OpName[]): Promise<void> {
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
