/** Guests' opinions through share links: apart from the members' reviews, under the same rule (hidden until
 * the member has scored), and never counted in the reviewers' agreement. */
import { formatDate } from '../../shared/i18n'
import type { GuestOpinion } from '../../shared/types'
import { t } from '../strings'
import { Opinion } from './ReviewList'

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
              <Opinion scores={g.scores} recommendation={g.recommendation} comment={g.comment} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
