"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { callApi, type ApiResult } from "@/lib/api-client";
import type { ClientAnnotation } from "./types";

/*
 * Creates that have not reached the server yet. Each is kept in localStorage with its idempotency key before it
 * is sent, so a network drop, a closed tab or a reload loses nothing: the entry is sent again (now, on `online`,
 * after a back-off, or when the reader is next opened) until the server answers. A retried create carries the
 * same key, so one that did land the first time is answered with that annotation, never made twice.
 */

/** A single annotation body, or a batch `{annotations: [...]}`; every item carries its idempotencyKey. */
export type CreateBody = Record<string, unknown> & ({ idempotencyKey: string } | { annotations: ({ idempotencyKey: string } & Record<string, unknown>)[] });

export interface PendingCreate {
  /** The idempotency key of the (first) annotation: the entry's identity. */
  id: string;
  body: CreateBody;
  /** What to call it in messages, e.g. “Putin” as PER. */
  description: string;
  /** Spans to draw while it waits. */
  spans: { start: number; end: number; kind: "entity" | "stance" }[];
  attempts: number;
  lastError: string | null;
}

export type CreateOutcome = { state: "created"; annotations: ClientAnnotation[] } | { state: "pending" } | { state: "refused"; message: string };

const retryDelaysMs = [2_000, 5_000, 10_000, 30_000];

function storageKey(userId: string, articleId: string) {
  return `spanlight:pending-creates:${userId}:${articleId}`;
}

function readStored(key: string): PendingCreate[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(key) ?? "[]");
    return Array.isArray(parsed) ? (parsed as PendingCreate[]) : [];
  } catch {
    return [];
  }
}

function writeStored(key: string, entries: PendingCreate[]) {
  try {
    if (entries.length) window.localStorage.setItem(key, JSON.stringify(entries));
    else window.localStorage.removeItem(key);
  } catch {
    /* storage full or disabled: the entries still live in memory until the tab closes */
  }
}

/** Worth sending again: no answer at all, the server failing, or asking to slow down. */
function isTransient(result: Extract<ApiResult<unknown>, { ok: false }>) {
  return result.status === 0 || result.status === 429 || result.status >= 500;
}

function createdAnnotations(data: unknown): ClientAnnotation[] {
  const batch = (data as { annotations?: ClientAnnotation[] }).annotations;
  return Array.isArray(batch) ? batch : [data as ClientAnnotation];
}

/**
 * The reader's outbox for creates in `articleId` by `userId`. `send` keeps the body until the server has it and
 * says what became of it; entries found from an earlier visit are sent on mount and reported through
 * `onLateOutcome`, as are those that succeed or get refused on a later retry. `pending` lists those that have
 * failed at least once.
 */
export function usePendingCreates({
  articleId,
  userId,
  onLateOutcome,
}: {
  articleId: string;
  userId: string;
  onLateOutcome: (entry: PendingCreate, outcome: Exclude<CreateOutcome, { state: "pending" }>) => void;
}) {
  const key = storageKey(userId, articleId);
  const [pending, setPending] = useState<PendingCreate[]>([]);
  const pendingRef = useRef<PendingCreate[]>([]);
  const inFlight = useRef(new Set<string>());
  const retryTimer = useRef<number | null>(null);
  const retryAllRef = useRef<() => Promise<void>>(async () => {});
  const onLateRef = useRef(onLateOutcome);
  onLateRef.current = onLateOutcome;

  const update = useCallback(
    (change: (entries: PendingCreate[]) => PendingCreate[]) => {
      // Other tabs of the same reader may have queued entries too: merge with what is stored, by id.
      const stored = readStored(key).filter((entry) => !pendingRef.current.some((known) => known.id === entry.id));
      pendingRef.current = change([...pendingRef.current, ...stored]);
      writeStored(key, pendingRef.current);
      setPending(pendingRef.current);
    },
    [key],
  );

  const attempt = useCallback(
    async (entry: PendingCreate): Promise<CreateOutcome> => {
      if (inFlight.current.has(entry.id)) return { state: "pending" };
      inFlight.current.add(entry.id);
      try {
        const result = await callApi<unknown>(`/api/articles/${articleId}/annotations`, { json: entry.body });
        if (result.ok) {
          update((entries) => entries.filter((other) => other.id !== entry.id));
          return { state: "created", annotations: createdAnnotations(result.data) };
        }
        if (isTransient(result)) {
          update((entries) => entries.map((other) => (other.id === entry.id ? { ...other, attempts: other.attempts + 1, lastError: result.message } : other)));
          return { state: "pending" };
        }
        update((entries) => entries.filter((other) => other.id !== entry.id));
        return { state: "refused", message: result.message };
      } finally {
        inFlight.current.delete(entry.id);
      }
    },
    [articleId, update],
  );

  const scheduleRetry = useCallback(() => {
    if (retryTimer.current !== null || pendingRef.current.length === 0) return;
    const attempts = Math.min(...pendingRef.current.map((entry) => entry.attempts));
    const delay = retryDelaysMs[Math.min(Math.max(attempts - 1, 0), retryDelaysMs.length - 1)]!;
    retryTimer.current = window.setTimeout(() => {
      retryTimer.current = null;
      void retryAllRef.current();
    }, delay);
  }, []);

  const retryAll = useCallback(async () => {
    if (retryTimer.current !== null) {
      window.clearTimeout(retryTimer.current);
      retryTimer.current = null;
    }
    for (const entry of [...pendingRef.current]) {
      const outcome = await attempt(entry);
      if (outcome.state !== "pending") onLateRef.current(entry, outcome);
    }
    scheduleRetry();
  }, [attempt, scheduleRetry]);
  retryAllRef.current = retryAll;

  /** Queues and sends one create; resolves once the server has answered or the body is safely kept for later. */
  const send = useCallback(
    async (entry: Omit<PendingCreate, "attempts" | "lastError">): Promise<CreateOutcome> => {
      const queued = { ...entry, attempts: 0, lastError: null };
      update((entries) => [...entries, queued]);
      const outcome = await attempt(queued);
      if (outcome.state === "pending") scheduleRetry();
      return outcome;
    },
    [attempt, scheduleRetry, update],
  );

  useEffect(() => {
    // Left from an earlier visit: each has been tried (or was in flight when the page went away).
    pendingRef.current = readStored(key).map((entry) => ({ ...entry, attempts: Math.max(entry.attempts, 1) }));
    setPending(pendingRef.current);
    if (pendingRef.current.length) void retryAll();
    const onOnline = () => void retryAll();
    window.addEventListener("online", onOnline);
    return () => {
      window.removeEventListener("online", onOnline);
      if (retryTimer.current !== null) window.clearTimeout(retryTimer.current);
      retryTimer.current = null;
    };
  }, [key, retryAll]);

  // In flight for the first time is not yet "waiting": showing it would flash on every create.
  const waiting = useMemo(() => pending.filter((entry) => entry.attempts > 0), [pending]);
  return { pending: waiting, send, retryAll };
}
