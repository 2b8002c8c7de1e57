"use client";

import { useState } from "react";
import type { ClientAnnotation, EntityTypeTag } from "./types";

const listPreviewSize = 300;
const polarityColor: Record<string, string> = { FAVOR: "#1b7f3b", AGAINST: "#b3261e", NEUTRAL: "#6b6b6b" };
export function colorOfPolarity(polarity: string | null): string {
  return (polarity && polarityColor[polarity]) || "#6b4fbb";
}

export function describeAnnotation(annotation: ClientAnnotation): string {
  if (annotation.kind === "stance") {
    return `Stance: ${annotation.holder?.name ?? "?"} ${annotation.polarity ?? "?"} ${annotation.target?.name ?? "?"}`;
  }
  return `${annotation.entityType ?? "?"}: ${annotation.entity?.name ?? "(no entity)"}`;
}

/** Legend, the list of my annotations (a keyboard route to every span) and the selected one's actions. */
export function AnnotationPanel({
  entityTypes,
  polarities,
  annotations,
  selectedId,
  onSelect,
  onDelete,
  onChangeType,
  onChangePolarity,
}: {
  entityTypes: EntityTypeTag[];
  polarities: string[];
  annotations: ClientAnnotation[];
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  onDelete: (annotation: ClientAnnotation) => void;
  onChangeType: (annotation: ClientAnnotation, type: string) => void;
  onChangePolarity: (annotation: ClientAnnotation, polarity: string) => void;
}) {
  const [isListComplete, setIsListComplete] = useState(false);
  const selected = annotations.find((annotation) => annotation.id === selectedId) ?? null;
  // Thousands of list items cost seconds of layout on a long article: show the first ones, the rest on request.
  const listed = isListComplete ? annotations : annotations.slice(0, listPreviewSize);
  return (
    <div className="stack">
      <section aria-labelledby="legend-heading">
        <h2 id="legend-heading" className="small-heading">
          Legend
        </h2>
        <ul className="legend">
          {entityTypes.map((type, index) => (
            <li key={type.name}>
              <span className="swatch" style={{ background: type.color }} aria-hidden="true" /> {type.name}
              {index < 9 && <kbd>{index + 1}</kbd>}
            </li>
          ))}
          <li>
            <span className="swatch stance" aria-hidden="true" /> Stance <kbd>S</kbd>
          </li>
        </ul>
        <p className="muted small">
          Select text, then press a key. To change a span’s boundaries, select the annotation, select the new text and press M. Ctrl+Z
          undoes your last change.
        </p>
      </section>

      {selected && (
        <section aria-labelledby="selected-heading" className="card selected-annotation">
          <h2 id="selected-heading" className="small-heading">
            Selected annotation
          </h2>
          <p>
            “{selected.quote}” <span className="muted">[{selected.start}, {selected.end})</span>
          </p>
          <p>{describeAnnotation(selected)}</p>
          {selected.kind === "entity" ? (
            <label>
              Entity type
              <select value={selected.entityType ?? ""} onChange={(event) => onChangeType(selected, event.target.value)}>
                {entityTypes.map((type) => (
                  <option key={type.name} value={type.name}>
                    {type.name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label>
              Polarity
              <select value={selected.polarity ?? ""} onChange={(event) => onChangePolarity(selected, event.target.value)}>
                {polarities.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <div className="row">
            <button type="button" className="secondary" onClick={() => onDelete(selected)}>
              Delete annotation
            </button>
            <a href={`/annotations/${selected.id}/history`}>History</a>
            <button type="button" className="link" onClick={() => onSelect(null)}>
              Close
            </button>
          </div>
        </section>
      )}

      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading" className="small-heading">
          My annotations ({annotations.length})
        </h2>
        <ol className="annotation-list">
          {listed.map((annotation) => (
            <li key={annotation.id}>
              <button
                type="button"
                className={`link${annotation.id === selectedId ? " current" : ""}`}
                aria-pressed={annotation.id === selectedId}
                onClick={() => onSelect(annotation.id)}
              >
                “{annotation.quote.length > 40 ? `${annotation.quote.slice(0, 40)}…` : annotation.quote}”
              </button>{" "}
              <span className="muted small">{describeAnnotation(annotation)}</span>
            </li>
          ))}
        </ol>
        {listed.length < annotations.length && (
          <button type="button" className="link" onClick={() => setIsListComplete(true)}>
            Show all {annotations.length} annotations
          </button>
        )}
      </section>
    </div>
  );
}
