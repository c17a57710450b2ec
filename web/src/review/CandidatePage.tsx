import { type FormEvent, useEffect, useState } from 'react'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import type { CandidateDetail, DecisionValue, Review } from '../shared/types'
import { ErrorMessage, Loading, PageHeading, useInterval, useLoad } from '../shared/ui'
import { useSession } from './context'
import { href } from './router'
import { StatusBadge } from './StatusBadge'
import { t } from './strings'
import { VideoAnswer } from './VideoAnswer'

const POLL_MS = 10_000
const DECISIONS: DecisionValue[] = ['advance', 'hold', 'reject']
const UNSUBMITTED = ['invited', 'started']

export function CandidatePage({ candidateId }: { candidateId: string }) {
  const { api } = useSession()
  const [erased, setErased] = useState(false)
  const detail = useLoad(() => call(api.GET('/api/candidates/{candidateId}', { params: { path: { candidateId } } })), [api, candidateId])
  const c = detail.data
  // Poll only while something is still on its way: an interview in progress or videos in the pipeline.
  const waiting = !!c && (UNSUBMITTED.includes(c.status) || c.answers.some((a) => a.status === 'uploading' || a.status === 'processing'))
  useInterval(() => void detail.reload(), waiting && !erased ? POLL_MS : null)

  if (erased) {
    return (
      <>
        <PageHeading>{t.candidate.erased}</PageHeading>
        <a href={href.interviews()}>{t.backToInterviews}</a>
      </>
    )
  }
  if (detail.error && !c) return <ErrorMessage error={detail.error} />
  if (!c) return <Loading label={t.loading} />

  return (
    <>
      <a className="back" href={href.interview(c.interviewId)}>
        {t.candidate.backToInterview(c.interviewTitle)}
      </a>
      <div className="page-title">
        <PageHeading>{c.name}</PageHeading>
        <StatusBadge status={c.status} />
      </div>
      <p className="muted" data-testid="candidate-meta">
        {c.email} · {t.candidate.invitedOn(formatDate(c.invitedAt))} · {t.candidate.deadline(formatDate(c.expiresAt))}
        {c.completedAt && <> · {t.candidate.completedOn(formatDate(c.completedAt, true))}</>}
      </p>
      <ErrorMessage error={detail.error} />

      <section aria-labelledby="answers-title" className="section">
        <h2 id="answers-title">{t.candidate.answers}</h2>
        {c.answers.length === 0 && <p className="empty">{t.candidate.noAnswers}</p>}
        <ol className="answers">
          {c.answers.map((a, i) => (
            <li key={a.questionId} className="card answer" data-testid="answer" data-question-id={a.questionId} data-status={a.status}>
              <div className="answer-head">
                <h3>
                  <span className="muted small">{t.candidate.question(i + 1)}</span>
                  <span className="prompt">{a.prompt}</span>
                </h3>
                <span className={`badge badge-answer-${a.status}`}>{t.answerStatus[a.status] ?? a.status}</span>
              </div>
              {a.kind === 'text' ? (
                a.text ? (
                  <blockquote className="text-answer" aria-label={t.candidate.writtenAnswer}>
                    {a.text}
                  </blockquote>
                ) : (
                  <p className="muted">{t.candidate.pendingNote}</p>
                )
              ) : a.status === 'ready' && a.videoUrl ? (
                <VideoAnswer answer={a} index={i + 1} />
              ) : a.status === 'failed' ? (
                <p className="notice notice-error">
                  {t.candidate.failedNote} {a.failure}
                </p>
              ) : a.status === 'pending' ? (
                <p className="muted">{t.candidate.pendingNote}</p>
              ) : (
                <p className="muted">{t.candidate.processingNote}</p>
              )}
            </li>
          ))}
        </ol>
      </section>

      <div className="columns">
        <ReviewForm candidate={c} onSaved={detail.reload} />
        <DecisionForm candidate={c} onSaved={detail.reload} />
      </div>

      <Reviews reviews={c.reviews} />
      <EraseCandidate candidateId={c.candidateId} onErased={() => setErased(true)} />
    </>
  )
}

