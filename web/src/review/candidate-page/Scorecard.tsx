/** The member's own review: a score per rubric criterion (keyboard-driven, see the page), a recommendation, a comment.
 * A criterion scored on one question is scored beside that question's answer: with another answer on screen it folds
 * into a line that opens its answer, and without an answer to its question it is marked and not scored. */
import { useMutation } from '@tanstack/react-query'
import { type RefObject, useEffect, useState } from 'react'
import { call } from '../../shared/api'
import type { CandidateDetail, DecisionValue, RubricItem } from '../../shared/types'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'
import { RecommendationField } from './RecommendationField'

export type Scores = Record<string, number>

type Criterion = RubricItem & { questionId?: string | null }

/** Where a criterion stands with the answer on screen: scored here, scored on another answer, or not answered. */
function placeOf(candidate: CandidateDetail, item: Criterion, questionId: string | undefined): 'here' | 'elsewhere' | 'unanswered' {
  if (!item.questionId) return 'here'
  const answer = candidate.answers.find((a) => a.questionId === item.questionId)
  if (!answer || answer.status === 'pending') return 'unanswered'
  return item.questionId === questionId ? 'here' : 'elsewhere'
}

/** The scores being chosen (from the member's saved review, again whenever it is saved) and the criterion in focus,
 * among the criteria scored with the answer on screen (`questionId`). */
export function useScoring(candidate: CandidateDetail | undefined, questionId?: string) {
  const { me } = useSession()
  const [scores, setScores] = useState<Scores>({})
  const [criterion, setCriterion] = useState(0)
  const mine = candidate?.reviews.find((r) => r.reviewerId === me.userId)
  useEffect(() => {
    setScores(mine?.scores ?? {})
    // When the saved review changes (a new submission), not on every refetch that brings its scores again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mine?.submittedAt])
  const rubric = candidate ? candidate.rubric.filter((item) => placeOf(candidate, item, questionId) === 'here') : []
  // Another answer on screen brings other criteria: keep the one in focus among them.
  useEffect(() => setCriterion((i) => Math.max(0, Math.min(i, rubric.length - 1))), [rubric.length])
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
  /** The question of the answer on screen, and how to put another question's answer there. */
  questionId?: string
  onShowQuestion: (questionId: string) => void
}

export function Scorecard({ candidate, formRef, scores, setScores, criterion, setCriterion, onSaved, questionId, onShowQuestion }: ScorecardProps) {
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

  const here = candidate.rubric.filter((item) => placeOf(candidate, item, questionId) === 'here')
  const away = candidate.rubric.filter((item) => placeOf(candidate, item, questionId) !== 'here')
  const questionNumber = (id: string) => candidate.answers.findIndex((a) => a.questionId === id) + 1

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
        {here.map((item, i) => (
          <fieldset
            key={item.name}
            className={`score${criterion === i ? ' score-active' : ''}`}
            data-testid="score-criterion"
            data-active={criterion === i}
            data-question-id={item.questionId ?? undefined}
            onFocus={() => setCriterion(i)}
          >
            <legend>
              <span className="score-name">{item.name}</span>
              {item.questionId && <span className="badge score-question">{t.candidate.question(questionNumber(item.questionId))}</span>}
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
        {away.length > 0 && (
          <ul className="plain score-elsewhere" aria-label={t.candidate.scoredOnOtherAnswers}>
            {away.map((item) => {
              const n = questionNumber(item.questionId!)
              const unanswered = placeOf(candidate, item, questionId) === 'unanswered'
              return (
                <li key={item.name} className="row spread" data-testid="score-elsewhere" data-question-id={item.questionId ?? undefined} data-unanswered={unanswered}>
                  <span>
                    <span className="score-name">{item.name}</span>{' '}
                    <span className="muted small">
                      {unanswered ? t.candidate.notAnsweredFor(n) : t.candidate.scoredOn(n, scores[item.name])}
                    </span>
                  </span>
                  {!unanswered && (
                    <button type="button" className="button secondary small" onClick={() => onShowQuestion(item.questionId!)}>
                      {t.candidate.showAnswerToScore(n)}
                    </button>
                  )}
                </li>
              )
            })}
          </ul>
        )}
        <RecommendationField id="review-recommendation" value={recommendation} onChange={setRecommendation} />
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
