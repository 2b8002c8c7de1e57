import type { ProjectAgreement } from "@/lib/server/agreement/project-agreement";
import { Figure, formatCount } from "./figure-format";

function Bar({ value, color }: { value: number | null; color: string }) {
  // Negative alpha draws no bar (its text says it); the track shows the scale from 0 to 1.
  const width = value === null ? 0 : Math.max(0, Math.min(1, value)) * 100;
  return (
    <span className="agreement-bar" aria-hidden="true">
      <span style={{ width: `${width}%`, background: color }} />
    </span>
  );
}

/** Per entity type: token alpha (this type against anything else) and exact span F1 as horizontal bars, values as text. */
export function AgreementTypeBars({ agreement, colors }: { agreement: ProjectAgreement; colors: Record<string, string> }) {
  const labels = agreement.labels.filter((label) => agreement.perType[label]);
  if (labels.length === 0) return <p className="muted">No entity types.</p>;
  return (
    <table className="agreement-types">
      <caption className="visually-hidden">Agreement per entity type; bars run from 0 to 1</caption>
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Token alpha</th>
          <th scope="col">Span F1 (exact)</th>
          <th scope="col">Mentions</th>
        </tr>
      </thead>
      <tbody>
        {labels.map((label) => {
          const figures = agreement.perType[label]!;
          const color = colors[label] ?? "#5f6368";
          const mentions = Object.values(figures.mentions).reduce((sum, count) => sum + count, 0);
          return (
            <tr key={label}>
              <th scope="row">
                <span className="agreement-type-swatch" style={{ background: color }} aria-hidden="true" /> {label}
              </th>
              <td>
                <span className="agreement-bar-row">
                  <Bar value={figures.tokenAlpha} color={color} />
                  <span className="agreement-bar-value">
                    <Figure value={figures.tokenAlpha} reason={figures.tokenAlphaReason} />
                  </span>
                </span>
              </td>
              <td>
                <span className="agreement-bar-row">
                  <Bar value={figures.spanF1} color={color} />
                  <span className="agreement-bar-value">
                    <Figure value={figures.spanF1} reason={figures.spanF1Reason} />
                  </span>
                </span>
                <span className="small muted">
                  {formatCount(figures.counts.tp)} matched, {formatCount(figures.counts.fp + figures.counts.fn)} unmatched
                </span>
              </td>
              <td>{formatCount(mentions)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
