"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ImportFilesForm } from "@/components/articles/import-files-form";
import { FormError } from "@/components/ui/form-error";
import { callApi } from "@/lib/api-client";
import { createArticleSchema } from "@/lib/validation/article";

export function AddArticleForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function submit(request: Promise<Awaited<ReturnType<typeof callApi<{ id: string }>>>>) {
    setIsPending(true);
    const result = await request;
    setIsPending(false);
    if (!result.ok) return setError(result.message);
    router.push(`/articles/${result.data.id}`);
  }

  function onPaste(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = createArticleSchema.safeParse({ title: form.get("title"), text: form.get("text"), source: form.get("source") || null });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "Check the form.");
    void submit(callApi(`/api/projects/${projectId}/articles`, { json: parsed.data }));
  }

  return (
    <div className="stack">
      <form className="stack card" onSubmit={onPaste} noValidate aria-label="Paste an article">
        <label>
          Title
          <input name="title" required maxLength={1000} />
        </label>
        <label>
          Source (optional: outlet or URL)
          <input name="source" maxLength={2000} />
        </label>
        <label>
          Text
          <textarea name="text" required spellCheck={false} />
        </label>
        <p className="muted">
          The text is stored exactly as pasted, except that Windows and old Mac line breaks become plain line breaks and a leading
          byte-order mark is dropped.
        </p>
        <button type="submit" disabled={isPending}>
          Add article
        </button>
      </form>
      <FormError message={error} />
      <ImportFilesForm projectId={projectId} />
    </div>
  );
}
