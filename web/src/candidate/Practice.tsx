import { useState } from 'react'
import { PageHeading, Playback } from '../shared/ui'
import { Capture } from './Capture'
import { useLocale } from './locale'

const THINK_SECONDS = 5
const ANSWER_SECONDS = 20

/** A recording that never leaves the device, to get used to the controls. */
export function Practice({ stream, onDone }: { stream: MediaStream; onDone: () => void }) {
  const { t } = useLocale()
  const [phase, setPhase] = useState<'intro' | 'capture' | 'review'>('intro')
  const [blob, setBlob] = useState<Blob | null>(null)
  const [round, setRound] = useState(0)
  const [failed, setFailed] = useState(false)

  if (phase === 'capture')
    return (
      <Capture
        key={round}
        stream={stream}
        prompt={t.practice.prompt}
        thinkSeconds={THINK_SECONDS}
        answerSeconds={ANSWER_SECONDS}
        step={<p className="step-label">{t.practice.title}</p>}
        onRecorded={(b) => {
          setBlob(b)
          setPhase('review')
        }}
        onError={() => {
          setFailed(true)
          setPhase('intro')
        }}
      />
    )

  return (
    <section className="card stack" data-testid="practice">
      <div>
        <p className="step-label">{t.practice.title}</p>
        <PageHeading>{phase === 'review' ? t.question.review : t.practice.title}</PageHeading>
        <p>{phase === 'review' ? t.practice.done : t.practice.intro}</p>
      </div>
      {failed && (
        <p className="notice notice-error" role="alert">
          {t.question.recorderError}
        </p>
      )}
      {phase === 'review' && blob && <Playback blob={blob} label={t.question.playbackLabel} />}
      <div className="actions">
        {phase === 'review' ? (
          <>
            <button type="button" className="button big" onClick={onDone}>
              {t.practice.begin}
            </button>
            <button
              type="button"
              className="button secondary big"
              onClick={() => {
                setRound((r) => r + 1)
                setPhase('capture')
              }}
            >
              {t.practice.again}
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button big" onClick={() => setPhase('capture')}>
              {t.practice.start}
            </button>
            <button type="button" className="button secondary big" onClick={onDone}>
              {t.practice.skip}
            </button>
          </>
        )}
      </div>
    </section>
  )
}
