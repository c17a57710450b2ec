import { useState } from 'react'
import type { Session } from '../shared/types'
import { ErrorMessage, Icon, PageHeading } from '../shared/ui'
import { useCandidate } from './context'
import { stopFor } from './stops'
import { ask, useLocale } from './locale'

type FollowUps = NonNullable<Session['followUps']>

/** After submitting: follow-up questions the organization asked of this candidate, answered through the same link. */
export function FollowUpIntro({ orgName, followUps, onStart }: { orgName: string; followUps: FollowUps; onStart: () => void }) {
  const { t, f } = useLocale()
  const questions = followUps.questions
  const left = questions.filter((q) => !q.answered).length
  return (
    <section className="card stack" data-testid="follow-ups">
      <PageHeading>{t.followUps.title(orgName)}</PageHeading>
      <p>{t.followUps.intro(orgName, questions.length)}</p>
      <ul className="facts">
        <li>
          <span className="fact-value">{t.welcome.questions(questions.length)}</span>
          <span className="fact-label">{left < questions.length ? t.followUps.left(left) : t.followUps.same}</span>
        </li>
        <li>
          <time className="fact-value" dateTime={followUps.dueAt} data-testid="follow-ups-deadline">
            {f.deadline(followUps.dueAt)}
          </time>
          <span className="fact-label">{t.welcome.deadline}</span>
        </li>
      </ul>
      <ol className="question-list" data-testid="follow-up-list">
        {questions.map((q, i) => (
          <li key={q.questionId} data-answered={q.answered}>
            <strong>{q.kind === 'video' ? t.welcome.questionVideo(i + 1) : t.welcome.questionText(i + 1)}</strong>
            <span className="muted">
              {' · '}
              {q.answered
                ? t.followUps.answered
                : q.kind === 'video'
                  ? `${q.thinkSeconds > 0 ? t.welcome.questionTimes(f.duration(q.thinkSeconds), f.duration(q.answerSeconds)) : t.welcome.questionNoThink(f.duration(q.answerSeconds))} · ${t.welcome.questionTakes(q.maxTakes)}`
                  : t.welcome.questionWritten}
            </span>
            {q.hasVideo && !q.answered && (
              <span className="muted small" data-testid="follow-up-as-video">
                {' · '}
                {t.followUps.asVideo}
              </span>
            )}
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" className="button big" onClick={onStart}>
          {left < questions.length ? t.followUps.resume : t.followUps.start}
        </button>
      </div>
    </section>
  )
}

/** Every follow-up question answered: send them (after which they cannot change). */
export function FollowUpFinish({ onSent, onError }: { onSent: () => void; onError: (e: unknown) => void }) {
  const { api } = useCandidate()
  const { t } = useLocale()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const send = async () => {
    setBusy(true)
    setError(null)
    try {
      await ask(t, api.POST('/api/c/follow-ups/complete'))
      onSent()
    } catch (e) {
      setBusy(false)
      if (stopFor(e)) onError(e)
      else setError(e)
    }
  }

  return (
    <section className="card stack center" data-testid="follow-ups-finish">
      <div className="big-icon icon-check">
        <Icon name="check" />
      </div>
      <PageHeading>{t.followUps.finishTitle}</PageHeading>
      <p>{t.followUps.finishBody}</p>
      <ErrorMessage error={error} />
      <div className="actions" style={{ justifyContent: 'center' }}>
        <button type="button" className="button big" onClick={send} disabled={busy}>
          {busy ? t.finish.busy : t.followUps.send}
        </button>
      </div>
    </section>
  )
}

export function FollowUpDone({ orgName }: { orgName: string }) {
  const { t } = useLocale()
  return (
    <section className="card center" data-testid="follow-ups-done">
      <div className="big-icon icon-check">
        <Icon name="check" />
      </div>
      <PageHeading>{t.followUps.doneTitle}</PageHeading>
      <p>{t.followUps.doneBody(orgName)}</p>
    </section>
  )
}
