"use client";

import { EditorContent } from "@tiptap/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useArticleText } from "@/components/reader/use-article-text";
import type { EntityTypeTag } from "@/components/reader/types";
import { DismissibleMessage, type Message } from "@/components/ui/dismissible-message";
import { unpackReview, type PackedReview, type ReviewGroupView, type ReviewView } from "@/lib/review/packed-review";
import { offsetToPosition } from "@/lib/text/reader-doc";
import { GroupPanel } from "./group-panel";
import { reviewApi } from "./review-api";
import { annotatorColors, reviewSpans, type ColorMode } from "./review-spans";

type Filter = "open" | "disagreed" | "all";
const filterLabels: Record<Filter, string> = { open: "Disagreements to settle", disagreed: "All disagreements", all: "All groups" };
const listPreviewSize = 200;

function isOpenDisagreement(group: ReviewGroupView) {
  return group.status === "disagreed" && !group.settled;
}

/** What the view shows until the review has arrived: the text, nothing to compare yet. */
function reviewBeingLoaded(article: { id: string; title: string }): ReviewView {
  return { article: { ...article, version: 0, reviewStatus: "NEEDS_REVIEW" }, annotators: [], groups: [], gold: [], notes: [] };
}

/**
 * The review view of one article: the text once with every annotator's spans in their own lane, the comparison
 * groups (disagreements first), and the actions that settle them into the gold layer. The text is laid out while
 * the server is still comparing the layers; the review streams in after it.
 */
