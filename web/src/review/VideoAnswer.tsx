import { useEffect, useRef, useState } from 'react'
import { duration } from '../shared/i18n'
import type { Answer } from '../shared/types'
import { t } from './strings'

const SPEEDS = [1, 1.25, 1.5, 2]

/** A ready video answer: player with captions and speed buttons, transcript beside it. */
export function VideoAnswer({ answer, index }: { answer: Answer; index: number }) {
  const video = useRef<HTMLVideoElement>(null)
  const [speed, setSpeed] = useState(1)

  // A reload of the page data gives fresh presigned URLs; keep the chosen speed on the element.
  useEffect(() => {
    if (video.current) video.current.playbackRate = speed
  }, [speed, answer.videoUrl])

  const transcriptId = `transcript-${answer.questionId}`
  return (
    <div className="video-answer">
      <div className="player">
        <video
          ref={video}
          controls
          crossOrigin="anonymous"
          preload="metadata"
          playsInline
          poster={answer.posterUrl ?? undefined}
          src={answer.videoUrl ?? undefined}
          aria-label={t.candidate.video(index)}
          aria-describedby={transcriptId}
          data-testid="answer-video"
          onLoadedMetadata={(e) => (e.currentTarget.playbackRate = speed)}
        >
          {answer.captionsUrl && <track kind="captions" src={answer.captionsUrl} srcLang="en" label={t.candidate.captions} default />}
        </video>
        <div className="speed" role="group" aria-label={t.candidate.speed}>
          <span className="muted small" aria-hidden="true">
            {t.candidate.speed}
          </span>
          {SPEEDS.map((s) => (
            <button key={s} type="button" className="button secondary small" aria-pressed={speed === s} onClick={() => setSpeed(s)}>
              {`${s}x`}
            </button>
          ))}
          {answer.durationSeconds != null && <span className="muted small">{t.candidate.duration(duration(answer.durationSeconds))}</span>}
        </div>
      </div>
      <section className="transcript" aria-label={t.candidate.transcript} id={transcriptId} data-testid="transcript" tabIndex={0}>
        <h4>{t.candidate.transcript}</h4>
        {answer.transcript ? <p>{answer.transcript}</p> : <p className="muted">{t.candidate.noTranscript}</p>}
      </section>
    </div>
  )
}
