"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
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

  function onUpload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get("file");
    if (!(file instanceof File) || !file.name) return setError("Choose a .txt file to upload.");
    void submit(callApi(`/api/projects/${projectId}/articles`, { body: form }));
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
      <form className="row card" onSubmit={onUpload} noValidate aria-label="Upload a text file">
        <label>
          Or upload a .txt file (UTF-8, up to 5 MB)
          <input name="file" type="file" accept=".txt,text/plain" />
        </label>
        <button type="submit" disabled={isPending}>
          Upload
        </button>
      </form>
      <FormError message={error} />
    </div>
  );
}
