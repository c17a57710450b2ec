import { forwardRef, type ReactNode, useEffect, useId, useImperativeHandle, useRef, useState } from 'react'
import { clock, duration } from '../shared/i18n'
import type { Answer } from '../shared/types'
import { t } from './strings'
import { Waveform } from './Waveform'

export const SPEEDS = [1, 1.25, 1.5, 2]

/** What the page's keyboard shortcuts drive. */
export interface PlayerControls {
  togglePlay: () => void
}

interface Cue {
  start: number
  end: number
  text: string
}

/** WebVTT cues (the pipeline's captions): timestamps and text, nothing fancier is ever written. */
export function parseVtt(text: string): Cue[] {
  const time = (s: string) => {
    const parts = s.trim().split(':').map(Number)
    return parts.reduce((acc, p) => acc * 60 + p, 0)
  }
  const cues: Cue[] = []
  for (const block of text.replace(/\r/g, '').split(/\n\n+/)) {
    const lines = block.split('\n')
    const i = lines.findIndex((l) => l.includes('-->'))
    if (i < 0) continue
    const [from, to] = lines[i]!.split('-->')
    const body = lines.slice(i + 1).join(' ').trim()
    if (from && to && body) cues.push({ start: time(from), end: time(to.trim().split(/\s+/)[0]!), text: body })
  }
  return cues
}

/** How the answer was recorded (standard, reduced on a slow connection, sound only), beside every answer. */
export function AnswerForm({ answer }: { answer: Answer }) {
  if (!answer.form) return null
  const slow = answer.uplinkKbps != null && answer.uplinkKbps < 2000 ? t.candidate.mbps(answer.uplinkKbps) : null
  const text = answer.form === 'audio' ? t.candidate.formAudio(slow) : answer.form === 'reduced' ? t.candidate.formReduced(slow) : t.candidate.formStandard
  return (
    <p className={answer.form === 'standard' ? 'answer-form muted small' : 'answer-form notice'} data-testid="answer-form" data-form={answer.form}>
      {text}
      {answer.form !== 'standard' && ` ${t.candidate.formFair}`}
    </p>
  )
}

/**
 * A ready answer: the player (captions, poster, speeds) and the transcript beside it, whose current cue is
 * highlighted and whose cues seek on click. In blind review the API sends only an audio source: it plays in
 * an audio element, so no picture of the candidate ever reaches the screen.
 */
interface VideoAnswerProps {
  answer: Answer
  index: number
  speed: number
  onSpeed: (s: number) => void
  /** Whose answer, when several are on one page (Compare): it names the transcript apart from the others. */
  who?: string
  /** The transcript's heading level: one below the heading the player sits under. */
  headingLevel?: 3 | 4
  /** Start here, in seconds (a transcript search's hit). */
  startAt?: number
  /** What goes under the player and follows it: the timeline of notes (the current second, a seek, the length). */
  below?: (now: number, seek: (s: number) => void, length: number) => ReactNode
}

