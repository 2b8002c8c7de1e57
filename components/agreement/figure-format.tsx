/*
 * Shared by the agreement page's server and client components: how a figure is written and coloured. A null figure
 * is written "n/a" with its reason next to it, never as a number.
 */

/** Two decimals, with a true minus sign; null as "n/a". */
export function formatFigure(value: number | null): string {
  if (value === null) return "n/a";
  const fixed = Math.abs(value).toFixed(2);
  return value < 0 && fixed !== "0.00" ? `−${fixed}` : fixed;
}

export function formatCount(value: number): string {
  return value.toLocaleString("en");
}

/** A figure as text, with the reason for a null one hidden visually but read out (and shown on hover). */
export function Figure({ value, reason }: { value: number | null; reason?: string }) {
  if (value !== null) return <>{formatFigure(value)}</>;
  return (
    <span className="agreement-na" title={reason}>
      n/a{reason && <span className="visually-hidden"> ({reason})</span>}
    </span>
  );
}

/**
 * The heatmap colour of a figure: 0 → 1 from a pale to a deep blue; below 0 (kappa and alpha only) pale to deep
 * orange, down to −1; null has no colour (the cell is hatched by CSS). Light cells take dark text, deep ones white.
 */
export function heatColor(value: number | null): { background: string; color: string } | undefined {
  if (value === null) return undefined;
  const v = Math.max(-1, Math.min(1, value));
  if (v >= 0) {
    const lightness = 96 - v * 66; // 96% … 30%
    // Text contrast stays at 4.5:1 or more on either side of the switch at 50%.
    return { background: `hsl(214 72% ${lightness.toFixed(1)}%)`, color: lightness < 50 ? "#ffffff" : "#1d1d1f" };
  }
  const lightness = 93 + v * 33; // 93% … 60%, always dark text
  return { background: `hsl(24 85% ${lightness.toFixed(1)}%)`, color: "#1d1d1f" };
}

/** Steps shown in the heatmap legend. */
export const legendSteps = [0, 0.2, 0.4, 0.6, 0.8, 1];
