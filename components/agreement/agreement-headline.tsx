import type { ProjectAgreement } from "@/lib/server/agreement/project-agreement";
import { Figure, formatCount } from "./figure-format";

/** The project's headline figures: token alpha, stance F1, the tokens and annotators behind them. */
export function AgreementHeadline({ agreement }: { agreement: ProjectAgreement }) {
  const compared = agreement.perArticle.filter((article) => article.annotators >= 2).length;
  const participating = agreement.annotators.filter((annotator) => annotator.articles > 0).length;
  return (
    <dl className="agreement-headline">
      <div className="card">
        <dt>Token alpha (Krippendorff, nominal)</dt>
        <dd className="agreement-big">
          <Figure value={agreement.tokenAlpha} reason={agreement.tokenAlphaReason} />
        </dd>
        <dd className="small muted">1 is perfect agreement, 0 what chance gives, below 0 worse than chance.</dd>
      </div>
      <div className="card">
        <dt>Stance F1</dt>
        <dd className="agreement-big">
          <Figure value={agreement.stance.f1} reason={agreement.stance.reason} />
        </dd>
        <dd className="small muted">
          {formatCount(agreement.stance.tuples)} stance tuples; {formatCount(agreement.stance.counts.tp)} matched pairwise,{" "}
          {formatCount(agreement.stance.counts.fp + agreement.stance.counts.fn)} unmatched.
        </dd>
      </div>
      <div className="card">
        <dt>Tokens compared</dt>
        <dd className="agreement-big">{formatCount(agreement.tokens)}</dd>
        <dd className="small muted">
          of {formatCount(agreement.tokensTotal)} tokens; {formatCount(compared)} of {formatCount(agreement.articles)} articles have two or more
          annotators.
        </dd>
      </div>
      <div className="card">
        <dt>Annotators</dt>
        <dd className="agreement-big">{formatCount(participating)}</dd>
        <dd className="small muted">
          {participating === agreement.annotators.length
            ? "annotated at least one article."
            : `of ${formatCount(agreement.annotators.length)} listed annotated at least one article.`}
        </dd>
      </div>
    </dl>
  );
}
