/** Guests' opinions through share links: apart from the members' reviews, under the same rule (hidden until
 * the member has scored), and never counted in the reviewers' agreement. */
import { formatDate } from '../../shared/i18n'
import type { GuestOpinion } from '../../shared/types'
import { t } from '../strings'

export function GuestOpinions({ opinions, hidden }: { opinions: GuestOpinion[]; hidden: number }) {
  if (opinions.length === 0 && hidden === 0) return null
  return (
    <section aria-labelledby="guest-opinions-title" className="section" data-testid="guest-opinions">
      <h2 id="guest-opinions-title">{t.candidate.guestOpinions}</h2>
      <p className="muted small">{t.candidate.guestOpinionsHelp}</p>
      {hidden > 0 && (
        <p className="notice" data-testid="hidden-guest-opinions">
          {t.candidate.hiddenGuestOpinions(hidden)}
        </p>
      )}
      {opinions.length > 0 && (
        <ul className="reviews">
          {opinions.map((g) => (
            <li key={g.label + g.submittedAt} className="card review review-guest" data-testid="guest-opinion">
              <p className="muted small">{t.candidate.by(g.label, formatDate(g.updatedAt, true))}</p>
              {Object.keys(g.scores).length > 0 && (
                <dl className="scores">
                  {Object.entries(g.scores).map(([name, score]) => (
                    <div key={name}>
                      <dt>{name}</dt>
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
              {g.recommendation && (
                <p>
                  {t.candidate.recommendation}: <strong>{t.decision[g.recommendation]}</strong>
                </p>
              )}
              {g.comment && <p className="quote">{g.comment}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
