"use client";

import { useSyncExternalStore, type ReactNode } from "react";

const subscribe = () => () => {};

/**
 * Renders `children` in the browser only, `fallback` on the server and during hydration. For components whose
 * first render is heavy work that only the browser can use (unpacking thousands of annotations for an editor that
 * is created client-side anyway): the server skips it and the page's HTML is sent sooner.
 */
export function ClientOnly({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const isClient = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return isClient ? children : fallback;
}
