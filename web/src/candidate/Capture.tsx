import { type ReactNode, useEffect, useRef, useState } from 'react'
import { Recording, pickAudioMimeType, pickMimeType, useMicLevel } from '../shared/media'
import { Icon } from '../shared/ui'
import { useLocale } from './locale'
import type { RecordingQuality } from './quality'

/** Seconds left of `total` while `running`; calls `onEnd` once at zero. */
function useCountdown(total: number, running: boolean, onEnd: () => void): number {
  const [left, setLeft] = useState(total)
  const end = useRef(onEnd)
  end.current = onEnd
  useEffect(() => {
    if (!running) return
    const started = performance.now()
    setLeft(total)
    let done = false
    const id = window.setInterval(() => {
      const remaining = total - (performance.now() - started) / 1000
      setLeft(Math.max(0, remaining))
      if (remaining <= 0 && !done) {
        done = true
        window.clearInterval(id)
        end.current()
      }
    }, 200)
    return () => window.clearInterval(id)
  }, [total, running])
  return left
}

/** What a screen reader hears: the phase, then the time left every 30 s and in the last 10 s (not every tick). */
function spoken(left: number): number {
  return left <= 10 ? Math.ceil(left) : Math.ceil(left / 30) * 30
}

/** The recruiter's question video, when the question comes as one (presigned links). */
export interface QuestionVideoLinks {
  videoUrl?: string | null
  posterUrl?: string | null
  captionsUrl?: string | null
}

export interface CaptureProps {
  stream: MediaStream
  prompt: string
  video?: QuestionVideoLinks
  thinkSeconds: number
  answerSeconds: number
  /** Where the candidate is ("Question 1 of 3" and its bar, or the practice's title). */
  step: ReactNode
  onRecorded: (blob: Blob) => void
  /** Each slice of the recording as it comes (the take's upload goes while it is recorded). */
  onData?: (chunk: Blob, mimeType: string) => void
  onError: (error: unknown) => void
  /** The form chosen for this take (standard video when none): its bitrates, and sound only without a picture. */
  quality?: RecordingQuality
}

/**
 * The question (its video first, when it has one: think time starts when the video ends or the candidate
 * moves on), then think time with the question on screen, then a recording with a hard time limit.
 */
