/**
 * A question video in the builder: record it with the camera, watch it back, record again or discard it,
 * or upload a video file; send it (presigned multipart to a key the server chose), then follow the pipeline
 * until it is ready with captions. The question keeps the video's id; the interview's Save stores it. A new
 * interview has a draft's id from the start, so videos can be added before its first save. A follow-up question's
 * video (``candidateId``) goes the same way to the candidate's own key, and the round's Ask names it.
 */
import { type ChangeEvent, useEffect, useRef, useState } from 'react'
import { type Api, ApiError, call } from '../shared/api'
import { clock } from '../shared/i18n'
import { CameraError, Recording, baseType, checkSupport, openCamera, pickMimeType, stopStream, supported } from '../shared/media'
import type { ResponseOf } from '../shared/types'
import { ErrorMessage, Playback, useInterval } from '../shared/ui'
import { LocalError, humanError } from './errors'
import { t } from './strings'

export type QuestionMedia = ResponseOf<'/api/interviews/{interviewId}/question-media/{mediaId}', 'get'>

// The server refuses longer question videos (service/question_media.py MAX_SECONDS).
const MAX_SECONDS = 300
const POLL_MS = 1500
// The video types the server takes (domain/keys.py CONTENT_TYPES), by file name when the browser names no type.
const FILE_TYPES: Record<string, string> = { mp4: 'video/mp4', m4v: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', mkv: 'video/x-matroska' }

function videoType(file: File): string | null {
  const named = baseType(file.type || 'none')
  if (Object.values(FILE_TYPES).includes(named)) return named
  return FILE_TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''] ?? null
}

type State =
  | { kind: 'idle' }
  | { kind: 'camera'; stream: MediaStream }
  | { kind: 'recording'; stream: MediaStream; recording: Recording; started: number }
  | { kind: 'recorded'; blob: Blob }
  | { kind: 'uploading'; blob: Blob; fraction: number; file?: string }

/** What a video's controls are called: a question's (by its number), or the interview's welcome or closing video. */
interface VideoNames {
  recordFor: string
  uploadFor: string
  removeFor: string
  player: string
}

function questionNames(n: number): VideoNames {
  return { recordFor: t.questionVideo.recordFor(n), uploadFor: t.questionVideo.uploadFor(n), removeFor: t.questionVideo.removeFor(n), player: t.questionVideo.player(n) }
}

interface Props {
  api: Api
  interviewId: string | undefined
  /** The question's number; or the welcome or closing video (``slot``). */
  index: number
  slot?: 'intro' | 'closing'
  media: QuestionMedia | undefined
  onChange: (media: QuestionMedia | undefined) => void
  /** A follow-up question's video, asked of this candidate alone (then ``interviewId`` is not used). */
  candidateId?: string
}

/** Whose video it is: an interview's (or its draft's), or one candidate's follow-up question's. */
type Owner = { interviewId: string } | { candidateId: string }

