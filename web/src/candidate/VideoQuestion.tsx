import { useEffect, useRef, useState } from 'react'
import { ApiError, call } from '../shared/api'
import type { SessionQuestion, Take } from '../shared/types'
import { baseType } from '../shared/media'
import { ErrorMessage, Loading, PageHeading, Playback } from '../shared/ui'
import { Capture } from './Capture'
import { useCandidate } from './context'
import { clearPending, loadPending, savePending } from './pending'
import { QuestionProgress } from './Progress'
import { stopFor } from './stops'
import { ask, inLanguage, useLocale } from './locale'
import { LiveUpload, type Sending } from './liveUpload'
import { TakeUpload } from './upload'
import { FormChoice } from './Connection'
import { type Choice, QUALITIES, loadChoice, saveChoice, streamFor } from './quality'

type State =
  | { kind: 'loading' }
  | { kind: 'intro' }
  | { kind: 'starting' }
  | { kind: 'capture'; take: Take }
  | { kind: 'review'; take: Take; blob: Blob; earlier?: boolean }
  | { kind: 'upload'; take: Take; blob: Blob; fraction: number; failed?: unknown; sent?: boolean; secondsLeft?: number }
  | { kind: 'stuck' }

const SENT_PAUSE_MS = 1200

export interface QuestionProps {
  question: SessionQuestion
  index: number
  total: number
  onDone: () => void
  onError: (e: unknown) => void
}

