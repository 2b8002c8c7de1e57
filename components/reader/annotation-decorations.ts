import { Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { DecorationSet, type Decoration, type EditorView } from "@tiptap/pm/view";
import { offsetToPosition } from "@/lib/text/reader-doc";
import { createDecorationSet, toInlineDecoration, type InlineDecorationParts } from "./decoration-tree";

/** What the reader draws for one annotation; keyed by annotation id, never by position. */
export interface SpanDecoration {
  id: string;
  start: number;
  end: number;
  /** "gold": a settled gold item in the review view, drawn as a tinted background. */
  kind: "entity" | "stance" | "gold";
  /** Marks a span whose annotators disagree (review view). */
  isDisputed?: boolean;
  /** A create the server has not confirmed yet (tagging reader). */
  isPending?: boolean;
  color: string;
  lane: number;
  title: string;
  isSelected: boolean;
}

interface DrawnSpans {
  set: DecorationSet;
  /** Per annotation id: what was drawn (as a comparable key) and its decoration, so a change redraws only it. */
  byId: Map<string, DrawnSpan>;
}

interface DrawnSpan {
  key: string;
  parts: InlineDecorationParts;
  decoration: Decoration;
}

/** Beyond this many changed spans, building the set anew is cheaper than ProseMirror's add and remove. */
const rebuildAbove = 16;

const annotationsKey = new PluginKey<DrawnSpans>("spanlight-annotations");

function keyOf(span: SpanDecoration): string {
  return `${span.start}:${span.end}:${span.kind}:${span.color}:${span.lane}:${span.isSelected ? 1 : 0}:${span.isDisputed ? 1 : 0}:${span.isPending ? 1 : 0}:${span.title}`;
}

function toParts(span: SpanDecoration, lineStarts: number[]): InlineDecorationParts {
  return {
    from: offsetToPosition(lineStarts, span.start),
    to: offsetToPosition(lineStarts, span.end),
    attrs: {
      // Its own element per annotation: without nodeName, ProseMirror merges overlapping decorations into one
      // span (one underline, one id) where they overlap.
      nodeName: "span",
      class: `ann ann-${span.kind}${span.isSelected ? " ann-selected" : ""}${span.isDisputed ? " ann-disputed" : ""}${span.isPending ? " ann-pending" : ""}`,
      style: `--ann-color: ${span.color}; --ann-lane: ${span.lane}`,
      title: span.title,
      "data-annotation-id": span.id,
    },
    spec: { id: span.id },
  };
}

function drawn(span: SpanDecoration, lineStarts: number[]): DrawnSpan {
  const parts = toParts(span, lineStarts);
  return { key: keyOf(span), parts, decoration: toInlineDecoration(parts) };
}

function drawAll(doc: ProseMirrorNode, spans: SpanDecoration[], lineStarts: number[]): DrawnSpans {
  const byId = new Map(spans.map((span) => [span.id, drawn(span, lineStarts)]));
  return { set: createDecorationSet(doc, [...byId.values()].map((entry) => entry.parts)), byId };
}

export interface AnnotationDecorationsOptions {
  /** The spans drawn with the text's first render, so a long article is laid out once, not twice. */
  initial: { spans: SpanDecoration[]; lineStarts: number[] } | null;
}

/**
 * Annotations as decorations over the immutable text (they overlap, belong to different people and never edit
 * the article), and a selectable but unchangeable text: the caret and Shift+arrows work, typing, pasting and
 * dropping do nothing.
 */
export const AnnotationDecorations = Extension.create<AnnotationDecorationsOptions>({
  name: "spanlightAnnotations",
  addOptions: () => ({ initial: null }),
  addProseMirrorPlugins() {
    const { initial } = this.options;
    return [
      new Plugin<DrawnSpans>({
        key: annotationsKey,
        state: {
          init: (_config, state) => (initial ? drawAll(state.doc, initial.spans, initial.lineStarts) : { set: DecorationSet.empty, byId: new Map() }),
          // The document never changes (see filterTransaction), so the drawn spans only change through syncSpans.
          apply: (tr, previous) => (tr.getMeta(annotationsKey) as DrawnSpans | undefined) ?? previous,
        },
        props: { decorations: (state) => annotationsKey.getState(state)?.set },
      }),
      new Plugin({
        filterTransaction: (tr) => !tr.docChanged,
        props: {
          handleDOMEvents: {
            beforeinput: (_view, event) => {
              event.preventDefault();
              return true;
            },
          },
          handlePaste: () => true,
          handleDrop: () => true,
          handleTextInput: () => true,
        },
      }),
    ];
  },
});

/** Brings the drawn annotations in line with `spans`, redrawing only those added, removed or changed. */
export function syncSpans(view: EditorView, spans: SpanDecoration[], lineStarts: number[]) {
  const current = annotationsKey.getState(view.state);
  if (!current) return;
  const byId = new Map<string, DrawnSpan>();
  const removed: Decoration[] = [];
  const added: Decoration[] = [];
  for (const span of spans) {
    const previous = current.byId.get(span.id);
    if (previous?.key === keyOf(span)) {
      byId.set(span.id, previous);
      continue;
    }
    if (previous) removed.push(previous.decoration);
    const next = drawn(span, lineStarts);
    added.push(next.decoration);
    byId.set(span.id, next);
  }
  for (const [id, entry] of current.byId) if (!byId.has(id)) removed.push(entry.decoration);
  if (removed.length === 0 && added.length === 0) return;
  const set =
    removed.length + added.length > rebuildAbove
      ? createDecorationSet(view.state.doc, [...byId.values()].map((entry) => entry.parts))
      : current.set.remove(removed).add(view.state.doc, added);
  view.dispatch(view.state.tr.setMeta(annotationsKey, { set, byId } satisfies DrawnSpans).setMeta("addToHistory", false));
}
