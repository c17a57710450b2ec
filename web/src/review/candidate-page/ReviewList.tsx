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
              <Opinion scores={r.scores} recommendation={r.recommendation} comment={r.comment} questionOf={questionOf} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** One opinion's content, a member's review or a guest's: the scores as dots, the recommendation, the comment. */
export function Opinion({
  scores,
  recommendation,
  comment,
  questionOf,
}: {
  scores: Record<string, number>
  recommendation?: Review['recommendation']
  comment?: string | null
  questionOf?: (item: string) => number | undefined
}) {
  return (
    <>
      {Object.keys(scores).length > 0 && (
        <dl className="scores">
          {Object.entries(scores).map(([name, score]) => (
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
      {recommendation && (
        <p>
          {t.candidate.recommendation}: <strong>{t.decision[recommendation]}</strong>
        </p>
      )}
      {comment && <p className="quote">{comment}</p>}
    </>
  )
}
