"use client";

import Link from "next/link";
import { useRef, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { isErrorBody } from "@/lib/errors";
import {
  formatBytes,
  importAccept,
  importFormatOf,
  maxImportFileBytes,
  maxImportFiles,
  maxImportRequestBytes,
  type ImportFileError,
  type ImportResult,
} from "@/lib/validation/article-import";

type Phase = { kind: "idle" } | { kind: "uploading"; loaded: number; total: number } | { kind: "importing" };

function isImportResult(value: unknown): value is ImportResult {
  return typeof value === "object" && value !== null && Array.isArray((value as ImportResult).articles) && Array.isArray((value as ImportResult).errors);
}

/** Refusals the browser can tell before sending (the server checks the same rules again). */
function refuseLocally(file: File): ImportFileError | null {
  if (!importFormatOf(file.name)) {
    return { file: file.name, code: "unsupported_media_type", status: 415, message: `${file.name}: only ${importAccept.replaceAll(",", ", ")} files can be imported.` };
  }
  if (file.size > maxImportFileBytes) {
    return { file: file.name, code: "payload_too_large", status: 413, message: `${file.name} is ${formatBytes(file.size)}; each file may be at most ${formatBytes(maxImportFileBytes)}.` };
  }
  return null;
}

/** Sends the files with XMLHttpRequest, which (unlike fetch) reports upload progress. Resolves with the status and parsed body. */
function sendWithProgress(url: string, body: FormData, onProgress: (loaded: number, total: number) => void, onUploaded: () => void) {
  return new Promise<{ status: number; body: unknown }>((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.upload.addEventListener("load", onUploaded);
    request.addEventListener("load", () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(request.responseText);
      } catch {
        /* not JSON: reported by status below */
      }
      resolve({ status: request.status, body: parsed });
    });
    request.addEventListener("error", () => resolve({ status: 0, body: null }));
    request.addEventListener("abort", () => resolve({ status: 0, body: null }));
    request.send(body);
  });
}

/** Imports .txt, .html and .jsonl files, several at once, with an upload progress bar and a per-file report. */
export function ImportFilesForm({ projectId }: { projectId: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isBusy = phase.kind !== "idle";

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setResult(null);
    const files = Array.from(inputRef.current?.files ?? []);
    if (!files.length) return setError("Choose one or more .txt, .html or .jsonl files to import.");
    if (files.length > maxImportFiles) return setError(`You chose ${files.length} files; import at most ${maxImportFiles} at once.`);
    const refused: ImportFileError[] = [];
    const form = new FormData();
    let total = 0;
    for (const file of files) {
      const refusal = refuseLocally(file);
      if (refusal) refused.push(refusal);
      else {
        form.append("file", file);
        total += file.size;
      }
    }
    if (total > maxImportRequestBytes) return setError(`These files add up to ${formatBytes(total)}; import at most ${formatBytes(maxImportRequestBytes)} at once.`);
    if (refused.length === files.length) return setResult({ articles: [], errors: refused });

    setPhase({ kind: "uploading", loaded: 0, total });
    const response = await sendWithProgress(
      `/api/projects/${projectId}/articles`,
      form,
      (loaded, size) => setPhase({ kind: "uploading", loaded, total: size }),
      () => setPhase({ kind: "importing" }),
    );
    setPhase({ kind: "idle" });
    if (isImportResult(response.body)) {
      setResult({ articles: response.body.articles, errors: [...refused, ...response.body.errors] });
      if (response.body.articles.length && inputRef.current) inputRef.current.value = "";
      return;
    }
    if (refused.length) setResult({ articles: [], errors: refused });
    if (response.status === 0) return setError("The server could not be reached. Check your connection and try again.");
    setError(isErrorBody(response.body) ? response.body.error.message : `The server answered ${response.status}. Try again.`);
  }

  const percent = phase.kind === "uploading" && phase.total ? Math.round((phase.loaded / phase.total) * 100) : null;

  return (
    <form className="stack card" onSubmit={onSubmit} noValidate aria-label="Import files">
      <label>
        Or import files: .txt, .html or .jsonl (UTF-8, up to {formatBytes(maxImportFileBytes)} each, {maxImportFiles} at once)
        <input ref={inputRef} name="file" type="file" multiple accept={importAccept} disabled={isBusy} />
      </label>
      <p className="muted">
        A .txt file is one article, titled by its first line. From an .html page only the main text is kept, as plain paragraphs:
        no markup, scripts or images. A .jsonl file holds one <code>{'{"title", "text", "source"}'}</code> object per line and
        is imported whole or not at all.
      </p>
      <div className="row">
        <button type="submit" disabled={isBusy}>
          Import
        </button>
        {isBusy ? (
          <span className="row" aria-live="polite">
            <progress aria-label="Upload progress" max={phase.kind === "uploading" ? phase.total || 1 : undefined} value={phase.kind === "uploading" ? phase.loaded : undefined} />
            <span className="muted">{phase.kind === "uploading" ? `Uploading… ${percent ?? 0}%` : "Importing…"}</span>
          </span>
        ) : null}
      </div>
      <FormError message={error} />
      {result && result.articles.length > 0 ? (
        <section aria-label="Imported articles" className="notice">
          <p>
            Imported {result.articles.length} {result.articles.length === 1 ? "article" : "articles"}:
          </p>
          <ul>
            {result.articles.map((article) => (
              <li key={article.id}>
                <Link href={`/articles/${article.id}`}>{article.title}</Link>
                {article.originalFileName ? <span className="muted"> ({article.originalFileName})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {result && result.errors.length > 0 ? (
        <div role="alert" className="alert" aria-label="Refused files">
          <p>Not imported ({result.errors.length}):</p>
          <ul>
            {result.errors.map((entry, index) => (
              <li key={`${entry.file}-${index}`}>{entry.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
