/*
 * The reader's ProseMirror document for a canonical text: one paragraph per line ("\n"-separated), empty lines
 * as empty paragraphs, so `doc.textBetween(0, doc.content.size, "\n")` gives the canonical text back exactly.
 * Mapping offsets: a text offset in line i (0-based) sits at document position offset + i + 1 (each paragraph
 * adds an opening token; the "\n" it replaces is its closing one). If the document shape changes, the two
 * mapping functions below must change with it.
 */

export interface ReaderDocJSON {
  type: "doc";
  content: { type: "paragraph"; content?: { type: "text"; text: string }[] }[];
}

export function textToReaderDoc(text: string): ReaderDocJSON {
  return {
    type: "doc",
    content: text.split("\n").map((line) => (line ? { type: "paragraph", content: [{ type: "text", text: line }] } : { type: "paragraph" })),
  };
}

/** Start offsets of every line, for the mapping functions. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function lineIndexOf(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Text offset (UTF-16) → ProseMirror position. An offset at a line break maps to the end of that line. */
export function offsetToPosition(starts: number[], offset: number): number {
  return offset + lineIndexOf(starts, offset) + 1;
}

/** ProseMirror position → text offset (UTF-16); positions between paragraphs map to the line break. */
export function positionToOffset(starts: number[], position: number): number {
  // Position p in line i satisfies p = offset + i + 1 with starts[i] <= offset; find the last such line.
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! + middle + 1 <= position) low = middle;
    else high = middle - 1;
  }
  return Math.max(0, position - low - 1);
}