export function VideoQuestion({ question, index, total, stream, onDone, onError, allowAudio = false }: QuestionProps & { stream: MediaStream; allowAudio?: boolean }) {
  const { api, scope, liveUpload } = useCandidate()
  const { t, f } = useLocale()
  const [state, setState] = useState<State>({ kind: 'loading' })
  const [error, setError] = useState<unknown>(null)
  const [takesLeft, setTakesLeft] = useState(question.maxTakes - question.takesUsed)
  const uploader = useRef<Sending | null>(null)
  // The take being recorded, or just recorded, goes while it is made: on send only its completion is left.
  const live = useRef<LiveUpload | null>(null)
  const [resumed, setResumed] = useState(false)
  const online = useOnline()
  const step = <QuestionProgress index={index} total={total} />
  const qid = question.questionId
  // How this invitation records (the device check's choice), changeable before each answer.
  const [choice, setChoice] = useState<Choice>(() => loadChoice(scope) ?? { form: 'standard', kbps: null })
  const [recordFrom, setRecordFrom] = useState<MediaStream>(stream)
  const choose = (next: Choice) => {
    setChoice(next)
    saveChoice(scope, next)
  }

  // An unsent recording from an earlier visit comes first: the candidate may send it as it is.
  useEffect(() => {
    let live = true
    void loadPending(scope, qid).then((pending) => {
      if (!live) return
      if (pending) {
        const form = pending.blob.type.startsWith('audio/') ? ('audio' as const) : choice.form
        const take = { takeId: pending.takeId, form, prompt: pending.prompt, takesLeft: pending.takesLeft, thinkSeconds: question.thinkSeconds, answerSeconds: question.answerSeconds }
        // An upload cut short by a closed tab or a crash continues by itself; an unsent recording waits for a choice.
        if (pending.sending) {
          setResumed(true)
          void send(take, pending.blob, false, true)
        } else setState({ kind: 'review', earlier: true, blob: pending.blob, take })
      } else setState(question.maxTakes - question.takesUsed > 0 ? { kind: 'intro' } : { kind: 'stuck' })
    })
    return () => {
      live = false
    }
    // Once per question: `send` is made again on every render, and an earlier recording is looked for once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scope, qid, question])

  useEffect(
    () => () => {
      uploader.current?.close()
      live.current?.close()
    },
    [],
  )

  /** A take given up (another one is recorded, the recorder failed): its upload is aborted. */
  const discardLive = () => {
    void live.current?.abort()
    live.current = null
  }

  const recordedSlice = (take: Take, chunk: Blob, mimeType: string) => {
    if (!liveUpload) return
    if (live.current?.takeId !== take.takeId) {
      discardLive()
      live.current = new LiveUpload(api, { questionId: qid, takeId: take.takeId }, baseType(mimeType))
    }
    live.current.append(chunk)
  }

  // Closing the tab while recording or sending loses work: let the browser ask first.
  const busy = state.kind === 'capture' || (state.kind === 'upload' && !state.failed)
  useEffect(() => {
    if (!busy) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [busy])

  const failed = (e: unknown) => {
    if (stopFor(e)) onError(e)
    else setError(e)
  }

  const startTake = async () => {
    discardLive()
    setError(null)
    setState({ kind: 'starting' })
    try {
      const body = { form: choice.form, uplinkKbps: choice.kbps }
      const take = await ask(t, api.POST('/api/c/questions/{questionId}/takes', { params: { path: { questionId: qid } }, body }))
      setRecordFrom(await streamFor(stream, QUALITIES[take.form]))
      setTakesLeft(take.takesLeft)
      setState({ kind: 'capture', take })
    } catch (e) {
      setState(takesLeft > 0 ? { kind: 'intro' } : { kind: 'stuck' })
      failed(e)
    }
  }

  const recorded = (take: Take, blob: Blob) => {
    if (live.current?.takeId === take.takeId) live.current.seal(blob)
    setState({ kind: 'review', take, blob })
    void savePending(scope, { questionId: qid, takeId: take.takeId, prompt: take.prompt, takesLeft: take.takesLeft, blob, recordedAt: Date.now() })
  }

  // An earlier page may have finished this upload after all (its last request landed late).
  const answeredMeanwhile = async () => {
    try {
      const session = await call(api.GET('/api/c/session'))
      return session.questions.some((q) => q.questionId === qid && q.answered)
    } catch {
      return false
    }
  }

  const finished = async (take: Take, blob: Blob) => {
    await clearPending(scope, qid)
    // Let the full bar and "Answer sent." be seen before the next question.
    setState({ kind: 'upload', take, blob, fraction: 1, sent: true })
    await new Promise((resolve) => window.setTimeout(resolve, SENT_PAUSE_MS))
    onDone()
  }

  const send = async (take: Take, blob: Blob, again = false, earlier = false) => {
    setError(null)
    setState({ kind: 'upload', take, blob, fraction: 0 })
    // A take recorded on this page and never sent has no upload to look for or to resume.
    const fresh = !(again || earlier || (state.kind === 'review' && state.earlier))
    if (!fresh && (await answeredMeanwhile())) return finished(take, blob)
    void savePending(scope, { questionId: qid, takeId: take.takeId, prompt: take.prompt, takesLeft: take.takesLeft, blob, recordedAt: Date.now(), sending: true })
    // Time left from the pace so far (after the first few percent, when a pace means something).
    const began = performance.now()
    const progress = (fraction: number) => {
      const elapsed = (performance.now() - began) / 1000
      const secondsLeft = fraction > 0.02 && fraction < 1 ? (elapsed / fraction) * (1 - fraction) : undefined
      setState((s) => (s.kind === 'upload' ? { ...s, fraction, secondsLeft, failed: undefined } : s))
    }
    try {
      const ref = { questionId: qid, takeId: take.takeId }
      if (again && uploader.current) await uploader.current.retry()
      else if (fresh && live.current?.takeId === take.takeId) {
        // Uploaded while it was recorded: only what is left goes, then the upload is completed.
        uploader.current?.close()
        const sending = live.current
        uploader.current = sending
        live.current = null
        await sending.finish(blob, progress)
      } else {
        uploader.current?.close()
        // An unfinished upload from an earlier visit: a take uploaded while recorded resumes from its stored parts.
        const state = fresh ? undefined : await call(api.GET('/api/c/questions/{questionId}/takes/{takeId}/upload', { params: { path: ref } }))
        if (state?.uploadId && state.live) {
          const resumed = LiveUpload.resumed(api, ref, blob, state)
          uploader.current = resumed
          await resumed.finish(blob, progress)
        } else {
          const upload = new TakeUpload(api, ref, blob, progress, fresh, state)
          uploader.current = upload
          await upload.start()
        }
      }
      await finished(take, blob)
    } catch (e) {
      if (stopFor(e)) return onError(e)
      if (await answeredMeanwhile()) return finished(take, blob)
      setState({ kind: 'upload', take, blob, fraction: 0, failed: inLanguage(t, e) })
    }
  }

  switch (state.kind) {
    case 'loading':
      return <Loading label={t.loading} />
    case 'stuck':
      return (
        <section className="card stack">
          {step}
          <PageHeading>{t.question.takesNone}</PageHeading>
          <p>{t.question.lostTakes}</p>
        </section>
      )
    case 'intro':
    case 'starting':
      return (
        <section className="card stack" data-testid="question-intro">
          <div>
            {step}
            <PageHeading>{t.question.introTitle}</PageHeading>
            <p>
              {question.thinkSeconds > 0
                ? t.question.videoIntro(f.duration(question.thinkSeconds), f.duration(question.answerSeconds))
                : t.question.noThinkIntro(f.duration(question.answerSeconds))}
            </p>
            {question.hasVideo && <p data-testid="has-video">{t.question.videoQuestion}</p>}
            {question.refused && (
              <p className="notice notice-warn" role="alert" data-testid="refused">
                {t.question.refused(question.refused)}
              </p>
            )}
            <p className="muted">
              {t.question.takesLeft(takesLeft)} {t.question.takeCounts}
            </p>
          </div>
          <FormChoice allowAudio={allowAudio} value={choice.form} recommended={null} onChange={(form) => choose({ ...choice, form, chosen: true })} compact />
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" className="button big" onClick={startTake} disabled={state.kind === 'starting'}>
              {state.kind === 'starting' ? t.question.starting : t.question.start}
            </button>
          </div>
        </section>
      )
    case 'capture':
      return (
        <Capture
          key={state.take.takeId}
          stream={recordFrom}
          quality={QUALITIES[state.take.form]}
          prompt={state.take.prompt}
          video={state.take}
          thinkSeconds={state.take.thinkSeconds}
          answerSeconds={state.take.answerSeconds}
          step={step}
          onRecorded={(blob) => recorded(state.take, blob)}
          onData={(chunk, mimeType) => recordedSlice(state.take, chunk, mimeType)}
          onError={(e) => {
            discardLive()
            setError(new Error(t.question.recorderError))
            console.error(e)
            setState({ kind: 'intro' })
          }}
        />
      )
    case 'review':
      return (
        <section className="card stack" data-testid="review-take">
          <div>
            {step}
            <PageHeading className="question-prompt">{state.take.prompt}</PageHeading>
            {state.earlier && <p className="notice">{t.question.pendingFound}</p>}
          </div>
          <h2>{t.question.review}</h2>
          <Playback blob={state.blob} label={t.question.playbackLabel} />
          <ErrorMessage error={error} />
          <p className="muted" role="status">
            {takesLeft > 0 ? t.question.retakeLeft(takesLeft) : t.question.noRetake}
          </p>
          <div className="actions">
            <button type="button" className="button big" onClick={() => void send(state.take, state.blob)}>
              {t.question.submit}
            </button>
            {takesLeft > 0 && (
              <button type="button" className="button secondary big" onClick={startTake}>
                {t.question.retake}
              </button>
            )}
          </div>
        </section>
      )
    case 'upload': {
      const pct = Math.round(state.fraction * 100)
      return (
        <section className="card stack" data-testid="upload">
          <div>
            {step}
            <PageHeading>{t.question.uploading}</PageHeading>
          </div>
          <progress className="progress" max={100} value={pct} aria-label={t.question.uploadLabel} data-testid="upload-progress" />
          <p role="status" aria-atomic="true" data-testid="upload-status">
            {state.failed
              ? t.question.uploadFailed
              : state.sent
                ? t.question.uploadDone
                : state.secondsLeft !== undefined
                  ? t.question.progressTimeLeft(f.percent(pct / 100), f.duration(Math.max(1, Math.ceil(state.secondsLeft))))
                  : t.question.progress(f.percent(pct / 100))}
          </p>
          {!online && !state.sent && (
            <p className="notice notice-warn" data-testid="offline">
              {t.question.offline}
            </p>
          )}
          {resumed && !state.sent && !state.failed && <p className="muted">{t.question.resuming}</p>}
          {state.failed ? (
            <>
              <p className="muted">{t.question.uploadHint}</p>
              {/* The server's messages are written for people; the storage's raw errors are not. */}
              {state.failed instanceof ApiError && <ErrorMessage error={state.failed} />}
              <div className="actions">
                <button type="button" className="button big" onClick={() => void send(state.take, state.blob, true)}>
                  {t.question.uploadRetry}
                </button>
              </div>
            </>
          ) : (
            !state.sent && <p className="muted">{t.question.keepOpen}</p>
          )}
        </section>
      )
    }
  }
}

/** Whether the browser believes it is online (the uploader pauses while it is not). */
function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine)
  useEffect(() => {
    const on = () => setOnline(true)
    const off = () => setOnline(false)
    window.addEventListener('online', on)
    window.addEventListener('offline', off)
    return () => {
      window.removeEventListener('online', on)
      window.removeEventListener('offline', off)
    }
  }, [])
  return online
}
