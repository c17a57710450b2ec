import type { Session } from '../shared/types'
import { Icon, PageHeading } from '../shared/ui'
import { CopyOfAnswers } from './CopyOfAnswers'
import { useLocale } from './locale'

const REVIEWING = ['ready', 'reviewed', 'advanced', 'held', 'rejected']
const DECIDED = ['advanced', 'held', 'rejected']

/** The same link after finishing: submitted, under review, and the decision when the organization shares it. */
export function Status({ session }: { session: Session }) {
  const { t } = useLocale()
  const org = session.interview.orgName
  const reviewing = REVIEWING.includes(session.status)
  const decided = !!session.decision && DECIDED.includes(session.status)
  const steps = [
    { name: t.submitted.steps.submitted, state: 'done' },
    { name: t.submitted.steps.review, state: decided ? 'done' : reviewing ? 'current' : 'pending' },
    { name: t.submitted.steps.decision, state: decided ? 'done' : 'pending' },
  ]
  return (
    <div className="stack">
      <section className="card stack" data-testid="already-submitted" data-status={session.status}>
        <div className="big-icon icon-check">
          <Icon name="check" />
        </div>
        <PageHeading>{t.submitted.title}</PageHeading>
        <h2>{t.submitted.statusTitle}</h2>
        <ol className="status-steps" data-testid="status-steps">
          {steps.map((s) => (
            <li key={s.name} data-state={s.state} aria-current={s.state === 'current' ? 'step' : undefined}>
              <strong>{s.name}</strong> <span className="muted">({t.submitted[s.state as 'done' | 'current' | 'pending']})</span>
            </li>
          ))}
        </ol>
        {session.questions.map((q, i) =>
          q.refused && q.answered ? (
            <p key={q.questionId} className="notice notice-warn" data-testid="refused-answer">
              {t.submitted.refused(i + 1, q.refused, org)}
            </p>
          ) : null,
        )}
        <p role="status" data-testid="status-text">
          {decided && session.decision
            ? t.submitted.decision[session.decision]
            : reviewing
              ? `${t.submitted.underReview} ${t.submitted.noDecision(org)}`
              : `${t.submitted.processing} ${t.submitted.noDecision(org)}`}
        </p>
      </section>
      <CopyOfAnswers />
    </div>
  )
}
