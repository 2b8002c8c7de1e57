"use client";

import { useState } from "react";
import { describeAnnotation } from "@/components/reader/annotation-panel";
import type { GoldView, ReviewGroupView, ReviewView } from "@/lib/review/packed-review";

const differenceLabels: Record<string, string> = {
  missing: "missing in a layer",
  boundary: "boundaries differ",
  type: "type differs",
  entity: "different canonical entity",
  polarity: "polarity differs",
  holder_target: "holder or target differs",
};

/** One comparison group: each annotator's version, what differs, its gold item, the reviewer's note and decision. */
export function GroupPanel({
  group,
  review,
  isBusy,
  onAccept,
  onToggleRejected,
  onRemoveGold,
  onSaveNote,
}: {
  group: ReviewGroupView;
  review: ReviewView;
  isBusy: boolean;
  onAccept: (annotatorId: string) => void;
  onToggleRejected: () => void;
  onRemoveGold: (gold: GoldView) => void;
  onSaveNote: (note: string) => void;
}) {
  const note = review.notes.find((entry) => entry.groupKey === group.key) ?? null;
  const [draft, setDraft] = useState(note?.note ?? "");
  return (
    <section aria-labelledby="group-heading" className="stack">
      <h2 id="group-heading" className="small-heading">
        {group.kind === "stance" ? "Stance" : "Mention"} group:{" "}
        {group.status === "agreed" ? "all annotators agree" : group.differences.map((difference) => differenceLabels[difference] ?? difference).join("; ")}
      </h2>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Annotator</th>
            <th scope="col">Their version</th>
            <th scope="col">
              <span className="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {review.annotators.map((annotator, index) => {
            const member = group.members[annotator.id] ?? null;
            return (
              <tr key={annotator.id}>
                <th scope="row">
                  {annotator.name} <kbd>{index + 1}</kbd>
                </th>
                <td>
                  {member ? (
                    <>
                      “{member.quote}” <span className="muted small">[{member.start}, {member.end})</span>
                      <br />
                      {describeAnnotation(member)}
                    </>
                  ) : (
                    <span className="muted">no annotation</span>
                  )}
                </td>
                <td>
                  {member && (
                    <button type="button" className="secondary" disabled={isBusy} onClick={() => onAccept(annotator.id)}>
                      Accept {annotator.name}’s version
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {group.gold ? (
        <p>
          In gold: “{group.gold.quote}”, {describeAnnotation(group.gold)}.{" "}
          <button type="button" className="link" disabled={isBusy} onClick={() => onRemoveGold(group.gold!)}>
            Remove from gold
          </button>
        </p>
      ) : (
        <p className="muted">Not in gold yet.</p>
      )}
      <p>
        <button type="button" className="secondary" disabled={isBusy} onClick={onToggleRejected} aria-pressed={group.rejected}>
          {group.rejected ? "Withdraw rejection" : "Reject"} <kbd>R</kbd>
        </button>
      </p>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          onSaveNote(draft);
        }}
      >
        <label>
          Reviewer note
          <textarea value={draft} onChange={(event) => setDraft(event.target.value)} rows={3} maxLength={5000} />
        </label>
        <button type="submit" className="secondary" disabled={isBusy}>
          Save note
        </button>
        {note?.author && <span className="muted small">Last by {note.author.name}</span>}
      </form>
    </section>
  );
}
