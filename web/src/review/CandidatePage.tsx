import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react'
import { call } from '../shared/api'
import { duration, formatDate } from '../shared/i18n'
import type { Answer, CandidateDetail, DecisionValue, Review } from '../shared/types'
import { ErrorMessage, Loading, PageHeading, useInterval, useLoad } from '../shared/ui'
import type { Api } from '../shared/api'
import { useSession } from './context'
import { InvitationPanel } from './InvitationPanel'
import { ShareLinks } from './ShareLinks'
import { HelpOverlay, useShortcuts } from './shortcuts'
import { href, navigate } from './router'
import { StatusBadge } from './StatusBadge'
import { t } from './strings'
import { type PlayerControls, SPEEDS, VideoAnswer } from './VideoAnswer'

const POLL_MS = 10_000
const DECISIONS: DecisionValue[] = ['advance', 'hold', 'reject']
const UNSUBMITTED = ['invited', 'started']
const PREFETCH_FRESH_MS = 5 * 60_000

// The next candidate's details, fetched ahead. Its page still asks the API (blind review or assignments may have
// changed since), but keeps the prefetched media URLs where they name the same object, so the browser's cached copy
// of the first video is the one that plays.
const prefetched = new Map<string, { at: number; detail: CandidateDetail }>()

const objectOf = (url: string | null | undefined) => (url ? url.split('?')[0] : undefined)

function keepPrefetchedUrls(fresh: CandidateDetail, early: CandidateDetail): CandidateDetail {
  const answers = fresh.answers.map((a) => {
    const old = early.answers.find((o) => o.questionId === a.questionId)
    if (!old) return a
    const same = (k: 'videoUrl' | 'audioUrl' | 'posterUrl' | 'captionsUrl') => (a[k] && objectOf(a[k]) === objectOf(old[k]) && !!old[k] ? old[k] : a[k])
    return { ...a, videoUrl: same('videoUrl'), audioUrl: same('audioUrl'), posterUrl: same('posterUrl'), captionsUrl: same('captionsUrl') }
  })
  return { ...fresh, answers }
}

async function loadDetail(api: Api, candidateId: string): Promise<CandidateDetail> {
  const hit = prefetched.get(candidateId)
  prefetched.delete(candidateId)
  const fresh = await call(api.GET('/api/candidates/{candidateId}', { params: { path: { candidateId } } }))
  return hit && Date.now() - hit.at < PREFETCH_FRESH_MS ? keepPrefetchedUrls(fresh, hit.detail) : fresh
}

