/** The member's own review: a score per rubric criterion (keyboard-driven, see the page), a recommendation, a comment. */
import { useMutation } from '@tanstack/react-query'
import { type RefObject, useEffect, useState } from 'react'
import { call } from '../../shared/api'
import type { CandidateDetail, DecisionValue } from '../../shared/types'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'
import { DECISIONS } from './detail'

export type Scores = Record<string, number>

/** The scores being chosen (from the member's saved review, again whenever it is saved) and the criterion in focus. */
export function useScoring(candidate: CandidateDetail | undefined) {
  const { me } = useSession()
  const [scores, setScores] = useState<Scores>({})
  const [criterion, setCriterion] = useState(0)
  const mine = candidate?.reviews.find((r) => r.reviewerId === me.userId)
  useEffect(() => {
    setScores(mine?.scores ?? {})
    // When the saved review changes (a new submission), not on every refetch that brings its scores again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mine?.submittedAt])
  const rubric = candidate?.rubric ?? []
  /** Score the criterion in focus, then move to the next one. */
  const score = (n: number) => {
    const item = rubric[criterion]
    if (!item) return
    setScores((s) => ({ ...s, [item.name]: n }))
    setCriterion((i) => Math.min(i + 1, rubric.length - 1))
  }
  return { scores, setScores, criterion, setCriterion, score, criteria: rubric.length }
}

interface ScorecardProps {
  candidate: CandidateDetail
  formRef: RefObject<HTMLFormElement | null>
  scores: Scores
  setScores: (f: (s: Scores) => Scores) => void
  criterion: number
  setCriterion: (i: number) => void
  onSaved: () => Promise<unknown>
}

export function Scorecard({ candidate, formRef, scores, setScores, criterion, setCriterion, onSaved }: ScorecardProps) {
  const { api, me } = useSession()
  const mine = candidate.reviews.find((r) => r.reviewerId === me.userId)
  const [comment, setComment] = useState(mine?.comment ?? '')
  const [recommendation, setRecommendation] = useState<DecisionValue | ''>(mine?.recommendation ?? '')
  const save = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/candidates/{candidateId}/review', {
          params: { path: { candidateId: candidate.candidateId } },
          body: { scores, comment: comment.trim() || null, recommendation: recommendation || null },
        }),
      ),
    // Saved once the server says so; the page's data reloads behind it (awaiting it would hold "saved" back).
    onSuccess: () => void onSaved(),
  })

  // Nothing to score before the candidate has sent an answer: no form that would invite a guess.
  const answered = candidate.answers.some((a) => a.status !== 'pending')
  if (!answered) {
    return (
      <section className="card" aria-labelledby="review-title">
        <h2 id="review-title">{t.candidate.yourReview}</h2>
        <p className="empty" data-testid="nothing-to-score">
          {t.candidate.nothingToScore}
        </p>
      </section>
    )
  }
  return (
    <section className="card" aria-labelledby="review-title">
      <h2 id="review-title">{t.candidate.yourReview}</h2>
      <form className="stack" onSubmit={(e) => (e.preventDefault(), save.mutate())} data-testid="review-form" ref={formRef} aria-keyshortcuts="r">
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
        <ErrorMessage error={save.error} />
        <div className="row">
          <button type="submit" className="button" disabled={save.isPending}>
            {save.isPending ? t.saving : t.candidate.saveReview}
          </button>
          <span role="status" className="success-text">
            {save.isSuccess ? t.candidate.reviewSaved : ''}
          </span>
        </div>
      </form>
    </section>
  )
}
