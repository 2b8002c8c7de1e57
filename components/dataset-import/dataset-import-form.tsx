"use client";

import Link from "next/link";
import { useId, useRef, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { isErrorBody } from "@/lib/errors";
import { formatBytes } from "@/lib/validation/article-import";
import { datasetFormatOf, datasetImportAccept, maxDatasetFiles, maxDatasetRequestBytes, type DatasetImportResult } from "@/lib/validation/dataset-import";

function isResult(value: unknown): value is DatasetImportResult {
  return typeof value === "object" && value !== null && Array.isArray((value as DatasetImportResult).imported) && Array.isArray((value as DatasetImportResult).refused);
}

/** Imports Spanlight .jsonl exports and brat .zip collections, showing what each file became or why it was refused. */
export function DatasetImportForm({ projectId }: { projectId: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [layer, setLayer] = useState<"mine" | "gold">("mine");
  const [isBusy, setIsBusy] = useState(false);
  const [result, setResult] = useState<DatasetImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setResult(null);
    const files = Array.from(inputRef.current?.files ?? []);
    if (!files.length) return setError("Choose a .jsonl export or a brat .zip to import.");
    if (files.length > maxDatasetFiles) return setError(`You chose ${files.length} files; import at most ${maxDatasetFiles} at once.`);
    const unknown = files.filter((file) => !datasetFormatOf(file.name));
    if (unknown.length) return setError(`${unknown.map((file) => file.name).join(", ")}: only .jsonl and .zip files can be imported here.`);
    const total = files.reduce((sum, file) => sum + file.size, 0);
    if (total > maxDatasetRequestBytes) return setError(`These files add up to ${formatBytes(total)}; import at most ${formatBytes(maxDatasetRequestBytes)} at once.`);
    const form = new FormData();
    for (const file of files) form.append("file", file);
    form.append("layer", layer);
    setIsBusy(true);
    try {
      const response = await fetch(`/api/projects/${projectId}/import`, { method: "POST", body: form });
      const body: unknown = await response.json().catch(() => null);
      if (isResult(body)) {
        setResult(body);
        if (body.imported.length && inputRef.current) inputRef.current.value = "";
      } else setError(isErrorBody(body) ? body.error.message : `The server answered ${response.status}. Try again.`);
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <form className="stack card" onSubmit={onSubmit} noValidate aria-label="Import a dataset">
      <label>
        Dataset files (.jsonl or .zip, up to {formatBytes(maxDatasetRequestBytes)} in all)
        <input ref={inputRef} name="file" type="file" multiple accept={datasetImportAccept} disabled={isBusy} aria-describedby={hintId} />
      </label>
      <p id={hintId} className="muted">
        A Spanlight JSON Lines export brings its articles, entities (with aliases), stances and every layer. A brat zip holds
        <code> .txt</code> and <code>.ann</code> pairs in any folders; entity types must be this project’s. Each file is imported whole or not at all.
      </p>
      <fieldset>
        <legend>brat files outside Spanlight layer folders go into</legend>
        <label className="row">
          <input type="radio" name="layer" value="mine" checked={layer === "mine"} onChange={() => setLayer("mine")} disabled={isBusy} /> my own layer
        </label>
        <label className="row">
          <input type="radio" name="layer" value="gold" checked={layer === "gold"} onChange={() => setLayer("gold")} disabled={isBusy} /> the gold layer
        </label>
      </fieldset>
      <div className="row">
        <button type="submit" disabled={isBusy}>
          Import
        </button>
        {isBusy ? (
          <span className="muted" aria-live="polite">
            Importing…
          </span>
        ) : null}
      </div>
      <FormError message={error} />
      {result && result.imported.length > 0 ? (
        <section aria-label="Imported files" className="notice">
          <ul>
            {result.imported.map((entry) => (
              <li key={entry.file}>
                <strong>{entry.file}</strong>: {entry.articles} {entry.articles === 1 ? "article" : "articles"}, {entry.annotations}{" "}
                {entry.annotations === 1 ? "annotation" : "annotations"}, {entry.entitiesCreated} new and {entry.entitiesReused} existing entities
                {entry.layers.length ? <> (layers: {entry.layers.map((l) => `${l.from} → ${l.to}`).join("; ")})</> : null}
                {entry.articleIds[0] ? (
                  <>
                    {" "}
                    — <Link href={`/articles/${entry.articleIds[0]}`}>open the first article</Link>
                  </>
                ) : null}
                {entry.notes.length ? (
                  <ul className="muted">
                    {entry.notes.map((note, index) => (
                      <li key={index}>{note}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {result && result.refused.length > 0 ? (
        <div role="alert" className="alert" aria-label="Refused files">
          <p>Not imported ({result.refused.length}):</p>
          <ul>
            {result.refused.map((entry, index) => (
              <li key={`${entry.file}-${index}`}>{entry.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
