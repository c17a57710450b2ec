import { type FormEvent, useState } from 'react'
import type { Session } from '../shared/types'
import { ErrorMessage, PageHeading } from '../shared/ui'
import { Accommodations } from './Accommodations'
import { useCandidate } from './context'
import { GreetingVideo } from './GreetingVideo'
import { stopFor } from './stops'
import { ask, useLocale } from './locale'

const NARROW = '(max-width: 600px)'

/** What the interview is, the privacy notice, and consent. The camera stays off until consent. */
export function Welcome({
  session,
  onConsented,
  onError,
  onSession,
}: {
  session: Session
  onConsented: () => void
  onError: (e: unknown) => void
  onSession: (s: Session) => void
}) {
  const { api } = useCandidate()
  const { t, f } = useLocale()
  const [agreed, setAgreed] = useState(false)
  // A phone gets a shorter welcome: how it works and the privacy notice start folded (one tap opens each).
  const [wide] = useState(() => !window.matchMedia?.(NARROW).matches)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const video = session.questions.filter((q) => q.kind === 'video')
  const screening = session.questions.filter((q) => q.screening)
  const text = session.questions.length - video.length - screening.length
  const maxThink = Math.max(0, ...video.map((q) => q.thinkSeconds))
  const maxAnswer = Math.max(0, ...video.map((q) => q.answerSeconds))
  const maxTakes = Math.max(0, ...video.map((q) => q.maxTakes))
  const resuming = !session.consentRequired
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (resuming) return onConsented()
    setBusy(true)
    setError(null)
    try {
      await ask(t, api.POST('/api/c/consent', { body: { accepted: true } }))
      onConsented()
    } catch (err) {
      setBusy(false)
      if (stopFor(err)) onError(err)
      else setError(err)
    }
  }

  return (
    <div className="stack">
    <form className="card stack" onSubmit={submit} data-testid="welcome">
      <div>
        <p className="step-label">{session.interview.orgName}</p>
        <PageHeading>{t.welcome.hello(session.candidateName)}</PageHeading>
        <p>{t.welcome.intro(session.interview.orgName)}</p>
        {/* The recruiter's own words, as written (content, not a catalog string). */}
        {session.interview.welcome && (
          <p className="welcome-text" data-testid="welcome-text">
            {session.interview.welcome}
          </p>
        )}
        {session.interview.introVideo && <GreetingVideo video={session.interview.introVideo} label={t.welcome.video} testId="intro-video" />}
      </div>
      <div>
        <h2>{session.interview.title}</h2>
        {session.interview.description && <p className="lead">{session.interview.description}</p>}
      </div>
      <ul className="facts" aria-label={t.welcome.howItWorks}>
        <li>
          <span className="fact-value">{t.welcome.questions(session.questions.length)}</span>
          <span className="fact-label">
            {[
              video.length > 0 && t.welcome.videoCount(video.length),
              text > 0 && t.welcome.textCount(text),
              screening.length > 0 && t.welcome.screeningCount(screening.length),
            ]
              .filter(Boolean)
              .join(' · ')}
          </span>
        </li>
        <li>
          <time className="fact-value" dateTime={session.deadline} data-testid="deadline">
            {f.deadline(session.deadline)}
          </time>
          <span className="fact-label">
            {t.welcome.deadline} {zone ? t.welcome.yourZone(zone) : ''}
          </span>
        </li>
        <li>
          <span className="fact-value">{t.welcome.estimated(session.estimatedMinutes)}</span>
          <span className="fact-label">{t.welcome.estimatedLabel}</span>
        </li>
        {video.length > 0 && (
          <li>
            <span className="fact-value">{f.duration(maxAnswer)}</span>
            <span className="fact-label">{t.welcome.answerTime(f.duration(maxAnswer))}</span>
          </li>
        )}
      </ul>
      <section aria-labelledby="question-list-title">
        <h2 id="question-list-title">{t.welcome.questionList}</h2>
        <ol className="question-list" data-testid="question-list">
          {session.questions.map((q, i) => (
            <li key={q.questionId} data-screening={q.screening ? 'true' : undefined}>
              <strong>{q.screening ? t.welcome.questionScreening(i + 1) : q.kind === 'video' ? t.welcome.questionVideo(i + 1) : t.welcome.questionText(i + 1)}</strong>
              <span className="muted">
                {' · '}
                {q.screening
                  ? (t.welcome.screeningKinds[q.kind] ?? '')
                  : q.kind === 'video'
                    ? `${q.thinkSeconds > 0 ? t.welcome.questionTimes(f.duration(q.thinkSeconds), f.duration(q.answerSeconds)) : t.welcome.questionNoThink(f.duration(q.answerSeconds))} · ${t.welcome.questionTakes(q.maxTakes)}`
                    : t.welcome.questionWritten}
              </span>
            </li>
          ))}
        </ol>
        {screening.length > 0 && (
          <p className="muted small" data-testid="screening-note">
            {t.welcome.screeningNote}
          </p>
        )}
        {session.timeMultiplier > 1 && <p className="muted small">{t.welcome.extraTime(session.timeMultiplier)}</p>}
      </section>
      <details className="fold" open={wide} data-testid="how-it-works">
        <summary>
          <h2>{t.welcome.howItWorks}</h2>
        </summary>
        <ol>
          {t.welcome.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
        {video.length > 0 && (
          <ul className="muted small">
            {maxThink > 0 && <li>{t.welcome.thinkTime(f.duration(maxThink))}</li>}
            <li>{t.welcome.takes(maxTakes)}</li>
          </ul>
        )}
      </details>
      {resuming ? (
        <p className="notice" role="status">
          {t.welcome.resume}
        </p>
      ) : (
        <>
          <details className="fold" open={wide} data-testid="privacy">
            <summary>
              <h2 id="privacy-title">{t.welcome.privacy}</h2>
            </summary>
            <div className="privacy" tabIndex={0} data-testid="privacy-notice" role="region" aria-labelledby="privacy-title">
              {session.notice}
            </div>
          </details>
          <div className="check">
            <input id="consent" type="checkbox" required checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />
            <label htmlFor="consent">{t.welcome.consent}</label>
          </div>
        </>
      )}
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" className="button big" disabled={busy || (!resuming && !agreed)}>
          {busy ? t.welcome.busy : resuming ? t.continue : t.welcome.agree}
        </button>
      </div>
    </form>
    <section className="card">
      <Accommodations session={session} onChange={(accommodations) => onSession({ ...session, accommodations })} />
    </section>
    </div>
  )
}
