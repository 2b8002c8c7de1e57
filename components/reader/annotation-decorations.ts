import { Extension } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, PluginKey } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import { offsetToPosition } from "@/lib/text/reader-doc";

/** What the reader draws for one annotation; keyed by annotation id, never by position. */
export interface SpanDecoration {
  id: string;
  start: number;
  end: number;
  kind: "entity" | "stance";
  color: string;
  lane: number;
  title: string;
  isSelected: boolean;
}

interface DrawnSpans {
  set: DecorationSet;
  /** Per annotation id: what was drawn (as a comparable key) and its decoration, so a change redraws only it. */
  byId: Map<string, { key: string; decoration: Decoration }>;
}

const annotationsKey = new PluginKey<DrawnSpans>("spanlight-annotations");

function keyOf(span: SpanDecoration): string {
  return `${span.start}:${span.end}:${span.kind}:${span.color}:${span.lane}:${span.isSelected ? 1 : 0}:${span.title}`;
}

function toDecoration(span: SpanDecoration, lineStarts: number[]): Decoration {
  return Decoration.inline(
    offsetToPosition(lineStarts, span.start),
    offsetToPosition(lineStarts, span.end),
    {
      // Its own element per annotation: without nodeName, ProseMirror merges overlapping decorations into one
      // span (one underline, one id) where they overlap.
      nodeName: "span",
      class: `ann ann-${span.kind}${span.isSelected ? " ann-selected" : ""}`,
      style: `--ann-color: ${span.color}; --ann-lane: ${span.lane}`,
      title: span.title,
      "data-annotation-id": span.id,
    },
    { id: span.id },
  );
}

function drawAll(doc: ProseMirrorNode, spans: SpanDecoration[], lineStarts: number[]): DrawnSpans {
  const byId = new Map<string, { key: string; decoration: Decoration }>();
  for (const span of spans) byId.set(span.id, { key: keyOf(span), decoration: toDecoration(span, lineStarts) });
  return { set: DecorationSet.create(doc, [...byId.values()].map((entry) => entry.decoration)), byId };
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
  const drawn = annotationsKey.getState(view.state);
  if (!drawn) return;
  const byId = new Map<string, { key: string; decoration: Decoration }>();
  const removed: Decoration[] = [];
  const added: Decoration[] = [];
  for (const span of spans) {
    const key = keyOf(span);
    const previous = drawn.byId.get(span.id);
    if (previous?.key === key) {
      byId.set(span.id, previous);
      continue;
    }
    if (previous) removed.push(previous.decoration);
    const decoration = toDecoration(span, lineStarts);
    added.push(decoration);
    byId.set(span.id, { key, decoration });
  }
  for (const [id, entry] of drawn.byId) if (!byId.has(id)) removed.push(entry.decoration);
  if (removed.length === 0 && added.length === 0) return;
  const set = drawn.set.remove(removed).add(view.state.doc, added);
  view.dispatch(view.state.tr.setMeta(annotationsKey, { set, byId } satisfies DrawnSpans).setMeta("addToHistory", false));
}
