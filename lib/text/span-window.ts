/*
 * The reader draws every annotation of a short article, and of a long one only those near the viewport: drawing
 * 10,000 highlights over a 1,000,000-character text costs seconds, drawing the few hundred on screen does not.
 */

/** Up to this many annotations, all are drawn. */
export const drawEverythingUpTo = 2000;
/** Text drawn beyond each edge of the viewport, in UTF-16 code units (a few screens). */
export const windowMargin = 12_000;

export interface TextWindow {
  from: number;
  to: number;
}

/** The spans overlapping [from, to), in their order; `spans` must be sorted by start. */
export function spansInWindow<Span extends { start: number; end: number }>(spans: Span[], window: TextWindow, longestSpan: number): Span[] {
  let low = 0;
  let high = spans.length;
  const earliestStart = window.from - longestSpan;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (spans[middle]!.start < earliestStart) low = middle + 1;
    else high = middle;
  }
  const found: Span[] = [];
  for (let index = low; index < spans.length && spans[index]!.start < window.to; index++) {
    if (spans[index]!.end > window.from) found.push(spans[index]!);
  }
  return found;
}

/** The window to draw for a viewport showing [from, to): the viewport plus a margin on each side. */
export function windowAround(viewport: TextWindow, textLength: number): TextWindow {
  return { from: Math.max(0, viewport.from - windowMargin), to: Math.min(textLength, viewport.to + windowMargin) };
}

/** Whether the drawn window still covers the viewport with half a margin to spare on each side not at an end. */
export function windowCovers(drawn: TextWindow, viewport: TextWindow, textLength: number): boolean {
  const spare = windowMargin / 2;
  return (drawn.from === 0 || drawn.from <= viewport.from - spare) && (drawn.to === textLength || drawn.to >= viewport.to + spare);
}
