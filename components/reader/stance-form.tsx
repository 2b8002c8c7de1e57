"use client";

import { useEffect, useState, type FormEvent } from "react";
import type { ClientEntity } from "./types";

export interface StanceValues {
  holderEntityId: string;
  targetEntityId: string;
  polarity: string;
}

/**
 * Holder, target and polarity of a stance. Entities tagged in this article come first; clicking a highlighted
 * mention in the text fills the holder, then the target (the parent passes it in as `picked`).
 */
export function StanceForm({
  quote,
  entities,
  articleEntityIds,
  polarities,
  initial,
  picked,
  onSubmit,
  onCancel,
}: {
  quote: string;
  entities: ClientEntity[];
  articleEntityIds: Set<string>;
  polarities: string[];
  initial?: Partial<StanceValues>;
  /** An entity the user clicked in the text: fills the holder first, then the target. */
  picked?: { entityId: string; sequence: number } | null;
  onSubmit: (values: StanceValues) => void;
  onCancel: () => void;
}) {
  const [holder, setHolder] = useState(initial?.holderEntityId ?? "");
  const [target, setTarget] = useState(initial?.targetEntityId ?? "");
  const [polarity, setPolarity] = useState(initial?.polarity ?? "");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!picked) return;
    setHolder((current) => {
      if (current) {
        setTarget(picked.entityId);
        return current;
      }
      return picked.entityId;
    });
  }, [picked]);
  const inArticle = entities.filter((entity) => articleEntityIds.has(entity.id));
  const elsewhere = entities.filter((entity) => !articleEntityIds.has(entity.id));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!holder || !target || !polarity) return setError("Choose a holder, a target and a polarity.");
    onSubmit({ holderEntityId: holder, targetEntityId: target, polarity });
  }

  const entityOptions = (
    <>
      <option value="">Choose…</option>
      {inArticle.length > 0 && (
        <optgroup label="Tagged in this article">
          {inArticle.map((entity) => (
            <option key={entity.id} value={entity.id}>
              {entity.name} ({entity.type})
            </option>
          ))}
        </optgroup>
      )}
      <optgroup label="All entities">
        {elsewhere.map((entity) => (
          <option key={entity.id} value={entity.id}>
            {entity.name} ({entity.type})
          </option>
        ))}
      </optgroup>
    </>
  );

  return (
    <form className="stack stance-form" onSubmit={submit} aria-label="Stance" onKeyDown={(event) => event.key === "Escape" && onCancel()}>
      <p className="muted small">Evidence: “{quote.length > 120 ? `${quote.slice(0, 120)}…` : quote}”</p>
      <label>
        Holder
        <select autoFocus value={holder} onChange={(event) => setHolder(event.target.value)}>
          {entityOptions}
        </select>
      </label>
      <fieldset className="polarity">
        <legend>Polarity</legend>
        {polarities.map((name) => (
          <label key={name} className="inline">
            <input type="radio" name="polarity" value={name} checked={polarity === name} onChange={() => setPolarity(name)} />
            {name}
          </label>
        ))}
      </fieldset>
      <label>
        Target
        <select value={target} onChange={(event) => setTarget(event.target.value)}>
          {entityOptions}
        </select>
      </label>
      {error && (
        <p role="alert" className="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit">Save stance</button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