/** The candidates to review after this one: the interview's submitted candidates, or a reviewer's assignments. */
function useNextCandidate(c: CandidateDetail | undefined): string | undefined {
  const { api, me } = useSession()
  const [next, setNext] = useState<string>()
  useEffect(() => {
    if (!c) return
    let live = true
    const load = async (): Promise<string[]> => {
      if (me.role === 'reviewer') {
        const mine = await call(api.GET('/api/assignments'))
        return mine.items.filter((a) => a.interviewId === c.interviewId).map((a) => a.candidateId)
      }
      const page = await call(api.GET('/api/interviews/{interviewId}/candidates', { params: { path: { interviewId: c.interviewId }, query: { limit: 100 } } }))
      return page.items.filter((x) => !UNSUBMITTED.includes(x.status)).map((x) => x.candidateId)
    }
    load()
      .then((ids) => {
        const at = ids.indexOf(c.candidateId)
        const rest = [...ids.slice(at + 1), ...ids.slice(0, Math.max(0, at))].filter((id) => id !== c.candidateId)
        if (live) setNext(rest[0])
      })
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [api, me.role, c?.candidateId, c?.interviewId])
  return next
}

function Prefetch({ candidateId }: { candidateId: string }) {
  const { api } = useSession()
  const [url, setUrl] = useState<string>()
  useEffect(() => {
    let live = true
    call(api.GET('/api/candidates/{candidateId}', { params: { path: { candidateId } } }))
      .then((detail) => {
        prefetched.set(candidateId, { at: Date.now(), detail })
        const first = detail.answers.find((a) => a.videoUrl || a.audioUrl)
        if (live) setUrl(first?.videoUrl ?? first?.audioUrl ?? undefined)
      })
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [api, candidateId])
  return url ? <link rel="prefetch" href={url} as="video" data-testid="prefetch-next" /> : null
}

export function CandidatePage({ candidateId }: { candidateId: string }) {
  const { api, me } = useSession()
  const [erased, setErased] = useState(false)
  const detail = useLoad(() => loadDetail(api, candidateId), [api, candidateId])
  const c = detail.data
  const waiting = !!c && (UNSUBMITTED.includes(c.status) || c.answers.some((a) => a.status === 'uploading' || a.status === 'processing'))
  useInterval(() => void detail.reload(), waiting && !erased ? POLL_MS : null)

  const [answerIndex, setAnswerIndex] = useState(0)
  const [speed, setSpeed] = useState(1)
  const [criterion, setCriterion] = useState(0)
  const [scores, setScores] = useState<Record<string, number>>({})
  const [help, setHelp] = useState(false)
  const player = useRef<PlayerControls>(null)
  const reviewForm = useRef<HTMLFormElement>(null)
  const next = useNextCandidate(c)

  const mine = c?.reviews.find((r) => r.reviewerId === me.userId)
  useEffect(() => {
    setScores(mine?.scores ?? {})
  }, [mine?.submittedAt])

  const count = c?.answers.length ?? 0
  const rubric = c?.rubric ?? []
  const score = useCallback(
    (n: number) => {
      const item = rubric[criterion]
      if (!item) return
      setScores((s) => ({ ...s, [item.name]: n }))
      setCriterion((i) => Math.min(i + 1, rubric.length - 1))
    },
    [rubric, criterion],
  )

  useShortcuts(!!c && !help, {
    ' ': () => player.current?.togglePlay(),
    s: () => setSpeed((s) => SPEEDS[(SPEEDS.indexOf(s) + 1) % SPEEDS.length]!),
    j: () => setAnswerIndex((i) => Math.min(i + 1, count - 1)),
    k: () => setAnswerIndex((i) => Math.max(i - 1, 0)),
    ArrowDown: () => setCriterion((i) => Math.min(i + 1, rubric.length - 1)),
    ArrowUp: () => setCriterion((i) => Math.max(i - 1, 0)),
    '1': () => score(1),
    '2': () => score(2),
    '3': () => score(3),
    '4': () => score(4),
    '5': () => score(5),
    r: () => reviewForm.current?.requestSubmit(),
    n: () => next && navigate(href.candidate(next)),
    '?': () => setHelp(true),
  })

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

  const a = c.answers[Math.min(answerIndex, count - 1)]
  const i = Math.min(answerIndex, count - 1)
  const manager = me.role !== 'reviewer'
  return (
    <>
      <div className="row spread">
        {manager ? (
          <a className="back" href={href.interview(c.interviewId)}>
            {t.candidate.backToInterview(c.interviewTitle)}
          </a>
        ) : (
          <a className="back" href={href.interviews()}>
            {t.backToInterviews}
          </a>
        )}
        <div className="row">
          <button type="button" className="button secondary small" onClick={() => setHelp(true)} aria-keyshortcuts="?">
            {t.shortcuts.button}
          </button>
          {next && (
            <a className="button secondary small" href={href.candidate(next)} aria-keyshortcuts="n" data-testid="next-candidate">
              {t.candidate.nextCandidate}
            </a>
          )}
        </div>
      </div>
      <div className="page-title">
        <PageHeading>{c.label}</PageHeading>
        <StatusBadge status={c.status} />
        {c.blind && (
          <span className="badge" data-testid="blind-badge">
            {t.candidate.blind}
          </span>
        )}
      </div>
      <p className="muted" data-testid="candidate-meta">
        {c.email && <>{c.email} · </>}
        {t.candidate.invitedOn(formatDate(c.invitedAt))} · {t.candidate.deadline(formatDate(c.expiresAt))}
        {c.completedAt && <> · {t.candidate.completedOn(formatDate(c.completedAt, true))}</>}
      </p>
      <ErrorMessage error={detail.error} />

      <section aria-labelledby="answers-title" className="section">
        <div className="row spread">
          <h2 id="answers-title">{t.candidate.answers}</h2>
          {count > 1 && (
            <nav className="row" aria-label={t.candidate.answerNav}>
              <button type="button" className="button secondary small" onClick={() => setAnswerIndex(Math.max(i - 1, 0))} disabled={i === 0} aria-keyshortcuts="k">
                {t.candidate.previousAnswer}
              </button>
              <span className="muted small" data-testid="answer-position">
                {t.candidate.answerOf(i + 1, count)}
              </span>
              <button type="button" className="button secondary small" onClick={() => setAnswerIndex(Math.min(i + 1, count - 1))} disabled={i === count - 1} aria-keyshortcuts="j">
                {t.candidate.nextAnswer}
              </button>
            </nav>
          )}
        </div>
        {!a && <p className="empty">{t.candidate.noAnswers}</p>}
        {a && (
          <div className="card answer" data-testid="answer" data-question-id={a.questionId} data-status={a.status}>
            <div className="answer-head">
              <h3>
                <span className="muted small">{t.candidate.question(i + 1)}</span>
                <span className="prompt">{a.prompt}</span>
              </h3>
              <span className={`badge badge-answer-${a.status}`}>{t.answerStatus[a.status] ?? a.status}</span>
            </div>
            {a.refused && (
              <p className="notice notice-warn" data-testid="answer-refused">
                {t.candidate.refusedNote(a.refused)}
              </p>
            )}
            <TimingCheck answer={a} />
            {a.kind === 'text' ? (
              a.text ? (
                <blockquote className="text-answer" aria-label={t.candidate.writtenAnswer}>
                  {a.text}
                </blockquote>
              ) : (
                <p className="muted">{t.candidate.pendingNote}</p>
              )
            ) : a.status === 'ready' && (a.videoUrl || a.audioUrl || c.blind) ? (
              <VideoAnswer key={a.questionId} ref={player} answer={a} index={i + 1} speed={speed} onSpeed={setSpeed} />
            ) : a.status === 'failed' ? (
              // A refused upload (said above) left nothing to process again.
              a.refused ? null : <FailedAnswer candidateId={c.candidateId} questionId={a.questionId} failure={a.failure} canRetry={manager} onRetried={detail.reload} />
            ) : a.status === 'pending' ? (
              <p className="muted">{t.candidate.pendingNote}</p>
            ) : (
              <p className="muted">{t.candidate.processingNote}</p>
            )}
          </div>
        )}
      </section>

      <div className="columns">
        <ReviewForm
          candidate={c}
          formRef={reviewForm}
          scores={scores}
          setScores={setScores}
          criterion={criterion}
          setCriterion={setCriterion}
          onSaved={detail.reload}
        />
        {manager && <DecisionForm candidate={c} onSaved={detail.reload} />}
      </div>

      <Reviews reviews={c.reviews} hidden={c.hiddenReviews ?? 0} />
      {manager && <Assignments candidate={c} onSaved={detail.reload} />}
      {manager && <InvitationPanel candidateId={c.candidateId} onChanged={detail.reload} />}
      {manager && !me.blind && <ShareLinks candidateId={c.candidateId} />}
      {manager && <EraseCandidate candidateId={c.candidateId} onErased={() => setErased(true)} />}
      {next && <Prefetch candidateId={next} />}
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </>
  )
}

/** Overruns of the answer's think or answer time, as the server measured them: flagged for the reviewer, never refused. */
function TimingCheck({ answer }: { answer: Answer }) {
  const overruns = answer.timing?.overruns ?? []
  if (!overruns.length) return null
  return (
    <div className="notice notice-warn" role="note" aria-label={t.candidate.timingLabel} data-testid="answer-timing">
      <ul>
        {overruns.map((o) => (
          <li key={o.kind} data-kind={o.kind}>
            {t.candidate.overrun[o.kind](duration(o.actualSeconds), duration(o.allowedSeconds))}
          </li>
        ))}
      </ul>
      <p className="muted small">{t.candidate.timingNote}</p>
    </div>
  )
}

/** A failed answer: why, and for recruiters a retry from the kept recording (the page then polls until it settles). */
function FailedAnswer(props: { candidateId: string; questionId: string; failure?: string | null; canRetry: boolean; onRetried: () => Promise<void> }) {
  const { api } = useSession()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const retry = async () => {
    setBusy(true)
    setError(null)
    try {
      await call(
        api.POST('/api/candidates/{candidateId}/answers/{questionId}/retry', {
          params: { path: { candidateId: props.candidateId, questionId: props.questionId } },
        }),
      )
      await props.onRetried()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="notice notice-error" data-testid="answer-failed">
      <p>
        {t.candidate.failedNote} <span className="failure" data-testid="failure">{props.failure}</span>
      </p>
      {props.canRetry && (
        <button type="button" className="button secondary small" onClick={() => void retry()} disabled={busy}>
          {busy ? t.candidate.retrying : t.candidate.retry}
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  )
}

interface ReviewFormProps {
  candidate: CandidateDetail
  formRef: React.RefObject<HTMLFormElement | null>
  scores: Record<string, number>
  setScores: (f: (s: Record<string, number>) => Record<string, number>) => void
  criterion: number
  setCriterion: (i: number) => void
  onSaved: () => Promise<void>
}

function ReviewForm({ candidate, formRef, scores, setScores, criterion, setCriterion, onSaved }: ReviewFormProps) {
  const { api, me } = useSession()
  const mine = candidate.reviews.find((r) => r.reviewerId === me.userId)
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
      <form className="stack" onSubmit={submit} data-testid="review-form" ref={formRef} aria-keyshortcuts="r">
        {candidate.rubric.map((item, i) => (
          <fieldset
            key={item.name}
            className={`score${criterion === i ? ' score-active' : ''}`}
            data-testid="score-criterion"
            data-active={criterion === i}
            onFocus={() => setCriterion(i)}
          >
            <legend>
              <span className="score-name">{item.name}</span>
              <span className="visually-hidden">{t.candidate.scoreLegend(item.name)}</span>
            </legend>
            {item.description && <p className="help">{item.description}</p>}
            <div className="score-options">
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="score-option" title={item.anchors?.[n - 1] || undefined}>
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
            {(item.anchors ?? []).some(Boolean) && (
              <dl className="anchors small">
                {(item.anchors ?? []).map((text, k) =>
                  text ? (
                    <div key={k} className={scores[item.name] === k + 1 ? 'anchor-chosen' : undefined}>
                      <dt>{k + 1}</dt>
                      <dd>{text}</dd>
                    </div>
                  ) : null,
                )}
              </dl>
            )}
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
          body: { decision, note: note.trim() },
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
          <textarea id="decision-note" rows={3} maxLength={5000} required value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="decision-note-help" />
          <p className="help" id="decision-note-help">
            {t.candidate.noteHelp}
          </p>
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

function Reviews({ reviews, hidden }: { reviews: Review[]; hidden: number }) {
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

function Assignments({ candidate, onSaved }: { candidate: CandidateDetail; onSaved: () => Promise<void> }) {
  const { api } = useSession()
  const members = useLoad(() => call(api.GET('/api/members')), [api])
  const reviewers = (members.data?.items ?? []).filter((m) => m.role === 'reviewer')
  const [chosen, setChosen] = useState('')
  const [error, setError] = useState<unknown>(null)
  const assigned = candidate.assignedReviewers ?? []
  const email = (id: string) => members.data?.items.find((m) => m.userId === id)?.email ?? id
  const act = async (p: Promise<unknown>) => {
    setError(null)
    try {
      await p
      await onSaved()
    } catch (err) {
      setError(err)
    }
  }
  const path = { params: { path: { candidateId: candidate.candidateId } } }
  return (
    <section className="section" aria-labelledby="assign-title">
      <h2 id="assign-title">{t.candidate.assigned}</h2>
      {assigned.length === 0 ? (
        <p className="muted">{t.candidate.noneAssigned}</p>
      ) : (
        <ul className="plain">
          {assigned.map((id) => (
            <li key={id} className="row">
              <span>{email(id)}</span>
              <button
                type="button"
                className="button secondary small"
                onClick={() => act(call(api.DELETE('/api/candidates/{candidateId}/assignments/{reviewerId}', { params: { path: { candidateId: candidate.candidateId, reviewerId: id } } })))}
              >
                {t.candidate.unassign(email(id))}
              </button>
            </li>
          ))}
        </ul>
      )}
      {reviewers.length > 0 && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            if (chosen) void act(call(api.PUT('/api/candidates/{candidateId}/assignments', { ...path, body: { reviewerId: chosen } })))
          }}
        >
          <label htmlFor="assign-reviewer">{t.candidate.reviewer}</label>
          <select id="assign-reviewer" value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">{t.candidate.chooseReviewer}</option>
            {reviewers
              .filter((m) => !assigned.includes(m.userId))
              .map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.email}
                </option>
              ))}
          </select>
          <button type="submit" className="button secondary small">
            {t.candidate.assign}
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
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