export function Capture({ stream, prompt, video, thinkSeconds, answerSeconds, step, onRecorded, onData, onError, quality }: CaptureProps) {
  const audioOnly = !!quality && !quality.video
  const level = useMicLevel(audioOnly ? stream : null)
  const { t, f, lang } = useLocale()
  const afterVideo = thinkSeconds > 0 ? 'think' : 'record'
  const [phase, setPhase] = useState<'watch' | 'think' | 'record' | 'saving'>(video?.videoUrl ? 'watch' : afterVideo)
  const recording = useRef<Recording | null>(null)
  const preview = useRef<HTMLVideoElement>(null)
  const primary = useRef<HTMLButtonElement>(null)
  const slice = useRef(onData)
  slice.current = onData

  useEffect(() => {
    if (preview.current) preview.current.srcObject = stream
  }, [stream, phase])

  const stop = async () => {
    const current = recording.current
    if (!current) return
    recording.current = null
    setPhase('saving')
    try {
      onRecorded(await current.stop())
    } catch (e) {
      onError(e)
    }
  }

  useEffect(() => {
    if (phase !== 'record') return
    try {
      const bits = quality && { video: quality.video?.bitsPerSecond, audio: quality.audioBitsPerSecond }
      recording.current = new Recording(stream, audioOnly ? pickAudioMimeType() : pickMimeType(), bits, (chunk, mimeType) => slice.current?.(chunk, mimeType))
    } catch (e) {
      onError(e)
    }
    return () => {
      // Leaving mid-recording (unmount): stop the recorder, drop the clip.
      void recording.current?.stop().catch(() => undefined)
      recording.current = null
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phase, stream])

  // Keep the keyboard on the button that matters: Space or Enter skips thinking, or stops.
  useEffect(() => primary.current?.focus(), [phase])

  const thinkLeft = useCountdown(thinkSeconds, phase === 'think', () => setPhase('record'))
  const answerLeft = useCountdown(answerSeconds, phase === 'record', () => void stop())
  const left = phase === 'think' ? thinkLeft : answerLeft
  // A visible warning before the end: the last 10 seconds, or the last third of a short answer.
  const warnAt = Math.min(10, Math.ceil(answerSeconds / 3))
  const ending = phase === 'record' && answerLeft > 0 && answerLeft <= warnAt
  const total = phase === 'think' ? thinkSeconds : answerSeconds

  if (phase === 'watch')
    return (
      <section className="card stack" data-testid="capture" data-phase={phase}>
        <div>
          {step}
          <h1 className="question-prompt" data-testid="question-prompt">
            {prompt}
          </h1>
        </div>
        <div className="stage">
          <video
            className="playback"
            controls
            autoPlay
            playsInline
            crossOrigin="anonymous"
            src={video?.videoUrl ?? undefined}
            poster={video?.posterUrl ?? undefined}
            aria-label={t.question.questionVideo}
            data-testid="question-video"
            onEnded={() => setPhase(afterVideo)}
          >
            {video?.captionsUrl && <track kind="captions" src={video.captionsUrl} srcLang={lang} label={t.question.captions} default />}
          </video>
        </div>
        <p className="visually-hidden" role="status">
          {t.question.watching}
        </p>
        <div className="actions">
          <button ref={primary} type="button" className="button big" onClick={() => setPhase(afterVideo)} aria-describedby="watch-hint">
            {t.question.watched(thinkSeconds > 0)}
          </button>
        </div>
        <p className="muted small" id="watch-hint">
          {t.question.watchHint}
        </p>
      </section>
    )

  return (
    <section className="card stack" data-testid="capture" data-phase={phase}>
      <div>
        {step}
        <h1 className="question-prompt" data-testid="question-prompt">
          {prompt}
        </h1>
      </div>

      <div className={audioOnly ? 'stage audio-stage' : 'stage'} data-testid={audioOnly ? 'audio-stage' : undefined}>
        {audioOnly ? (
          <div className="audio-stage-label">
            <Icon name="mic" size={36} />
            <p>{t.connection.audioStage}</p>
            <meter className="meter" min={0} max={1} value={level} aria-hidden="true" />
          </div>
        ) : (
          <video ref={preview} className="mirror" autoPlay muted playsInline aria-hidden="true" />
        )}
        {phase === 'record' && (
          <div className="stage-overlay" aria-hidden="true">
            <span className="rec-dot">{f.clock(answerLeft)}</span>
          </div>
        )}
      </div>

      <div className="countdown-row">
        <div>
          <div className="muted small" aria-hidden="true">
            {phase === 'think' ? t.question.thinking : t.question.recording}
          </div>
          <div className="countdown" aria-hidden="true" data-testid="countdown">
            {f.clock(left)}
          </div>
          <p className="visually-hidden" role="status" aria-atomic="true">
            {phase === 'think'
              ? t.question.thinkingLeft(f.duration(spoken(thinkLeft)))
              : phase === 'record'
                ? t.question.recordingLeft(f.duration(spoken(answerLeft)))
                : t.question.saving}
          </p>
        </div>
        {phase === 'think' ? (
          <button ref={primary} type="button" className="button record big" onClick={() => setPhase('record')}>
            {t.question.recordNow}
          </button>
        ) : (
          <button ref={primary} type="button" className="button record big" onClick={() => void stop()} disabled={phase === 'saving'} aria-keyshortcuts="Space">
            <span aria-hidden="true">■</span> {t.question.stop}
          </button>
        )}
      </div>
      {ending && (
        <p className="notice notice-warn" data-testid="ending-soon">
          {t.question.endingSoon(f.duration(Math.ceil(answerLeft)))}
        </p>
      )}
      <div className={`timebar${phase === 'record' ? ' recording' : ''}${ending ? ' ending' : ''}`} aria-hidden="true">
        <span style={{ width: `${total ? (100 * left) / total : 0}%` }} />
      </div>
      <p className="kbd-hint">
        {phase === 'record' ? t.question.stopHint : null} {t.question.keyHint} <kbd>{t.question.keySpace}</kbd>{' '}
        {phase === 'think' ? t.question.keyRecordNow : t.question.keyStop}
      </p>
    </section>
  )
}