export function QuestionVideo({ api, interviewId, index, slot, media, onChange, candidateId }: Props) {
  const names = slot ? t.greetingVideo[slot] : questionNames(index)
  const owner: Owner | undefined = candidateId ? { candidateId } : interviewId ? { interviewId } : undefined
  const [state, setState] = useState<State>({ kind: 'idle' })
  const [error, setError] = useState<unknown>(null)
  const live = useRef<HTMLVideoElement>(null)
  const stream = state.kind === 'camera' || state.kind === 'recording' ? state.stream : null
  const id = `qv-${slot ?? index}`

  useEffect(() => {
    if (live.current && stream) live.current.srcObject = stream
  }, [stream])
  // The camera goes off when the recorder closes or the form goes away.
  useEffect(() => () => stopStream(stream), [stream])

  // Follow the pipeline until the video is ready (or failed).
  const pending = media && (media.status === 'uploading' || media.status === 'processing')
  useInterval(
    () => {
      if (!owner || !media) return
      void fetchQuestionVideo(api, owner, media.mediaId)
        .then((fresh) => fresh.status !== media.status && onChange(fresh))
        .catch(setError)
    },
    pending ? POLL_MS : null,
  )

  const openRecorder = async () => {
    setError(null)
    if (!supported(checkSupport())) return setError(new LocalError(t.questionVideo.unsupported))
    try {
      setState({ kind: 'camera', stream: await openCamera() })
    } catch (e) {
      const problem = e instanceof CameraError ? e.problem : 'failed'
      setError(new LocalError({ denied: t.questionVideo.denied, notFound: t.questionVideo.notFound, busy: t.questionVideo.busy, failed: t.questionVideo.cameraFailed }[problem]))
      setState({ kind: 'idle' })
    }
  }

  const start = () => {
    if (state.kind !== 'camera') return
    try {
      setState({ kind: 'recording', stream: state.stream, recording: new Recording(state.stream, pickMimeType()), started: performance.now() })
    } catch (e) {
      setError(e)
    }
  }

  const stop = async () => {
    if (state.kind !== 'recording') return
    const blob = await state.recording.stop()
    stopStream(state.stream)
    setState({ kind: 'recorded', blob })
  }

  const send = async (blob: Blob) => {
    if (!owner) return
    setError(null)
    setState({ kind: 'uploading', blob, fraction: 0 })
    try {
      const sent = await uploadQuestionVideo(api, owner, blob, (fraction) => setState({ kind: 'uploading', blob, fraction }))
      setState({ kind: 'idle' })
      onChange(sent)
    } catch (e) {
      setError(e)
      setState({ kind: 'recorded', blob })
    }
  }

  const fileInput = useRef<HTMLInputElement>(null)
  const sendFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    e.target.value = '' // the same file may be chosen again after a failure
    if (!file || !owner) return
    const type = videoType(file)
    if (!type) return setError(new LocalError(t.questionVideo.wrongType))
    const blob = file.type === type ? file : new Blob([file], { type })
    setError(null)
    setState({ kind: 'uploading', blob, fraction: 0, file: file.name })
    try {
      const sent = await uploadQuestionVideo(api, owner, blob, (fraction) => setState({ kind: 'uploading', blob, fraction, file: file.name }))
      setState({ kind: 'idle' })
      onChange(sent)
    } catch (err) {
      setError(err)
      setState({ kind: 'idle' })
    }
  }

  const cancel = () => {
    if (state.kind === 'recording') void state.recording.stop().catch(() => undefined)
    setState({ kind: 'idle' })
  }

  return (
    <div className="question-video stack" data-testid="question-video">
      <p className="help" id={`${id}-help`}>
        {!owner ? t.questionVideo.saveFirst : slot ? t.greetingVideo[`${slot}Help`] : candidateId ? t.questionVideo.followUpHelp : t.questionVideo.help}
      </p>
      {(state.kind === 'camera' || state.kind === 'recording') && (
        <>
          <div className="stage">
            <video ref={live} className="mirror" autoPlay muted playsInline aria-label={t.questionVideo.preview} />
            {state.kind === 'recording' && <RecordingClock started={state.started} onLimit={() => void stop()} />}
          </div>
          <div className="row wrap">
            {state.kind === 'camera' ? (
              <button type="button" className="button record" onClick={start}>
                {t.questionVideo.start}
              </button>
            ) : (
              <button type="button" className="button record" onClick={() => void stop()}>
                <span aria-hidden="true">■</span> {t.questionVideo.stop}
              </button>
            )}
            <button type="button" className="button secondary" onClick={cancel}>
              {t.questionVideo.cancel}
            </button>
          </div>
        </>
      )}
      {(state.kind === 'recorded' || state.kind === 'uploading') && (
        <>
          {state.kind === 'uploading' && state.file ? (
            <p className="muted small">{state.file}</p>
          ) : (
            <>
              <p className="muted small">{t.questionVideo.review}</p>
              <Playback blob={state.blob} label={t.questionVideo.review} testId="question-video-recorded" />
            </>
          )}
          {state.kind === 'uploading' ? (
            <p role="status" data-testid="question-video-status">
              {t.questionVideo.uploading(Math.round(state.fraction * 100))}
            </p>
          ) : (
            <div className="row wrap">
              <button type="button" className="button" onClick={() => void send(state.blob)}>
                {t.questionVideo.use}
              </button>
              <button type="button" className="button secondary" onClick={() => void openRecorder()}>
                {t.questionVideo.again}
              </button>
              <button type="button" className="button secondary" onClick={() => setState({ kind: 'idle' })}>
                {t.questionVideo.discard}
              </button>
            </div>
          )}
        </>
      )}
      {state.kind === 'idle' && media && <SavedVideo media={media} label={names.player} />}
      {state.kind === 'idle' && (
        <div className="row wrap">
          <button
            type="button"
            className="button secondary small"
            disabled={!owner}
            aria-describedby={`${id}-help`}
            aria-label={media ? undefined : names.recordFor}
            onClick={() => void openRecorder()}
          >
            {media ? t.questionVideo.again : t.questionVideo.record}
          </button>
          <button
            type="button"
            className="button secondary small"
            disabled={!owner}
            aria-label={names.uploadFor}
            aria-describedby={`${id}-file-help`}
            onClick={() => fileInput.current?.click()}
          >
            {t.questionVideo.upload}
          </button>
          <input
            ref={fileInput}
            type="file"
            accept="video/mp4,video/webm,video/quicktime,video/x-matroska,.mp4,.m4v,.webm,.mov,.mkv"
            hidden
            data-testid="question-video-file"
            onChange={(e) => void sendFile(e)}
          />
          {media && (
            <button type="button" className="button secondary small" aria-label={names.removeFor} onClick={() => onChange(undefined)}>
              {t.questionVideo.remove}
            </button>
          )}
        </div>
      )}
      {state.kind === 'idle' && (
        <p className="help" id={`${id}-file-help`}>
          {t.questionVideo.uploadHelp}
        </p>
      )}
      <ErrorMessage error={humanError(error)} />
    </div>
  )
}