export const VideoAnswer = forwardRef<PlayerControls, VideoAnswerProps>(
  function VideoAnswer({ answer, index, speed, onSpeed, who, headingLevel = 4, startAt, below }, ref) {
    const media = useRef<HTMLVideoElement & HTMLAudioElement>(null)
    const [cues, setCues] = useState<Cue[]>([])
    const [now, setNow] = useState(0)
    const [length, setLength] = useState(answer.durationSeconds ?? 0)
    // Blind review: the API sends an audio-only rendition and no URL of the picture (none at all for
    // answers processed before audio-only renditions existed: their transcript stands alone).
    const blind = !answer.videoUrl
    // A sound-only answer (the candidate's choice on a slow connection): its waveform stands for the picture.
    const soundOnly = answer.form === 'audio'

    useImperativeHandle(ref, () => ({
      togglePlay: () => {
        const m = media.current
        if (!m) return
        if (m.paused) void m.play().catch(() => undefined)
        else m.pause()
      },
    }))

    // A reload of the page data gives fresh presigned URLs; keep the chosen speed on the element.
    useEffect(() => {
      if (media.current) media.current.playbackRate = speed
    }, [speed, answer.videoUrl, answer.audioUrl])

    useEffect(() => {
      setCues([])
      if (!answer.captionsUrl) return
      let live = true
      fetch(answer.captionsUrl)
        .then((r) => (r.ok ? r.text() : ''))
        .then((text) => live && setCues(parseVtt(text)))
        .catch(() => undefined)
      return () => {
        live = false
      }
    }, [answer.captionsUrl])

    const seek = (s: number) => {
      if (!media.current) return
      media.current.currentTime = s
      void media.current.play().catch(() => undefined)
    }
    const transcriptId = `transcript-${useId().replace(/:/g, '')}`
    const Heading = headingLevel === 3 ? 'h3' : 'h4'
    const started = useRef(false)
    const common = {
      ref: media,
      controls: true,
      crossOrigin: 'anonymous' as const,
      preload: 'metadata',
      'aria-describedby': transcriptId,
      onLoadedMetadata: (e: { currentTarget: HTMLMediaElement }) => {
        e.currentTarget.playbackRate = speed
        if (Number.isFinite(e.currentTarget.duration) && e.currentTarget.duration > 0) setLength(e.currentTarget.duration)
        if (startAt != null && !started.current) {
          started.current = true
          e.currentTarget.currentTime = startAt
          setNow(startAt)
        }
      },
      onTimeUpdate: (e: { currentTarget: HTMLMediaElement }) => setNow(e.currentTarget.currentTime),
    }
    return (
      <div className="video-answer">
        <div className="player">
          {blind ? (
            <div className="audio-only">
              {answer.audioUrl ? (
                <>
                  {!soundOnly && <p className="muted small">{t.candidate.audioOnly}</p>}
                  {soundOnly && (
                    <Waveform src={answer.audioUrl} now={now} length={length} onSeek={seek} label={t.candidate.waveform(index)} />
                  )}
                  {soundOnly && (
                    <p className="audio-caption" aria-hidden="true" data-testid="audio-caption">
                      {cues.find((c) => now >= c.start && now < c.end)?.text ?? '\u00a0'}
                    </p>
                  )}
                  <audio {...common} src={answer.audioUrl} aria-label={t.candidate.audio(index)} data-testid="answer-audio" />
                </>
              ) : (
                <p className="muted small" data-testid="no-audio">
                  {t.candidate.noAudio}
                </p>
              )}
            </div>
          ) : (
            <video
              {...common}
              playsInline
              poster={answer.posterUrl ?? undefined}
              src={answer.videoUrl ?? undefined}
              aria-label={t.candidate.video(index)}
              data-testid="answer-video"
            >
              {answer.captionsUrl && <track kind="captions" src={answer.captionsUrl} srcLang="en" label={t.candidate.captions} default />}
            </video>
          )}
          <div className="speed" role="group" aria-label={t.candidate.speed}>
            <span className="muted small" aria-hidden="true">
              {t.candidate.speed}
            </span>
            {SPEEDS.map((s) => (
              <button key={s} type="button" className="button secondary small" aria-pressed={speed === s} onClick={() => onSpeed(s)}>
                {`${s}x`}
              </button>
            ))}
            {answer.durationSeconds != null && <span className="muted small">{t.candidate.duration(duration(answer.durationSeconds))}</span>}
          </div>
          <AnswerForm answer={answer} />
          {below?.(now, seek, length)}
        </div>
        <section className="transcript" aria-label={who ? t.candidate.transcriptOf(who) : t.candidate.transcript} id={transcriptId} data-testid="transcript" tabIndex={0}>
          <Heading>{t.candidate.transcript}</Heading>
          {cues.length > 0 ? (
            <ol className="cues">
              {cues.map((c, i) => {
                const current = now >= c.start && now < c.end
                return (
                  <li key={i}>
                    <button
                      type="button"
                      className={`cue${current ? ' cue-current' : ''}`}
                      aria-current={current ? 'true' : undefined}
                      data-testid="cue"
                      onClick={() => seek(c.start)}
                    >
                      <span className="cue-time">{clock(c.start)}</span> {c.text}
                    </button>
                  </li>
                )
              })}
            </ol>
          ) : answer.transcript ? (
            <p>{answer.transcript}</p>
          ) : (
            <p className="muted">{t.candidate.noTranscript}</p>
          )}
        </section>
      </div>
    )
  },
)
