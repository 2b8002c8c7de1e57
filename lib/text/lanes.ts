/**
 * Assigns each span a lane (0, 1, 2, …) so that spans sharing a lane never overlap: overlapping and nested
 * spans are drawn as stacked underlines, one lane each. Greedy by start, longest first; lanes are reused.
 */
export function assignLanes<T extends { id: string; start: number; end: number }>(spans: T[]): Map<string, number> {
  const ordered = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const laneEnds: number[] = [];
  const lanes = new Map<string, number>();
  for (const span of ordered) {
    let lane = laneEnds.findIndex((end) => end <= span.start);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = span.end;
    lanes.set(span.id, lane);
  }
  return lanes;
}
