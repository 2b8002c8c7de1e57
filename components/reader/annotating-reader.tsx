"use client";

import { EditorContent } from "@tiptap/react";
import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { DismissibleMessage, type Message } from "@/components/ui/dismissible-message";
import { assignLanes } from "@/lib/text/lanes";
import { findNameOccurrences } from "@/lib/text/name-occurrences";
import { unpackAnnotations, type PackedAnnotations } from "@/lib/reader/packed-annotations";
import { positionToOffset } from "@/lib/text/reader-doc";
import { snapSelection } from "@/lib/text/snap";
import type { SpanDecoration } from "./annotation-decorations";
import { annotationApi } from "./annotation-api";
import { AnnotationPanel, colorOfPolarity, describeAnnotation } from "./annotation-panel";
import { EntityPicker } from "./entity-picker";
import { OtherMentionsOffer } from "./other-mentions-offer";
import { usePendingCreates, type CreateOutcome, type PendingCreate } from "./pending-creates";
import { StanceForm, type StanceValues } from "./stance-form";
import type { ClientAnnotation, ClientEntity, EntityChoice, EntityTypeTag, Span } from "./types";
import { useArticleText } from "./use-article-text";

type Mode = { name: "idle" } | { name: "entity"; type: string } | { name: "stance" };
type UndoStep = { kind: "created"; id: string } | { kind: "deleted"; id: string } | { kind: "changed"; id: string; before: Record<string, unknown> };
type Suggestion = { entity: ClientEntity; spans: { start: number; end: number; quote: string }[]; sequence: number };

export interface AnnotatingReaderProps {
  article: { id: string; projectId: string; title: string; text: string };
  /** The signed-in annotator: unsent creates are kept per user and article. */
  userId: string;
  entityTypes: EntityTypeTag[];
  polarities: string[];
  initialStatus: string;
  /** My layer, loaded with the page. */
  initialLayer: PackedAnnotations;
  /** The project's entity registry, loaded with the page. */
  initialEntities: ClientEntity[];
}

/** The decorations for a list of annotations (lanes stack overlapping ones). */
function toSpanDecorations(annotations: ClientAnnotation[], selectedId: string | null, entityTypes: EntityTypeTag[]): SpanDecoration[] {
  const lanes = assignLanes(annotations);
  const colorOfType = new Map(entityTypes.map((type) => [type.name, type.color]));
  return annotations.map((annotation) => ({
    id: annotation.id,
    start: annotation.start,
    end: annotation.end,
    kind: annotation.kind,
    color: annotation.kind === "stance" ? colorOfPolarity(annotation.polarity) : (colorOfType.get(annotation.entityType ?? "") ?? "#888"),
    lane: lanes.get(annotation.id) ?? 0,
    title: `${describeAnnotation(annotation)} · by ${annotation.annotator?.name ?? "you"}`,
    isSelected: annotation.id === selectedId,
  }));
}

/** Creates still on their way to the server, drawn dashed until they arrive. */
function pendingDecorations(pending: PendingCreate[]): SpanDecoration[] {
  return pending.flatMap((entry) =>
    entry.spans.map((span, index) => ({
      id: `pending:${entry.id}:${index}`,
      ...span,
      color: "#6b7280",
      lane: 0,
      title: `Not saved yet: ${entry.description}`,
      isSelected: false,
      isPending: true,
    })),
  );
}

