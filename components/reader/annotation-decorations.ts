import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
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

const annotationsKey = new PluginKey<DecorationSet>("spanlight-annotations");

function buildDecorations(state: EditorState, spans: SpanDecoration[], lineStarts: number[]): DecorationSet {
  return DecorationSet.create(
    state.doc,
    spans.map((span) =>
      Decoration.inline(
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
      ),
    ),
  );
}

/**
 * Annotations as decorations over the immutable text (they overlap, belong to different people and never edit
 * the article), and a selectable but unchangeable text: the caret and Shift+arrows work, typing, pasting and
 * dropping do nothing.
 */
export const AnnotationDecorations = Extension.create({
  name: "spanlightAnnotations",
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: annotationsKey,
        state: {
          init: () => DecorationSet.empty,
          apply: (tr, previous) => (tr.getMeta(annotationsKey) as DecorationSet | undefined) ?? previous.map(tr.mapping, tr.doc),
        },
        props: { decorations: (state) => annotationsKey.getState(state) },
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

/** Replaces the drawn annotations. */
export function showSpans(view: import("@tiptap/pm/view").EditorView, spans: SpanDecoration[], lineStarts: number[]) {
  view.dispatch(view.state.tr.setMeta(annotationsKey, buildDecorations(view.state, spans, lineStarts)).setMeta("addToHistory", false));
}