function ReviewForm({ candidate, onSaved }: { candidate: CandidateDetail; onSaved: () => Promise<void> }) {
  const { api, me } = useSession()
  const mine = candidate.reviews.find((r) => r.reviewerId === me.userId)
  const [scores, setScores] = useState<Record<string, number>>(mine?.scores ?? {})
  const [comment, setComment] = useState(mine?.comment ?? '')
  const [recommendation, setRecommendation] = useState<DecisionValue | ''>(mine?.recommendation ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await call(
        api.PUT('/api/candidates/{candidateId}/review', {
          params: { path: { candidateId: candidate.candidateId } },
          body: { scores, comment: comment.trim() || null, recommendation: recommendation || null },
        }),
      )
      await onSaved()
      setSaved(true)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="review-title">
      <h2 id="review-title">{t.candidate.yourReview}</h2>
      <form className="stack" onSubmit={submit} data-testid="review-form">
        {candidate.rubric.map((item, i) => (
          <fieldset key={item.name} className="score">
            <legend>
              <span className="score-name">{item.name}</span>
              <span className="visually-hidden">{t.candidate.scoreLegend(item.name)}</span>
            </legend>
            {item.description && <p className="help">{item.description}</p>}
            <div className="score-options">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="score-option">
                  <input
                    type="radio"
                    name={`score-${i}`}
                    value={n}
                    checked={scores[item.name] === n}
                    onChange={() => setScores((s) => ({ ...s, [item.name]: n }))}
                  />
                  <span>{t.candidate.score(n)}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <div className="field">
          <label htmlFor="review-recommendation">{t.candidate.recommendation}</label>
          <select id="review-recommendation" value={recommendation} onChange={(e) => setRecommendation(e.target.value as DecisionValue | '')}>
            <option value="">{t.candidate.noRecommendation}</option>
            {DECISIONS.map((d) => (
              <option key={d} value={d}>
                {t.decision[d]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="review-comment">{t.candidate.comment}</label>
          <textarea id="review-comment" rows={4} maxLength={5000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
        <ErrorMessage error={error} />
        <div className="row">
          <button type="submit" className="button" disabled={busy}>
            {busy ? t.saving : t.candidate.saveReview}
          </button>
          <span role="status" className="success-text">
            {saved ? t.candidate.reviewSaved : ''}
          </span>
        </div>
      </form>
    </section>
  )
}

function DecisionForm({ candidate, onSaved }: { candidate: CandidateDetail; onSaved: () => Promise<void> }) {
  const { api, me } = useSession()
  const [decision, setDecision] = useState<DecisionValue>(candidate.decision?.decision ?? 'advance')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const current = candidate.decision
  const decidedBy = (id: string) =>
    id === me.userId ? t.candidate.you : (candidate.reviews.find((r) => r.reviewerId === id)?.reviewerEmail || id)
  const submitted = !UNSUBMITTED.includes(candidate.status)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await call(
        api.POST('/api/candidates/{candidateId}/decision', {
          params: { path: { candidateId: candidate.candidateId } },
          body: { decision, note: note.trim() || null },
        }),
      )
      setNote('')
      await onSaved()
      setSaved(true)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="decision-title">
      <h2 id="decision-title">{t.candidate.decision}</h2>
      {current && (
        <div className="current-decision" data-testid="current-decision" data-decision={current.decision}>
          <p>
            <strong>{t.candidate.decisionCurrent(t.decision[current.decision] ?? current.decision, decidedBy(current.decidedBy), formatDate(current.decidedAt, true))}</strong>
          </p>
          {current.note && <p className="quote">{current.note}</p>}
        </div>
      )}
      {!submitted && <p className="muted">{t.candidate.notSubmittedYet}</p>}
      <form className="stack" onSubmit={submit} data-testid="decision-form">
        <fieldset className="choice-group">
          <legend className="visually-hidden">{t.candidate.decisionLabel}</legend>
          {DECISIONS.map((d) => (
            <label key={d} className={`choice choice-${d}`}>
              <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
              <span>{t.decision[d]}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="decision-note">{t.candidate.note}</label>
          <textarea id="decision-note" rows={3} maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <ErrorMessage error={error} />
        <div className="row">
          <button type="submit" className="button" disabled={busy || !submitted}>
            {busy ? t.saving : t.candidate.recordDecision}
          </button>
          <span role="status" className="success-text">
            {saved ? t.candidate.decisionSaved : ''}
          </span>
        </div>
      </form>
    </section>
  )
}

function Reviews({ reviews }: { reviews: Review[] }) {
  return (
    <section aria-labelledby="reviews-title" className="section">
      <h2 id="reviews-title">{t.candidate.reviews}</h2>
      {reviews.length === 0 ? (
        <p className="empty">{t.candidate.noReviews}</p>
      ) : (
        <ul className="reviews">
          {reviews.map((r) => (
            <li key={r.reviewerId} className="card review" data-testid="review">
              <p className="muted small">{t.candidate.by(r.reviewerEmail || r.reviewerId, formatDate(r.submittedAt, true))}</p>
              {Object.keys(r.scores).length > 0 && (
                <dl className="scores">
                  {Object.entries(r.scores).map(([name, score]) => (
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

function EraseCandidate({ candidateId, onErased }: { candidateId: string; onErased: () => void }) {
  const { api } = useSession()
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  useEffect(() => setConfirming(false), [candidateId])

  const erase = async () => {
    setBusy(true)
    setError(null)
    try {
      await call(api.DELETE('/api/candidates/{candidateId}', { params: { path: { candidateId } } }))
      onErased()
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <section className="danger-zone">
      {!confirming ? (
        <button type="button" className="button danger-outline small" onClick={() => setConfirming(true)}>
          {t.candidate.erase}
        </button>
      ) : (
        <div className="notice notice-error" role="alert">
          <p>{t.candidate.eraseConfirm}</p>
          <div className="row">
            <button type="button" className="button danger" onClick={erase} disabled={busy}>
              {t.candidate.eraseYes}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      <ErrorMessage error={error} />
    </section>
  )
}
