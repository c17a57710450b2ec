/** One question across several candidates, side by side (up to four). */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../shared/api'
import type { CandidateDetail } from '../shared/types'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { href } from './router'
import { t } from './strings'
import { SPEEDS, VideoAnswer } from './VideoAnswer'

const MAX = 4
const SUBMITTED = ['completed', 'ready', 'reviewed', 'advanced', 'held', 'rejected']

export function ComparePage({ interviewId }: { interviewId: string }) {
  const { api } = useSession()
  const path = { params: { path: { interviewId } } }
  const interview = useQuery({ queryKey: ['interview', interviewId], queryFn: () => call(api.GET('/api/interviews/{interviewId}', path)) })
  const list = useQuery({
    queryKey: ['candidates', interviewId, 'all'],
    queryFn: () => call(api.GET('/api/interviews/{interviewId}/candidates', { params: { path: { interviewId }, query: { limit: 100 } } })),
  })
  const [questionId, setQuestionId] = useState('q1')
  const [chosen, setChosen] = useState<string[]>([])
  const details = useQuery({
    queryKey: ['compare', chosen],
    queryFn: () => Promise.all(chosen.map((candidateId) => call(api.GET('/api/candidates/{candidateId}', { params: { path: { candidateId } } })))),
  })
  if (interview.error || list.error) return <ErrorMessage error={interview.error ?? list.error} />
  if (!interview.data || !list.data) return <Loading label={t.loading} />
  const submitted = list.data.items.filter((c) => SUBMITTED.includes(c.status))
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : c.length < MAX ? [...c, id] : c))
  return (
    <>
      <a className="back" href={href.interview(interviewId)}>
        {t.candidate.backToInterview(interview.data.title)}
      </a>
      <PageHeading>{t.compare.title}</PageHeading>
      <p className="lead" id="compare-help">
        {t.compare.help(MAX)}
      </p>
      <form className="card stack" aria-labelledby="compare-help" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="compare-question">{t.compare.question}</label>
          <select id="compare-question" value={questionId} onChange={(e) => setQuestionId(e.target.value)}>
            {interview.data.questions.map((q, i) => (
              <option key={q.questionId} value={q.questionId}>
                {`${i + 1}. ${q.prompt}`}
              </option>
            ))}
          </select>
        </div>
        {submitted.length === 0 ? (
          <p className="empty" data-testid="compare-empty">
            {t.compare.noneSubmitted}
          </p>
        ) : (
          <fieldset>
            <legend>{t.compare.candidates(MAX)}</legend>
            <div className="row wrap">
              {submitted.map((c) => (
                <label key={c.candidateId} className="check">
                  <input type="checkbox" checked={chosen.includes(c.candidateId)} onChange={() => toggle(c.candidateId)} disabled={!chosen.includes(c.candidateId) && chosen.length >= MAX} />
                  {c.name}
                </label>
              ))}
            </div>
          </fieldset>
        )}
      </form>
      <ErrorMessage error={details.error} />
      {submitted.length > 0 && chosen.length === 0 && (
        <p className="empty" data-testid="compare-pick">
          {t.compare.pickSome}
        </p>
      )}
      <div className="compare-grid" data-testid="compare">
        {(chosen.length ? (details.data ?? []) : []).map((d) => (
          <CompareCell key={d.candidateId} detail={d} questionId={questionId} />
        ))}
      </div>
    </>
  )
}

/** The rubric items scored on this question: each one's mean over the reviews the member may see (independent
 * scoring: none before their own review or the decision). */
function QuestionScores({ detail, questionId }: { detail: CandidateDetail; questionId: string }) {
  const items = detail.rubric.filter((r) => r.questionId === questionId)
  if (items.length === 0) return null
  return (
    <dl className="question-scores small" data-testid="compare-question-scores">
      {items.map((item) => {
        const given = detail.reviews.map((r) => r.scores[item.name]).filter((s): s is number => typeof s === 'number')
        const mean = given.length ? given.reduce((x, y) => x + y, 0) / given.length : null
        return (
          <div key={item.name}>
            <dt>{item.name}</dt>
            <dd>{mean === null ? (detail.hiddenReviews ? t.compare.scoresHidden : t.compare.notScored) : t.compare.meanOf(mean, given.length)}</dd>
          </div>
        )
      })}
    </dl>
  )
}

function CompareCell({ detail, questionId }: { detail: CandidateDetail; questionId: string }) {
  const [speed, setSpeed] = useState(SPEEDS[0]!)
  const index = detail.answers.findIndex((a) => a.questionId === questionId)
  const a = detail.answers[index]
  return (
    <section className="card" aria-labelledby={`cmp-${detail.candidateId}`} data-testid="compare-cell">
      <h2 id={`cmp-${detail.candidateId}`}>
        <a href={href.candidate(detail.candidateId)}>{detail.label}</a>
      </h2>
      {!a ? null : a.kind !== 'video' ? (
        <blockquote className="text-answer" aria-label={t.candidate.writtenAnswer}>
          {a.text ?? t.candidate.pendingNote}
        </blockquote>
      ) : a.status === 'ready' && (a.videoUrl || a.audioUrl || detail.blind) ? (
        <VideoAnswer answer={a} index={index + 1} speed={speed} onSpeed={setSpeed} who={detail.label} headingLevel={3} />
      ) : (
        <p className="muted">{t.answerStatus[a.status] ?? a.status}</p>
      )}
      <QuestionScores detail={detail} questionId={questionId} />
    </section>
  )
}
