import { useCallback, useEffect, useRef, useState } from 'react'
import { PageHeading } from '../shared/ui'
import { CameraError, type CameraProblem, checkSupport, openCamera, stopStream, supported, useMicLevel } from '../shared/media'
import { ConnectionCheck } from './Connection'
import { useLocale } from './locale'

/** Browser support, camera preview, a microphone meter and the connection (how to record on it), before any question. */
export function DeviceCheck({
  stream,
  onStream,
  onContinue,
  allowAudio = false,
}: {
  stream: MediaStream | null
  onStream: (s: MediaStream | null) => void
  onContinue: () => void
  /** The interview takes sound-only answers: offered on a slow connection. */
  allowAudio?: boolean
}) {
  const { t } = useLocale()
  const support = useRef(checkSupport()).current
  const [problem, setProblem] = useState<CameraProblem | null>(null)
  const [starting, setStarting] = useState(false)
  const preview = useRef<HTMLVideoElement>(null)
  const level = useMicLevel(stream)
  const ok = supported(support)

  const start = useCallback(async () => {
    setStarting(true)
    setProblem(null)
    try {
      const fresh = await openCamera()
      onStream(fresh)
    } catch (e) {
      onStream(null)
      setProblem(e instanceof CameraError ? e.problem : 'failed')
    } finally {
      setStarting(false)
    }
  }, [onStream])

  // Ask for the camera right away (once): the candidate has just agreed to it.
  const asked = useRef(false)
  useEffect(() => {
    if (asked.current) return
    asked.current = true
    if (ok && !stream) void start()
  }, [ok, stream, start])

  useEffect(() => {
    if (preview.current && stream) preview.current.srcObject = stream
  }, [stream])

  const hasVideo = !!stream?.getVideoTracks().some((tr) => tr.readyState === 'live')
  const hasAudio = !!stream?.getAudioTracks().some((tr) => tr.readyState === 'live')

  return (
    <section className="card stack" data-testid="device-check">
      <div>
        <p className="step-label">{t.device.support}</p>
        <PageHeading>{t.device.title}</PageHeading>
        <p className="muted">{t.device.intro}</p>
      </div>

      <ul className="checklist" aria-label={t.device.support}>
        <Check label={t.device.recorder} ok={support.recorder && support.secure} />
        <Check label={t.device.camera} ok={hasVideo} pending={ok && !problem && !hasVideo} />
        <Check label={t.device.microphone} ok={hasAudio} pending={ok && !problem && !hasAudio} />
      </ul>

      {!ok && (
        <p className="notice notice-error" role="alert" data-testid="unsupported">
          {!support.secure ? t.device.insecure : t.device.unsupported}
        </p>
      )}
      {problem && (
        <div className="notice notice-error" role="alert">
          <p>{t.device[problem]}</p>
          <button type="button" className="button secondary" onClick={start}>
            {t.device.allow}
          </button>
        </div>
      )}
      {ok && !stream && !problem && (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" />
          {starting ? t.device.starting : t.device.allow}
        </p>
      )}

      {stream && (
        <>
          <div className="stage">
            <video ref={preview} className="mirror" autoPlay muted playsInline aria-label={t.device.preview} data-testid="camera-preview" />
          </div>
          <div className="field">
            <label htmlFor="mic-level">{t.device.level}</label>
            <meter id="mic-level" className="meter" min={0} max={1} low={0.15} high={0.9} optimum={0.5} value={level} aria-describedby="mic-help" />
            <p className="help" id="mic-help">
              {t.device.levelHelp}
            </p>
          </div>
          <p className="notice">{t.device.tips}</p>
        </>
      )}

      {ok && <ConnectionCheck allowAudio={allowAudio} onChoice={() => undefined} />}

      <div className="actions">
        <button
          type="button"
          className="button big"
          disabled={!ok || !hasVideo || !hasAudio}
          onClick={onContinue}
        >
          {t.continue}
        </button>
        {stream && (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              stopStream(stream)
              onStream(null)
              void start()
            }}
          >
            {t.device.restart}
          </button>
        )}
      </div>
    </section>
  )
}

function Check({ label, ok, pending }: { label: string; ok: boolean; pending?: boolean }) {
  const { t } = useLocale()
  return (
    <li>
      <span className={ok ? 'ok' : pending ? 'muted' : 'bad'} aria-hidden="true">
        {ok ? '✓' : pending ? '…' : '✕'}
      </span>
      <span>
        {label}
        {t.colon}
        {ok ? t.device.cameraOk : pending ? t.device.starting : t.device.missing}
      </span>
    </li>
  )
}
