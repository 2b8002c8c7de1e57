"use client";

import { useId, useState } from "react";
import { formatCount, formatFigure, heatColor, legendSteps } from "./figure-format";

export interface HeatmapPair {
  a: string;
  b: string;
  /** Articles both annotated. */
  articles: number;
  /** Disagreements between the two, summed over those articles. */
  disagreements: number;
  tokenKappa: number | null;
  tokenKappaReason?: string;
  spanF1: number | null;
  spanF1Reason?: string;
  spanF1Overlap: number | null;
  stanceF1: number | null;
  stanceF1Reason?: string;
  /** id of the listing of the articles the pair shares, on the same page */
  anchor: string;
}

const figures = {
  tokenKappa: { label: "Token kappa (Cohen)", short: "token kappa", canBeNegative: true },
  spanF1: { label: "Span F1, exact match", short: "exact span F1", canBeNegative: false },
  spanF1Overlap: { label: "Span F1, overlap match", short: "overlap span F1", canBeNegative: false },
  stanceF1: { label: "Stance F1", short: "stance F1", canBeNegative: false },
} as const;
type FigureKey = keyof typeof figures;

function valueOf(pair: HeatmapPair, figure: FigureKey): { value: number | null; reason?: string } {
  switch (figure) {
    case "tokenKappa":
      return { value: pair.tokenKappa, reason: pair.tokenKappaReason };
    case "spanF1":
      return { value: pair.spanF1, reason: pair.spanF1Reason };
    case "spanF1Overlap":
      return { value: pair.spanF1Overlap, reason: pair.spanF1Reason };
    case "stanceF1":
      return { value: pair.stanceF1, reason: pair.stanceF1Reason };
  }
}

/**
 * Annotator × annotator grid of one pairwise figure, chosen with a select; each cell holds the value as text,
 * coloured on a scale the legend explains, and links to the listing of the articles the two share.
 */
export function AgreementHeatmap({ annotators, pairs }: { annotators: { id: string; name: string }[]; pairs: HeatmapPair[] }) {
  const [figure, setFigure] = useState<FigureKey>("tokenKappa");
  const captionId = useId();
  const selectId = useId();
  const byKey = new Map(pairs.flatMap((pair) => [[`${pair.a} ${pair.b}`, pair] as const, [`${pair.b} ${pair.a}`, pair] as const]));
  const { label, short, canBeNegative } = figures[figure];

  return (
    <div className="stack">
      <div className="row">
        <label htmlFor={selectId}>
          Figure shown in the grid
          <select id={selectId} value={figure} onChange={(event) => setFigure(event.target.value as FigureKey)}>
            {(Object.keys(figures) as FigureKey[]).map((key) => (
              <option key={key} value={key}>
                {figures[key].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="agreement-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="agreement-heatmap">
          <caption id={captionId}>
            {label} for every pair of annotators. Select a value to list the articles the two share, most disagreements first.
          </caption>
          <thead>
            <tr>
              <td />
              {annotators.map((annotator) => (
                <th key={annotator.id} scope="col">
                  {annotator.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {annotators.map((row) => (
              <tr key={row.id}>
                <th scope="row">{row.name}</th>
                {annotators.map((column) => {
                  if (row.id === column.id) {
                    return (
                      <td key={column.id} className="agreement-self">
                        <span aria-hidden="true">—</span>
                        <span className="visually-hidden">same annotator</span>
                      </td>
                    );
                  }
                  const pair = byKey.get(`${row.id} ${column.id}`);
                  if (!pair) return <td key={column.id} className="agreement-na-cell">n/a</td>;
                  const { value, reason } = valueOf(pair, figure);
                  const text = formatFigure(value);
                  return (
                    <td key={column.id} className={value === null ? "agreement-na-cell" : undefined} style={heatColor(value)} title={reason}>
                      {pair.articles > 0 ? (
                        <a href={`#${pair.anchor}`}>
                          {text}
                          <span className="visually-hidden">
                            {reason ? ` (${reason})` : ""}: {short} of {row.name} and {column.name}; list their {formatCount(pair.articles)} shared articles (
                            {formatCount(pair.disagreements)} disagreements)
                          </span>
                        </a>
                      ) : (
                        <>
                          {text}
                          <span className="visually-hidden"> ({reason ?? "no article annotated by both"})</span>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="agreement-legend-block">
        <span className="small muted" id={`${captionId}-legend`}>
          Colour scale of {short}:
        </span>
        <ul className="agreement-legend" aria-labelledby={`${captionId}-legend`}>
          {canBeNegative && (
            <li>
              <span className="agreement-legend-swatch" style={heatColor(-1)} aria-hidden="true" /> −1 (below chance)
            </li>
          )}
          {canBeNegative && (
            <li>
              <span className="agreement-legend-swatch" style={heatColor(-0.3)} aria-hidden="true" /> below 0
            </li>
          )}
          {legendSteps.map((step) => (
            <li key={step}>
              <span className="agreement-legend-swatch" style={heatColor(step)} aria-hidden="true" /> {formatFigure(step)}
              {step === 0 && canBeNegative ? " (chance)" : step === 1 ? " (perfect)" : ""}
            </li>
          ))}
          <li>
            <span className="agreement-legend-swatch agreement-na-cell" aria-hidden="true" /> n/a: not defined (reason on hover and read out)
          </li>
        </ul>
      </div>
    </div>
  );
}
