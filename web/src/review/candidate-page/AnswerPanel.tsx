/** The candidate's answers, one at a time: the question, its state, and the recording, text or failure. */
import type { Ref } from 'react'
import { ScreeningNote } from '../ScreeningFields'
import type { CandidateDetail } from '../../shared/types'
import { t } from '../strings'
import { type PlayerControls, VideoAnswer } from '../VideoAnswer'
import { AnswerTiming } from './AnswerTiming'
import { DownloadAnswer } from './DownloadAnswer'
import { FailedAnswer } from './FailedAnswer'
import { TimedNotes } from './TimedNotes'

interface AnswerPanelProps {
  candidate: CandidateDetail
  /** The answer shown, already within the answers' range. */
  index: number
  onIndex: (i: number) => void
  player: Ref<PlayerControls>
  speed: number
  onSpeed: (speed: number) => void
  /** Where the page was opened: this answer plays from this second. */
  startAt?: { questionId: string; at?: number }
  canRetry: boolean
  /** A manager who sees the candidate may save an answer's video (audited). */
  canDownload: boolean
  onChanged: () => Promise<unknown>
}

export function AnswerPanel({ candidate: c, index: i, onIndex, player, speed, onSpeed, startAt, canRetry, canDownload, onChanged }: AnswerPanelProps) {
  const count = c.answers.length
  const a = c.answers[i]
  return (
    <section aria-labelledby="answers-title" className="section">
      <div className="row spread">
        <h2 id="answers-title">{t.candidate.answers}</h2>
        {count > 1 && (
          <nav className="row" aria-label={t.candidate.answerNav}>
            <button type="button" className="button secondary small" onClick={() => onIndex(Math.max(i - 1, 0))} disabled={i === 0} aria-keyshortcuts="k">
              {t.candidate.previousAnswer}
            </button>
            <span className="muted small" data-testid="answer-position">
              {t.candidate.answerOf(i + 1, count)}
            </span>
            <button type="button" className="button secondary small" onClick={() => onIndex(Math.min(i + 1, count - 1))} disabled={i === count - 1} aria-keyshortcuts="j">
              {t.candidate.nextAnswer}
            </button>
          </nav>
        )}
      </div>
      {!a && <p className="empty">{t.candidate.noAnswers}</p>}
      {a && (
        <div className="card answer" data-testid="answer" data-question-id={a.questionId} data-status={a.status} data-follow-up={a.followUp ? a.followUp.round : undefined}>
          <div className="answer-head">
            <h3>
              {a.followUp ? (
                <span className="muted small">
                  <span className="badge badge-follow-up" data-testid="follow-up-badge">
                    {t.candidate.followUpBadge}
                  </span>{' '}
                  {t.candidate.followUpQuestion(a.followUp.round, followUpNumber(c, i))}
                </span>
              ) : (
                <span className="muted small">{t.candidate.question(i + 1)}</span>
              )}
              <span className="prompt">{a.prompt}</span>
            </h3>
            <span className={`badge badge-answer-${a.status}`}>{t.answerStatus[a.status] ?? a.status}</span>
          </div>
          {a.followUp?.questionVideo?.videoUrl && (
            <details className="follow-up-question-video" data-testid="answer-question-video">
              <summary>{t.candidate.followUps.askedAsVideo}</summary>
              <div className="stage follow-up-question-stage">
                <video
                  className="playback"
                  controls
                  playsInline
                  preload="metadata"
                  crossOrigin="anonymous"
                  src={a.followUp.questionVideo.videoUrl}
                  poster={a.followUp.questionVideo.posterUrl ?? undefined}
                  aria-label={t.candidate.followUps.askedAsVideo}
                >
                  {a.followUp.questionVideo.captionsUrl && (
                    <track kind="captions" src={a.followUp.questionVideo.captionsUrl} srcLang="en" label={t.candidate.captions} default />
                  )}
                </video>
              </div>
            </details>
          )}
          {a.refused && (
            <p className="notice notice-warn" data-testid="answer-refused">
              {t.candidate.refusedNote(a.refused)}
            </p>
          )}
          <AnswerTiming answer={a} />
          {a.kind !== 'video' ? (
            a.text ? (
              <>
                <blockquote className="text-answer" aria-label={t.candidate.writtenAnswer}>
                  {a.text}
                </blockquote>
                <ScreeningNote answer={a} />
              </>
            ) : (
              <p className="muted">{t.candidate.pendingNote}</p>
            )
          ) : a.status === 'ready' && (a.videoUrl || a.audioUrl || c.blind) ? (
            <VideoAnswer
              key={a.questionId}
              ref={player}
              answer={a}
              index={i + 1}
              speed={speed}
              onSpeed={onSpeed}
              startAt={startAt?.questionId === a.questionId ? startAt.at : undefined}
              below={(now, seek, length) => (
                <>
                  {canDownload && (a.videoUrl || (a.form === 'audio' && a.audioUrl)) && (
                    <div className="row">
                      <DownloadAnswer candidateId={c.candidateId} questionId={a.questionId} index={i + 1} audio={a.form === 'audio'} />
                    </div>
                  )}
                  <TimedNotes
                    candidateId={c.candidateId}
                    questionId={a.questionId}
                    notes={c.notes ?? []}
                    now={now}
                    seek={seek}
                    length={length}
                    onChanged={onChanged}
                  />
                </>
              )}
            />
          ) : a.status === 'failed' ? (
            // A refused upload (said above) left nothing to process again.
            a.refused ? null : <FailedAnswer candidateId={c.candidateId} questionId={a.questionId} failure={a.failure} canRetry={canRetry} onRetried={onChanged} />
          ) : a.status === 'pending' ? (
            <p className="muted">{t.candidate.pendingNote}</p>
          ) : (
            <p className="muted">{t.candidate.processingNote}</p>
          )}
        </div>
      )}
    </section>
  )
}

/** A follow-up answer's place in its round (1, 2, 3). */
function followUpNumber(c: CandidateDetail, i: number): number {
  const round = c.answers[i]?.followUp?.round
  return c.answers.slice(0, i + 1).filter((a) => a.followUp?.round === round).length
}
