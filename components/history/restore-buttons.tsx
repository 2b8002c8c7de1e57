"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { DismissibleMessage, type Message } from "@/components/ui/dismissible-message";
import { callApi } from "@/lib/api-client";

/** One POST, then the page reloads its server data; the outcome is shown beside the button. */
function useRestore() {
  const router = useRouter();
  const [message, setMessage] = useState<Message | null>(null);
  const [isPending, setIsPending] = useState(false);
  async function run<T>(path: string, json: unknown, describeSuccess: (data: T) => string) {
    setIsPending(true);
    setMessage(null);
    const result = await callApi<T>(path, { method: "POST", json });
    setIsPending(false);
    if (!result.ok) return setMessage({ tone: "error", text: result.message });
    setMessage({ tone: "info", text: describeSuccess(result.data) });
    router.refresh();
  }
  return { message, dismiss: () => setMessage(null), isPending, run };
}

/**
 * Restores one deleted annotation. `version` is the version the page read, so a restore after someone else's
 * change is refused (409) rather than applied blindly. `description` names the annotation for screen readers.
 */
export function RestoreAnnotationButton({ annotationId, version, description }: { annotationId: string; version: number; description: string }) {
  const { message, dismiss, isPending, run } = useRestore();
  return (
    <span className="stack">
      <span>
        <button
          type="button"
          className="secondary"
          disabled={isPending}
          aria-label={`Restore ${description}`}
          onClick={() => run(`/api/annotations/${annotationId}/restore?version=${version}`, {}, () => `Restored ${description}.`)}
        >
          Restore
        </button>
      </span>
      <DismissibleMessage message={message} onDismiss={dismiss} />
    </span>
  );
}

/** Restores every deleted annotation of one annotator's layer on the article, in one transaction. */
export function RestoreLayerButton({ articleId, annotatorId, layerName, count }: { articleId: string; annotatorId: string; layerName: string; count: number }) {
  const { message, dismiss, isPending, run } = useRestore();
  return (
    <div className="stack">
      <div>
        <button
          type="button"
          disabled={isPending}
          aria-label={`Restore all ${count} deleted annotations of ${layerName}`}
          onClick={() =>
            run<{ restored: number }>(`/api/articles/${articleId}/layers/restore`, { annotatorId }, ({ restored }) =>
              restored === 1 ? `Restored 1 annotation of ${layerName}.` : `Restored ${restored} annotations of ${layerName}.`,
            )
          }
        >
          Restore all ({count})
        </button>
      </div>
      <DismissibleMessage message={message} onDismiss={dismiss} />
    </div>
  );
}
