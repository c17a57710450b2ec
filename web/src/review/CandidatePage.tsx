/** A candidate under review: the page composes its parts (candidate-page/) and the keyboard shortcuts that drive them. */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { CandidateDetail } from '../shared/types'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { AdministrationPanel } from './candidate-page/AdministrationPanel'
import { AnswerPanel } from './candidate-page/AnswerPanel'
import { CandidateHeader } from './candidate-page/CandidateHeader'
import { type ChooseDecision, DecisionPanel } from './candidate-page/DecisionPanel'
import { loadDetail, UNSUBMITTED } from './candidate-page/detail'
import { FollowUps } from './candidate-page/FollowUps'
import { GuestOpinions } from './candidate-page/GuestOpinions'
import { Prefetch, useReviewQueue } from './candidate-page/NextCandidate'
import { ReviewList } from './candidate-page/ReviewList'
import { Scorecard, useScoring } from './candidate-page/Scorecard'
import { useSession } from './context'
import { href, navigate } from './router'
import { HelpOverlay, useShortcuts } from './shortcuts'
import { t } from './strings'
import { type PlayerControls, SPEEDS } from './VideoAnswer'

const POLL_MS = 10_000

/** Whether the page follows the candidate until they submit and every answer is processed. */
const waiting = (c: CandidateDetail | undefined) =>
  !!c &&
  (UNSUBMITTED.includes(c.status) ||
    c.answers.some((a) => a.status === 'uploading' || a.status === 'processing') ||
    (c.followUps ?? []).some((r) => r.state === 'open'))

/** The reviewer's playback speed, kept from one candidate to the next (the page is made anew for each). */
let chosenSpeed = 1

/** `questionId` and `at` open one answer at a second of it (a transcript search's hit). */
export function CandidatePage({ candidateId, questionId, at }: { candidateId: string; questionId?: string; at?: number }) {
  const { api, me } = useSession()
  const [erased, setErased] = useState(false)
  const queries = useQueryClient()
  const detail = useQuery({
    queryKey: ['candidate', candidateId],
    queryFn: () => loadDetail(api, queries, candidateId),
    refetchInterval: (query) => (waiting(query.state.data) && !erased ? POLL_MS : false),
  })
  const c = detail.data

  const [answerIndex, setAnswerIndex] = useState(0)
  const [speed, setSpeed] = useState(() => chosenSpeed)
  useEffect(() => void (chosenSpeed = speed), [speed])
  const [help, setHelp] = useState(false)
  const player = useRef<PlayerControls>(null)
  const reviewForm = useRef<HTMLFormElement>(null)
  const chooseDecision = useRef<ChooseDecision | null>(null)
  const count = c?.answers.length ?? 0
  const shownQuestion = c?.answers[Math.min(answerIndex, count - 1)]?.questionId
  const scoring = useScoring(c, shownQuestion)
  const queue = useReviewQueue(c)
  const next = queue.next
  const opened = c ? c.answers.findIndex((a) => a.questionId === questionId) : -1
  useEffect(() => {
    if (opened >= 0) setAnswerIndex(opened)
  }, [opened])

  useShortcuts(!!c && !help, {
    ' ': () => player.current?.togglePlay(),
    s: () => setSpeed((s) => SPEEDS[(SPEEDS.indexOf(s) + 1) % SPEEDS.length]!),
    j: () => setAnswerIndex((i) => Math.min(i + 1, count - 1)),
    k: () => setAnswerIndex((i) => Math.max(i - 1, 0)),
    ArrowDown: () => scoring.setCriterion((i) => Math.min(i + 1, scoring.criteria - 1)),
    ArrowUp: () => scoring.setCriterion((i) => Math.max(i - 1, 0)),
    '1': () => scoring.score(1),
    '2': () => scoring.score(2),
    '3': () => scoring.score(3),
    '4': () => scoring.score(4),
    '5': () => scoring.score(5),
    r: () => reviewForm.current?.requestSubmit(),
    n: () => next && navigate(href.candidate(next)),
    a: () => chooseDecision.current?.('advance'),
    h: () => chooseDecision.current?.('hold'),
    x: () => chooseDecision.current?.('reject'),
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

  const manager = me.role !== 'reviewer'
  return (
    <>
      <CandidateHeader candidate={c} manager={manager} queue={queue} onHelp={() => setHelp(true)} />
      <ErrorMessage error={detail.error} />
      {/* Watch and score at once: the answer on the left, the scorecard and the decision beside it. */}
      <div className="review-layout">
        <AnswerPanel
          candidate={c}
          index={Math.min(answerIndex, count - 1)}
          onIndex={setAnswerIndex}
          player={player}
          speed={speed}
          onSpeed={setSpeed}
          startAt={opened >= 0 ? { questionId: questionId!, at } : undefined}
          canRetry={manager}
          canDownload={manager && !me.blind}
          onChanged={detail.refetch}
        />
        <aside className="review-aside" aria-label={t.candidate.scoreAndDecide} data-testid="review-aside">
          <Scorecard
            candidate={c}
            formRef={reviewForm}
            scores={scoring.scores}
            setScores={scoring.setScores}
            criterion={scoring.criterion}
            setCriterion={scoring.setCriterion}
            onSaved={detail.refetch}
            questionId={shownQuestion}
            onShowQuestion={(id) => setAnswerIndex(Math.max(0, c.answers.findIndex((a) => a.questionId === id)))}
          />
          {manager && <DecisionPanel candidate={c} onSaved={detail.refetch} chooseRef={chooseDecision} />}
        </aside>
      </div>
      <FollowUps candidate={c} onChanged={detail.refetch} />
      <ReviewList
        reviews={c.reviews}
        hidden={c.hiddenReviews ?? 0}
        questionOf={(name) => {
          const on = c.rubric.find((r) => r.name === name)?.questionId
          return on ? c.answers.findIndex((a) => a.questionId === on) + 1 || undefined : undefined
        }}
      />
      <GuestOpinions opinions={c.guestOpinions ?? []} hidden={c.hiddenGuestOpinions ?? 0} />
      {manager && <AdministrationPanel candidate={c} onChanged={detail.refetch} onErased={() => setErased(true)} />}
      {next && <Prefetch candidateId={next} />}
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
    </>
  )
}