/** The tagging reader: select text, press a type key or S, pick the entity or the stance's parts. */
export function AnnotatingReader({ article, userId, entityTypes, polarities, initialStatus, initialLayer, initialEntities }: AnnotatingReaderProps) {
  const { text } = article;
  const [annotations, setAnnotations] = useState<ClientAnnotation[]>(() => unpackAnnotations(initialLayer, text, new Map(initialEntities.map((entity) => [entity.id, entity]))));
  const [entities, setEntities] = useState<ClientEntity[]>(initialEntities);
  const [selection, setSelection] = useState<(Span & { top: number; left: number }) | null>(null);
  const [isExact, setIsExact] = useState(false);
  const [mode, setMode] = useState<Mode>({ name: "idle" });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [suggestion, setSuggestion] = useState<Suggestion | null>(null);
  const [picked, setPicked] = useState<{ entityId: string; sequence: number } | null>(null);
  const [status, setStatus] = useState(initialStatus);
  const undoStack = useRef<UndoStep[]>([]);
  const modeRef = useRef(mode);
  modeRef.current = mode;

  const annotationsRef = useRef(annotations);
  annotationsRef.current = annotations;
  const outbox = usePendingCreates({
    articleId: article.id,
    userId,
    onLateOutcome: (entry, outcome) => {
      if (outcome.state === "created") {
        addCreated(outcome.annotations);
        setMessage({ tone: "info", text: `Saved on the server: ${entry.description}.` });
      } else fail(`Not saved: ${entry.description}. ${outcome.message}`);
    },
  });
  const spanDecorations = useMemo(() => {
    const drawn = toSpanDecorations(annotations, selectedId, entityTypes);
    return outbox.pending.length ? [...drawn, ...pendingDecorations(outbox.pending)].sort((a, b) => a.start - b.start || b.end - a.end) : drawn;
  }, [annotations, selectedId, entityTypes, outbox.pending]);
  const { editor, starts, surfaceRef: wrapperRef } = useArticleText({
    text,
    title: article.title,
    spans: spanDecorations,
    onClickAnnotation: (id: string) => {
      if (modeRef.current.name === "stance") {
        const clicked = annotationsRef.current.find((annotation) => annotation.id === id);
        if (clicked?.entityId) setPicked({ entityId: clicked.entityId, sequence: Date.now() });
        return true;
      }
      setSelectedId(id);
      return false;
    },
  });

  const readSelection = useCallback(() => {
    if (!editor || modeRef.current.name !== "idle") return;
    const { from, to } = editor.state.selection;
    if (from === to) return setSelection(null);
    const span = snapSelection(text, positionToOffset(starts, from), positionToOffset(starts, to), { exact: isExact });
    if (!span) return setSelection(null);
    const coords = editor.view.coordsAtPos(to);
    const box = wrapperRef.current?.getBoundingClientRect();
    setSelection({ ...span, top: coords.bottom - (box?.top ?? 0) + 6, left: Math.max(0, coords.left - (box?.left ?? 0) - 40) });
  }, [editor, isExact, starts, text]);

  function clearSelection() {
    setSelection(null);
    setMode({ name: "idle" });
    editor?.commands.setTextSelection(editor.state.selection.to);
  }

  function fail(text: string) {
    setMessage({ tone: "error", text });
  }

  function newKey() {
    return crypto.randomUUID();
  }

  /** Adds annotations the server has created (a retried create may answer with one already shown). */
  function addCreated(created: ClientAnnotation[]) {
    const ids = new Set(created.map((annotation) => annotation.id));
    setAnnotations((current) => [...current.filter((annotation) => !ids.has(annotation.id)), ...created].sort(byPosition));
    for (const annotation of created) undoStack.current.push({ kind: "created", id: annotation.id });
    const newEntities = created.flatMap((annotation) => (annotation.entity ? [annotation.entity] : []));
    if (newEntities.length) {
      setEntities((current) => [...current, ...newEntities.filter((entity, index) => !current.some((known) => known.id === entity.id) && newEntities.findIndex((other) => other.id === entity.id) === index)]);
    }
  }

  /** Sends a create through the outbox: the created annotations, or null when it waits for the server or was refused (said so). */
  async function sendCreate(entry: Omit<PendingCreate, "attempts" | "lastError">): Promise<ClientAnnotation[] | null> {
    const outcome: CreateOutcome = await outbox.send(entry);
    if (outcome.state === "created") {
      addCreated(outcome.annotations);
      return outcome.annotations;
    }
    if (outcome.state === "pending") {
      setMessage({ tone: "error", text: `The server could not be reached: ${entry.description} is kept in this browser and will be sent when the connection is back.` });
    } else fail(outcome.message);
    return null;
  }

  function describeChoice(choice: EntityChoice) {
    if ("entityId" in choice) return entities.find((entity) => entity.id === choice.entityId)?.name ?? "an entity";
    return `${choice.entityName} (${choice.entityType})`;
  }

  async function createEntityMention(span: Span, choice: EntityChoice) {
    const quote = text.slice(span.start, span.end);
    const idempotencyKey = newKey();
    const created = await sendCreate({
      id: idempotencyKey,
      body: { kind: "entity", ...span, quote, ...choice, idempotencyKey },
      description: `“${quote}” as ${describeChoice(choice)}`,
      spans: [{ ...span, kind: "entity" }],
    });
    const annotation = created?.[0];
    return annotation ? { created: annotation, entity: annotation.entity ?? null } : undefined;
  }

  async function onPickEntity(choice: EntityChoice) {
    if (!selection) return;
    const outcome = await createEntityMention(selection, choice);
    clearSelection();
    if (!outcome) return;
    setMessage({ tone: "info", text: `Tagged “${outcome.created.quote}” as ${describeAnnotation(outcome.created)}.` });
    if (outcome.entity) {
      const tagged = [...annotationsRef.current, outcome.created].filter((annotation) => annotation.kind === "entity");
      const spans = findNameOccurrences(text, outcome.entity, tagged);
      setSuggestion({ entity: outcome.entity, spans, sequence: Date.now() });
    }
  }

  async function tagPlacesHere(entity: ClientEntity, places: Suggestion["spans"]): Promise<number> {
    const items = places.map((place) => ({ kind: "entity", ...place, entityId: entity.id, idempotencyKey: newKey() }));
    const created = await sendCreate({
      id: items[0]!.idempotencyKey,
      body: { annotations: items },
      description: `${items.length} mention${items.length === 1 ? "" : "s"} of ${entity.name}`,
      spans: places.map(({ start, end }) => ({ start, end, kind: "entity" })),
    });
    return created?.length ?? 0;
  }

  async function onSaveStance(values: StanceValues) {
    if (!selection) return;
    const span = { start: selection.start, end: selection.end };
    const quote = text.slice(span.start, span.end);
    const idempotencyKey = newKey();
    const holder = entities.find((entity) => entity.id === values.holderEntityId)?.name ?? "?";
    const target = entities.find((entity) => entity.id === values.targetEntityId)?.name ?? "?";
    clearSelection();
    const created = await sendCreate({
      id: idempotencyKey,
      body: { kind: "stance", ...span, quote, ...values, idempotencyKey },
      description: `the stance ${holder} ${values.polarity} ${target} on “${quote}”`,
      spans: [{ ...span, kind: "stance" }],
    });
    if (created?.[0]) setMessage({ tone: "info", text: `Saved ${describeAnnotation(created[0])}.` });
  }

  async function onDelete(annotation: ClientAnnotation) {
    const result = await annotationApi.remove(annotation);
    if (!result.ok) return fail(result.status === 409 ? `${result.message} Reload to see the current version.` : result.message);
    setAnnotations((current) => current.filter((entry) => entry.id !== annotation.id));
    undoStack.current.push({ kind: "deleted", id: annotation.id });
    setSelectedId(null);
    setMessage({ tone: "info", text: `Deleted “${annotation.quote}”. Ctrl+Z brings it back.` });
  }

  async function onChange(annotation: ClientAnnotation, changes: Record<string, unknown>, before: Record<string, unknown>) {
    const result = await annotationApi.update(annotation, changes);
    if (!result.ok) return fail(result.status === 409 ? `${result.message} Someone (or another tab) changed it; reload to see it.` : result.message);
    setAnnotations((current) => current.map((entry) => (entry.id === annotation.id ? result.data : entry)));
    undoStack.current.push({ kind: "changed", id: annotation.id, before });
  }

  async function moveSelectedHere() {
    const target = annotationsRef.current.find((annotation) => annotation.id === selectedId);
    if (!target || !selection) return;
    const span = { start: selection.start, end: selection.end, quote: text.slice(selection.start, selection.end) };
    clearSelection();
    await onChange(target, span, { start: target.start, end: target.end, quote: target.quote });
    setMessage({ tone: "info", text: `Moved the annotation to “${span.quote}”.` });
  }

  async function undo() {
    const step = undoStack.current.pop();
    if (!step) return setMessage({ tone: "info", text: "Nothing to undo." });
    const current = annotationsRef.current.find((annotation) => annotation.id === step.id);
    if (step.kind === "created" && current) {
      const result = await annotationApi.remove(current);
      if (!result.ok) return fail(result.message);
      setAnnotations((list) => list.filter((entry) => entry.id !== step.id));
    } else if (step.kind === "deleted") {
      const result = await annotationApi.restore(step.id);
      if (!result.ok) return fail(result.message);
      setAnnotations((list) => [...list, result.data].sort(byPosition));
    } else if (step.kind === "changed" && current) {
      const result = await annotationApi.update(current, step.before);
      if (!result.ok) return fail(result.message);
      setAnnotations((list) => list.map((entry) => (entry.id === step.id ? result.data : entry)));
    }
    setMessage({ tone: "info", text: "Undone." });
  }

  async function toggleFinished() {
    const next = status === "FINISHED" ? "IN_PROGRESS" : "FINISHED";
    const result = await annotationApi.setStatus(article.id, next);
    if (!result.ok) return fail(result.message);
    setStatus(result.data.status);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const isInForm = (event.target as HTMLElement).closest("input, select, textarea") !== null;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !isInForm) {
      event.preventDefault();
      void undo();
      return;
    }
    if (mode.name !== "idle" || !selection || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") clearSelection();
    else if (/^[1-9]$/.test(event.key) && entityTypes[Number(event.key) - 1]) setMode({ name: "entity", type: entityTypes[Number(event.key) - 1]!.name });
    else if (event.key.toLowerCase() === "s") setMode({ name: "stance" });
    else if (event.key.toLowerCase() === "m" && selectedAnnotation) void moveSelectedHere();
    else return;
    event.preventDefault();
  }

  const articleEntityIds = useMemo(() => new Set(annotations.flatMap((annotation) => (annotation.entityId ? [annotation.entityId] : []))), [annotations]);
  const quote = selection ? text.slice(selection.start, selection.end) : "";
  const selectedAnnotation = annotations.find((annotation) => annotation.id === selectedId) ?? null;

  return (
    <div className="reader-layout">
      <div className="reader-column">
        <div className="reader-controls row">
          <label className="inline">
            <input type="checkbox" checked={isExact} onChange={(event) => setIsExact(event.target.checked)} />
            Exact characters (don’t snap to words)
          </label>
          <button type="button" className="secondary" onClick={toggleFinished} aria-pressed={status === "FINISHED"}>
            {status === "FINISHED" ? "Reopen article" : "Mark as finished"}
          </button>
          <span className="muted" role="status">
            {`${annotations.length} annotations · ${status.replace("_", " ").toLowerCase()}`}
          </span>
        </div>
        {outbox.pending.length > 0 && (
          <p className="pending-note" role="status">
            {outbox.pending.length === 1 ? "1 change is" : `${outbox.pending.length} changes are`} not saved on the server yet: kept in this browser and
            retried until the server answers{outbox.pending[0]!.lastError ? ` (last try: ${outbox.pending[0]!.lastError})` : ""}.{" "}
            <button type="button" className="secondary" onClick={() => void outbox.retryAll()}>
              Send now
            </button>
          </p>
        )}
        <DismissibleMessage message={message} onDismiss={() => setMessage(null)} />
        {suggestion && (
          <OtherMentionsOffer
            key={suggestion.sequence}
            articleId={article.id}
            entity={suggestion.entity}
            placesHere={suggestion.spans}
            onTagHere={(places) => tagPlacesHere(suggestion.entity, places)}
            onReport={setMessage}
            onClose={() => setSuggestion(null)}
          />
        )}
        <div
          ref={wrapperRef}
          className="reader-surface"
          onKeyDown={onKeyDown}
          onMouseUp={readSelection}
          onKeyUp={readSelection}
          data-text-length={text.length}
        >
          <article className="reader" aria-busy={!editor}>
            {editor ? <EditorContent editor={editor} /> : <p className="muted">Loading the text…</p>}
          </article>
          {selection && (
            <div className="tag-popover card" style={{ top: selection.top, left: selection.left }} role="dialog" aria-label="Tag selection">
              {mode.name === "idle" && (
                <div className="row" role="toolbar" aria-label="Tag as">
                  {entityTypes.slice(0, 9).map((type, index) => (
                    <button key={type.name} type="button" style={{ borderColor: type.color }} className="secondary" onClick={() => setMode({ name: "entity", type: type.name })}>
                      <kbd>{index + 1}</kbd> {type.name}
                    </button>
                  ))}
                  <button type="button" className="secondary" onClick={() => setMode({ name: "stance" })}>
                    <kbd>S</kbd> Stance
                  </button>
                  {selectedAnnotation && (
                    <button type="button" className="secondary" onClick={moveSelectedHere}>
                      <kbd>M</kbd> Move “{selectedAnnotation.quote.length > 20 ? `${selectedAnnotation.quote.slice(0, 20)}…` : selectedAnnotation.quote}” here
                    </button>
                  )}
                  <button type="button" className="link" onClick={clearSelection} aria-label="Cancel (Esc)">
                    Esc
                  </button>
                </div>
              )}
              {mode.name === "entity" && (
                <EntityPicker type={mode.type} quote={quote} entities={entities} onPick={onPickEntity} onCancel={clearSelection} />
              )}
              {mode.name === "stance" && (
                <StanceForm
                  quote={quote}
                  entities={entities}
                  articleEntityIds={articleEntityIds}
                  polarities={polarities}
                  picked={picked}
                  onSubmit={onSaveStance}
                  onCancel={clearSelection}
                />
              )}
            </div>
          )}
        </div>
      </div>
      <aside className="card" aria-label="Annotations">
        <AnnotationPanel
          entityTypes={entityTypes}
          polarities={polarities}
          annotations={annotations}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onDelete={onDelete}
          onChangeType={(annotation, type) => onChange(annotation, { entityType: type }, { entityType: annotation.entityType })}
          onChangePolarity={(annotation, polarity) => onChange(annotation, { polarity }, { polarity: annotation.polarity })}
        />
      </aside>
    </div>
  );
}

function byPosition(a: ClientAnnotation, b: ClientAnnotation) {
  return a.start - b.start || b.end - a.end;
}
