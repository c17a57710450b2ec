/** The reviews the member may see (others' stay hidden until they submit their own). */
import { formatDate } from '../../shared/i18n'
import type { Review } from '../../shared/types'
import { t } from '../strings'

/** `questionOf` says which question a rubric item is scored on (its number), if it is scored on one. */
export function ReviewList({ reviews, hidden, questionOf }: { reviews: Review[]; hidden: number; questionOf?: (item: string) => number | undefined }) {
  return (
    <section aria-labelledby="reviews-title" className="section">
      <h2 id="reviews-title">{t.candidate.reviews}</h2>
      {hidden > 0 && (
        <p className="notice" data-testid="hidden-reviews">
          {t.candidate.hiddenReviews(hidden)}
        </p>
      )}
      {reviews.length === 0 ? (
        hidden === 0 && <p className="empty">{t.candidate.noReviews}</p>
      ) : (
        <ul className="reviews">
          {reviews.map((r) => (
            <li key={r.reviewerId} className="card review" data-testid="review">
              <p className="muted small">{t.candidate.by(r.reviewerEmail || r.reviewerId, formatDate(r.submittedAt, true))}</p>
              {Object.keys(r.scores).length > 0 && (
                <dl className="scores">
                  {Object.entries(r.scores).map(([name, score]) => (
                    <div key={name}>
                      <dt>
                        {name}
                        {questionOf?.(name) && <span className="muted small"> {t.candidate.onQuestion(questionOf(name)!)}</span>}
                      </dt>
                      <dd>
                        <span className="score-dots" aria-hidden="true">
                          {'●'.repeat(score)}
                          {'○'.repeat(Math.max(0, 5 - score))}
                        </span>
                        <span className="score-value">{score}/5</span>
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
              {r.recommendation && (
                <p>
                  {t.candidate.recommendation}: <strong>{t.decision[r.recommendation]}</strong>
                </p>
              )}
              {r.comment && <p className="quote">{r.comment}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
