"use client";

import { useMemo, useRef, useState } from "react";
import { FormError } from "@/components/ui/form-error";

export interface ExportFormProps {
  projectId: string;
  formats: { value: string; label: string }[];
  layers: { value: string; label: string }[];
  articles: { id: string; title: string }[];
  entityTypes: string[];
}

/**
 * The export choices (format, layer, articles, entity types) as the query of GET /api/projects/:id/export, a plain
 * download link, and a download through a stream reader that shows bytes received and the articles to come.
 */
export function ExportForm({ projectId, formats, layers, articles, entityTypes }: ExportFormProps) {
  const [format, setFormat] = useState(formats[0]?.value ?? "jsonl");
  const [layer, setLayer] = useState(layers[0]?.value ?? "gold");
  const [chosenArticles, setChosenArticles] = useState<Set<string>>(new Set());
  const [chosenTypes, setChosenTypes] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<{ bytes: number; articles: number | null; done: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  const url = useMemo(() => {
    const query = new URLSearchParams({ format, layer });
    if (chosenArticles.size) query.set("articles", [...chosenArticles].join(","));
    if (chosenTypes.size) query.set("types", [...chosenTypes].join(","));
    return `/api/projects/${projectId}/export?${query}`;
  }, [projectId, format, layer, chosenArticles, chosenTypes]);

  const toggle = (set: Set<string>, value: string, update: (next: Set<string>) => void) => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    update(next);
  };

  async function download() {
    setError(null);
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    try {
      const response = await fetch(url, { signal: controller.signal });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(body?.error?.message ?? `The export failed (${response.status}).`);
        return;
      }
      const count = Number(response.headers.get("x-spanlight-article-count"));
      const reader = response.body.getReader();
      const parts: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      setProgress({ bytes, articles: Number.isFinite(count) ? count : null, done: false });
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        bytes += value.byteLength;
        setProgress({ bytes, articles: Number.isFinite(count) ? count : null, done: false });
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "export";
      const href = URL.createObjectURL(new Blob(parts, { type: response.headers.get("content-type") ?? "application/octet-stream" }));
      const link = document.createElement("a");
      link.href = href;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      setProgress({ bytes, articles: Number.isFinite(count) ? count : null, done: true });
    } catch (caught) {
      if ((caught as Error).name !== "AbortError") setError("The download was interrupted. Try again.");
    } finally {
      if (abort.current === controller) abort.current = null;
    }
  }

  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        void download();
      }}
    >
      <p>
        <label>
          Format{" "}
          <select value={format} onChange={(event) => setFormat(event.target.value)}>
            {formats.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Layer{" "}
          <select value={layer} onChange={(event) => setLayer(event.target.value)}>
            {layers.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </p>
      <fieldset>
        <legend>Entity types (none ticked: all; stances are always included)</legend>
        {entityTypes.map((type) => (
          <label key={type} style={{ marginRight: "0.75rem" }}>
            <input type="checkbox" checked={chosenTypes.has(type)} onChange={() => toggle(chosenTypes, type, setChosenTypes)} /> {type}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Articles (none ticked: all {articles.length})</legend>
        <div style={{ maxHeight: "14rem", overflow: "auto" }}>
          {articles.map((article) => (
            <label key={article.id} style={{ display: "block" }}>
              <input type="checkbox" checked={chosenArticles.has(article.id)} onChange={() => toggle(chosenArticles, article.id, setChosenArticles)} /> {article.title}
            </label>
          ))}
        </div>
      </fieldset>
      <p className="row">
        <button type="submit" disabled={progress !== null && !progress.done}>
          Download
        </button>
        <a href={url} download>
          Direct link
        </a>
      </p>
      {progress && (
        <p role="status" aria-live="polite">
          {progress.done ? "Done: " : "Receiving… "}
          {(progress.bytes / 1024).toFixed(0)} KB{progress.articles !== null ? ` for ${progress.articles} article${progress.articles === 1 ? "" : "s"}` : ""}
          {progress.done ? "" : " "}
          {!progress.done && <progress aria-label="Export in progress" />}
        </p>
      )}
      <FormError message={error} />
    </form>
  );
}