export function ReviewWorkspace({
  article,
  text,
  entityTypes,
  initialReview,
}: {
  article: { id: string; title: string };
  text: string;
  entityTypes: EntityTypeTag[];
  /** The packed review as JSON text (one string crosses to the client much faster than thousands of arrays), streamed. */
  initialReview: Promise<string>;
}) {
  const [loaded, setReview] = useState<ReviewView | null>(null);
  const review = loaded ?? reviewBeingLoaded(article);
  const isLoading = loaded === null;
  const articleId = article.id;
  const [currentKey, setCurrentKey] = useState<string | null>(null);
  const [mode, setMode] = useState<ColorMode>("annotator");
  const [filter, setFilter] = useState<Filter>("open");
  const [isListComplete, setIsListComplete] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);

  useEffect(() => {
    let isCurrent = true;
    initialReview.then(
      (json) => isCurrent && setReview(unpackReview(JSON.parse(json) as PackedReview, text)),
      () => isCurrent && setMessage({ tone: "error", text: "The annotators’ layers could not be loaded. Reload the page to try again." }),
    );
    return () => {
      isCurrent = false;
    };
  }, [initialReview, text]);

  const spans = useMemo(() => reviewSpans(review, { mode, currentKey, entityTypes }), [review, mode, currentKey, entityTypes]);
  const groupOfSpan = useMemo(() => {
    const found = new Map<string, string>();
    for (const group of review.groups) {
      for (const member of Object.values(group.members)) if (member) found.set(member.id, group.key);
      if (group.gold) found.set(group.gold.id, group.key);
    }
    return found;
  }, [review]);
  const { editor, starts, surfaceRef } = useArticleText({
    text,
    title: review.article.title,
    spans,
    onClickAnnotation: (id) => {
      const key = groupOfSpan.get(id);
      if (key) setCurrentKey(key);
      return Boolean(key);
    },
  });

  const current = review.groups.find((group) => group.key === currentKey) ?? null;
  const listed = review.groups.filter((group) => (filter === "open" ? isOpenDisagreement(group) : filter === "disagreed" ? group.status === "disagreed" : true));
  const openCount = review.groups.filter(isOpenDisagreement).length;
  const agreedOpen = review.groups.filter((group) => group.status === "agreed" && !group.settled).length;

  function show(group: ReviewGroupView) {
    setCurrentKey(group.key);
    if (editor && !editor.isDestroyed) editor.chain().setTextSelection(offsetToPosition(starts, group.start)).scrollIntoView().run();
  }

  /** The next (or previous) disagreement still to settle after the current group, wrapping around. */
  function jump(direction: 1 | -1) {
    if (isLoading) return setMessage({ tone: "info", text: "The annotators’ layers are still loading." });
    const open = review.groups.filter(isOpenDisagreement);
    if (open.length === 0) return setMessage({ tone: "info", text: "No disagreements left to settle." });
    const at = current ? review.groups.indexOf(current) : direction === 1 ? -1 : review.groups.length;
    const after = direction === 1 ? open.find((group) => review.groups.indexOf(group) > at) : [...open].reverse().find((group) => review.groups.indexOf(group) < at);
    show(after ?? (direction === 1 ? open[0]! : open[open.length - 1]!));
  }

  async function act(work: () => Promise<{ ok: true } | { ok: false; status: number; message: string }>, done: string) {
    setIsBusy(true);
    const result = await work();
    const reloaded = await reviewApi.load(articleId);
    setIsBusy(false);
    if (reloaded.ok) setReview(unpackReview(reloaded.data, text));
    if (!result.ok) {
      const hint = result.status === 409 ? " Someone settled it meanwhile; the view now shows the current state." : "";
      setMessage({ tone: "error", text: `${result.message}${hint}` });
    } else setMessage({ tone: "info", text: done });
  }

  function acceptVersion(group: ReviewGroupView, annotatorId: string) {
    const member = group.members[annotatorId];
    const name = review.annotators.find((annotator) => annotator.id === annotatorId)?.name ?? "the annotator";
    if (!member) return setMessage({ tone: "error", text: `${name} has no annotation in this group.` });
    void act(() => reviewApi.accept(articleId, member.id), `Accepted ${name}’s version of “${member.quote}” into gold.`);
  }

  function toggleRejected(group: ReviewGroupView) {
    const note = review.notes.find((entry) => entry.groupKey === group.key);
    const decision = group.rejected ? null : "rejected";
    void act(
      () => reviewApi.note(articleId, { groupKey: group.key, decision, ...(note ? { version: note.version } : {}) }),
      decision ? "Rejected: this group will not go into gold." : "Rejection withdrawn.",
    );
  }

  function onKeyDown(event: KeyboardEvent) {
    if ((event.target as HTMLElement).closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "n") jump(1);
    else if (key === "p") jump(-1);
    else if (current && /^[1-9]$/.test(key) && review.annotators[Number(key) - 1]) acceptVersion(current, review.annotators[Number(key) - 1]!.id);
    else if (current && key === "r") toggleRejected(current);
    else return;
    event.preventDefault();
  }

  // The keys work wherever the focus is on the page, but in a form field.
  const onKeyDownRef = useRef(onKeyDown);
  onKeyDownRef.current = onKeyDown;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDownRef.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  return (
    <div className="reader-layout">
      <div className="reader-column">
        <div className="reader-controls row">
          <label className="inline">
            Colour by{" "}
            <select value={mode} onChange={(event) => setMode(event.target.value as ColorMode)}>
              <option value="annotator">annotator</option>
              <option value="type">entity type / polarity</option>
            </select>
          </label>
          <label className="inline">
            Review status{" "}
            <select
              value={review.article.reviewStatus}
              disabled={isBusy || isLoading}
              onChange={(event) => act(() => reviewApi.setStatus(articleId, event.target.value), `Review status set to ${event.target.value.replace("_", " ").toLowerCase()}.`)}
            >
              <option value="NEEDS_REVIEW">needs review</option>
              <option value="IN_REVIEW">in review</option>
              <option value="REVIEWED">reviewed</option>
            </select>
          </label>
          <button type="button" onClick={() => jump(1)}>
            Next disagreement <kbd>N</kbd>
          </button>
          <button type="button" className="secondary" onClick={() => jump(-1)}>
            Previous <kbd>P</kbd>
          </button>
          <button
            type="button"
            className="secondary"
            disabled={isBusy || isLoading || agreedOpen === 0}
            onClick={() => act(() => reviewApi.acceptAgreed(articleId), `Accepted ${agreedOpen} agreed item${agreedOpen === 1 ? "" : "s"} into gold.`)}
          >
            Accept all agreed ({agreedOpen})
          </button>
          <span className="muted" role="status" aria-busy={isLoading}>
            {isLoading
              ? "Comparing the annotators’ layers…"
              : `${review.groups.length} groups · ${openCount} disagreement${openCount === 1 ? "" : "s"} to settle · ${review.gold.length} in gold`}
          </span>
        </div>
        <ul className="legend" aria-label="Annotators">
          {review.annotators.map((annotator, index) => (
            <li key={annotator.id}>
              <span className="swatch" style={{ background: annotatorColors[index % annotatorColors.length] }} aria-hidden="true" /> {annotator.name}{" "}
              <span className="muted small">({annotator.status.replace("_", " ").toLowerCase()}, lane {index + 1})</span> <kbd>{index + 1}</kbd>
            </li>
          ))}
          <li>
            <span className="swatch gold" aria-hidden="true" /> gold
          </li>
          <li>
            <span className="disputed-sample">wavy red</span> disagreement to settle
          </li>
        </ul>
        <DismissibleMessage message={message} onDismiss={() => setMessage(null)} />
        <div ref={surfaceRef} className="reader-surface" data-text-length={text.length}>
          <article className="reader" aria-busy={!editor}>
            {editor ? <EditorContent editor={editor} /> : <p className="muted">Loading the text…</p>}
          </article>
        </div>
      </div>
      <aside className="card stack" aria-label="Review">
        {current ? (
          <GroupPanel
            key={current.key}
            group={current}
            review={review}
            isBusy={isBusy}
            onAccept={(annotatorId) => acceptVersion(current, annotatorId)}
            onToggleRejected={() => toggleRejected(current)}
            onRemoveGold={(gold) => act(() => reviewApi.removeGold(gold), `Removed “${gold.quote}” from gold.`)}
            onSaveNote={(note) => {
              const existing = review.notes.find((entry) => entry.groupKey === current.key);
              return act(() => reviewApi.note(articleId, { groupKey: current.key, note, ...(existing ? { version: existing.version } : {}) }), "Note saved.");
            }}
          />
        ) : (
          <p className="muted">
            Press <kbd>N</kbd> for the first disagreement, or click a highlight. <kbd>1</kbd>–<kbd>9</kbd> accept that annotator’s version into gold,{" "}
            <kbd>R</kbd> rejects the group.
          </p>
        )}
        <section aria-labelledby="groups-heading">
          <h2 id="groups-heading" className="small-heading">
            <label>
              Show{" "}
              <select value={filter} onChange={(event) => setFilter(event.target.value as Filter)}>
                {(Object.keys(filterLabels) as Filter[]).map((value) => (
                  <option key={value} value={value}>
                    {filterLabels[value]}
                  </option>
                ))}
              </select>
            </label>{" "}
            ({listed.length})
          </h2>
          <ol className="annotation-list">
            {(isListComplete ? listed : listed.slice(0, listPreviewSize)).map((group) => (
              <li key={group.key}>
                <button type="button" className={`link${group.key === currentKey ? " current" : ""}`} aria-pressed={group.key === currentKey} onClick={() => show(group)}>
                  “{text.slice(group.start, Math.min(group.end, group.start + 40))}
                  {group.end - group.start > 40 ? "…" : ""}”
                </button>{" "}
                <span className="muted small">
                  {group.kind} · {group.status === "agreed" ? "agreed" : group.differences.join(", ")}
                  {group.gold ? " · in gold" : group.rejected ? " · rejected" : ""}
                </span>
              </li>
            ))}
          </ol>
          {!isListComplete && listed.length > listPreviewSize && (
            <button type="button" className="link" onClick={() => setIsListComplete(true)}>
              Show all {listed.length}
            </button>
          )}
        </section>
      </aside>
    </div>
  );
}