/** What the pipeline made of the saved video: its state, then the player with captions. */
function SavedVideo({ media, label }: { media: QuestionMedia; label: string }) {
  if (media.status === 'failed') return <p className="notice notice-warn" role="alert">{t.questionVideo.failed}</p>
  if (media.status !== 'ready')
    return (
      <p role="status" data-testid="question-video-status">
        {t.questionVideo.processing}
      </p>
    )
  return (
    <>
      <p role="status" className="success-text" data-testid="question-video-status">
        {t.questionVideo.ready}
      </p>
      <div className="stage">
        <video
          className="playback"
          controls
          playsInline
          preload="metadata"
          crossOrigin="anonymous"
          src={media.videoUrl ?? undefined}
          poster={media.posterUrl ?? undefined}
          aria-label={label}
          data-testid="question-video-player"
        >
          {media.captionsUrl && <track kind="captions" src={media.captionsUrl} srcLang="en" label={t.questionVideo.captions} default />}
        </video>
      </div>
      {media.transcript && (
        <details>
          <summary>{t.questionVideo.transcript}</summary>
          <p>{media.transcript}</p>
        </details>
      )}
    </>
  )
}

function RecordingClock({ started, onLimit }: { started: number; onLimit: () => void }) {
  const [elapsed, setElapsed] = useState(0)
  const limit = useRef(onLimit)
  limit.current = onLimit
  useEffect(() => {
    const id = window.setInterval(() => {
      const s = (performance.now() - started) / 1000
      setElapsed(s)
      if (s >= MAX_SECONDS) limit.current()
    }, 250)
    return () => window.clearInterval(id)
  }, [started])
  return (
    <div className="stage-overlay">
      <span className="rec-dot" role="status">
        {t.questionVideo.recording(clock(Math.max(0, MAX_SECONDS - elapsed)))}
      </span>
    </div>
  )
}


function fetchQuestionVideo(api: Api, owner: Owner, mediaId: string): Promise<QuestionMedia> {
  if ('candidateId' in owner)
    return call(api.GET('/api/candidates/{candidateId}/follow-up-videos/{mediaId}', { params: { path: { candidateId: owner.candidateId, mediaId } } }))
  return call(api.GET('/api/interviews/{interviewId}/question-media/{mediaId}', { params: { path: { interviewId: owner.interviewId, mediaId } } }))
}

/** Send a recording by presigned multipart upload (the server makes the key and signs each part); parts go one by one. */
async function uploadQuestionVideo(api: Api, owner: Owner, blob: Blob, onProgress: (fraction: number) => void): Promise<QuestionMedia> {
  const body = { contentType: baseType(blob.type), size: blob.size }
  const ticket = await call(
    'candidateId' in owner
      ? api.POST('/api/candidates/{candidateId}/follow-up-videos', { params: { path: owner }, body })
      : api.POST('/api/interviews/{interviewId}/question-media', { params: { path: owner }, body }),
  )
  const parts = []
  for (const part of ticket.parts) {
    const from = (part.partNumber - 1) * ticket.partSize
    const answer = await fetch(part.url, { method: 'PUT', body: blob.slice(from, from + ticket.partSize) })
    const etag = answer.headers.get('ETag')
    if (!answer.ok || !etag) throw new ApiError(`the upload of part ${part.partNumber} failed (${answer.status})`, 'upload_failed', answer.status)
    parts.push({ partNumber: part.partNumber, etag })
    onProgress(parts.length / ticket.parts.length)
  }
  const mediaId = ticket.mediaId
  return call(
    'candidateId' in owner
      ? api.POST('/api/candidates/{candidateId}/follow-up-videos/{mediaId}/complete', { params: { path: { ...owner, mediaId } }, body: { parts } })
      : api.POST('/api/interviews/{interviewId}/question-media/{mediaId}/complete', { params: { path: { ...owner, mediaId } }, body: { parts } }),
  )
}
