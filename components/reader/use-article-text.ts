"use client";

import Document from "@tiptap/extension-document";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";
import type { EditorView } from "@tiptap/pm/view";
import { useEditor } from "@tiptap/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { lineStarts as computeLineStarts, positionToOffset, textToReaderDoc } from "@/lib/text/reader-doc";
import { drawEverythingUpTo, spansInWindow, windowAround, windowCovers, type TextWindow } from "@/lib/text/span-window";
import { AnnotationDecorations, syncSpans, type SpanDecoration } from "./annotation-decorations";

/** Characters per line of the reader column, roughly: only the height a paragraph is given before it is laid out. */
const estimatedCharsPerLine = 80;

/**
 * Paragraphs carry their estimated line count, so that the browser can skip laying out and painting those far
 * from the viewport (content-visibility in globals.css) and still size the page close to right.
 */
const ReaderParagraph = Paragraph.extend({
  renderHTML({ node }) {
    return ["p", { style: `--lines:${Math.max(1, Math.ceil(node.content.size / estimatedCharsPerLine))}` }, 0];
  },
});

/** The spans in the drawn window, and the selected one wherever it is. `spans` are sorted by start. */
function spansToDraw(spans: SpanDecoration[], drawn: TextWindow): SpanDecoration[] {
  const longest = spans.reduce((max, span) => Math.max(max, span.end - span.start), 0);
  const inWindow = spansInWindow(spans, drawn, longest);
  const selected = spans.filter((span) => span.isSelected && !inWindow.includes(span));
  return selected.length ? [...inWindow, ...selected] : inWindow;
}

/** The text offsets shown between the top and the bottom of the viewport, or null when the text is off screen. */
function visibleTextRange(view: EditorView, starts: number[], textLength: number): TextWindow | null {
  const box = view.dom.getBoundingClientRect();
  const top = Math.max(box.top, 0) + 1;
  const bottom = Math.min(box.bottom, window.innerHeight) - 1;
  if (bottom <= top || box.height <= 0) return null;
  const estimate = (y: number) => Math.round((textLength * (y - box.top)) / box.height);
  const at = (x: number, y: number) => {
    const found = view.posAtCoords({ left: x, top: y });
    return found ? positionToOffset(starts, found.pos) : estimate(y);
  };
  return { from: Math.max(0, at(box.left + 2, top)), to: Math.min(textLength, at(box.right - 2, bottom)) };
}

/**
 * An article's immutable text in a selectable, read-only Tiptap editor with `spans` drawn over it (sorted by
 * start). A long article draws the spans near the viewport; scrolling moves the drawn window along, outside React
 * state, so that moving it redraws a few hundred spans and re-renders nothing. The surface element (`surfaceRef`)
 * carries data-drawn-from/-to: the stretch of text drawn, once it is.
 */
export function useArticleText({
  text,
  title,
  spans,
  onClickAnnotation,
}: {
  text: string;
  title: string;
  spans: SpanDecoration[];
  /** Return true when the click is handled (no caret move). */
  onClickAnnotation: (id: string) => boolean;
}) {
  const starts = useMemo(() => computeLineStarts(text), [text]);
  const surfaceRef = useRef<HTMLDivElement>(null);
  const drawnWindowRef = useRef<TextWindow>(windowAround({ from: 0, to: 0 }, text.length));
  const spansRef = useRef(spans);
  spansRef.current = spans;
  const onClickRef = useRef(onClickAnnotation);
  onClickRef.current = onClickAnnotation;

  // Made once: the spans drawn with the text's first render (the editor reads its extensions when it is created).
  const [extensions] = useState(() => {
    const initial = spans.length > drawEverythingUpTo ? spansToDraw(spans, drawnWindowRef.current) : spans;
    return [Document, ReaderParagraph, Text, AnnotationDecorations.configure({ initial: { spans: initial, lineStarts: starts } })];
  });

  const editor = useEditor({
    extensions,
    content: textToReaderDoc(text),
    immediatelyRender: false,
    editorProps: {
      attributes: {
        role: "document",
        "aria-label": `Text of ${title}`,
        "aria-readonly": "true",
        inputmode: "none",
        spellcheck: "false",
        "data-testid": "article-text",
      },
      handleClickOn: () => false,
      handleClick: (_view, _position, event) => {
        const target = (event.target as HTMLElement).closest("[data-annotation-id]");
        const id = target?.getAttribute("data-annotation-id");
        return id ? onClickRef.current(id) : false;
      },
    },
  });

  const isWindowed = spans.length > drawEverythingUpTo;
  const redraw = useCallback(() => {
    if (!editor || editor.isDestroyed) return;
    const all = spansRef.current;
    const windowed = all.length > drawEverythingUpTo;
    const drawn = windowed ? drawnWindowRef.current : { from: 0, to: text.length };
    syncSpans(editor.view, windowed ? spansToDraw(all, drawn) : all, starts);
    surfaceRef.current?.setAttribute("data-drawn-from", String(drawn.from));
    surfaceRef.current?.setAttribute("data-drawn-to", String(drawn.to));
  }, [editor, starts, text.length]);
  useEffect(redraw, [redraw, spans]);
  // The first screen is painted without laying out the paragraphs far from it (globals.css); once it is, the rest
  // is laid out when the browser is idle, so that scrolling later does not lay out each new screen as it comes.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    let idle = 0;
    const frame = requestAnimationFrame(() => {
      idle = requestIdleCallback(() => surfaceRef.current?.setAttribute("data-laid-out", ""), { timeout: 2_000 });
    });
    return () => {
      cancelAnimationFrame(frame);
      cancelIdleCallback(idle);
    };
  }, [editor]);
  useEffect(() => {
    if (!editor || editor.isDestroyed || !isWindowed) return;
    let frame = 0;
    const follow = () => {
      frame = 0;
      const viewport = visibleTextRange(editor.view, starts, text.length);
      if (!viewport || windowCovers(drawnWindowRef.current, viewport, text.length)) return;
      drawnWindowRef.current = windowAround(viewport, text.length);
      redraw();
    };
    const onScroll = () => {
      frame ||= requestAnimationFrame(follow);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("resize", onScroll);
    follow();
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("scroll", onScroll);
      window.removeEventListener("resize", onScroll);
    };
  }, [editor, isWindowed, redraw, starts, text.length]);

  return { editor, starts, surfaceRef };
}
