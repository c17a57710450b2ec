import { useCallback, useEffect, useRef, useState } from 'react'
import { useCandidate } from './context'
import { useLocale } from './locale'
import { type Choice, type RecordingForm, loadChoice, measureUplink, offered, recommend, saveChoice } from './quality'

/**
 * The uplink, in plain words, and how to record: the device check measures it once and recommends a form;
 * the candidate may choose any form offered (kept for this invitation, changeable before each answer).
 */
export function ConnectionCheck({ allowAudio, onChoice }: { allowAudio: boolean; onChoice: (choice: Choice) => void }) {
  const { api, scope } = useCandidate()
  const { t } = useLocale()
  const [measuring, setMeasuring] = useState(true)
  const [kbps, setKbps] = useState<number | null>(null)
  const [choice, setChoice] = useState<Choice | null>(() => loadChoice(scope))

  const choose = useCallback(
    (next: Choice) => {
      setChoice(next)
      saveChoice(scope, next)
      onChoice(next)
    },
    [scope, onChoice],
  )

  const measure = useCallback(async () => {
    setMeasuring(true)
    const measured = await measureUplink(api).catch(() => null)
    setKbps(measured)
    setMeasuring(false)
    // The recommendation is taken unless the candidate chose for themselves earlier in this session.
    const earlier = loadChoice(scope)
    const form = earlier?.chosen ? earlier.form : recommend(measured, allowAudio)
    choose({ form: offered(allowAudio).includes(form) ? form : 'reduced', kbps: measured, chosen: !!earlier?.chosen })
  }, [api, scope, allowAudio, choose])

  const once = useRef(false)
  useEffect(() => {
    if (once.current) return
    once.current = true
    void measure()
  }, [measure])

  const recommended = measuring ? null : recommend(kbps, allowAudio)
  const verdict =
    kbps === null
      ? t.connection.failed
      : recommended === 'standard'
        ? t.connection.fast
        : recommended === 'audio'
          ? t.connection.verySlow
          : kbps < 500
            ? t.connection.verySlowVideo
            : t.connection.slow

  return (
    <section className="stack connection" data-testid="connection" aria-labelledby="connection-title">
      <h2 id="connection-title">{t.connection.title}</h2>
      {measuring ? (
        <p className="loading" role="status" data-testid="uplink-measuring">
          <span className="spinner" aria-hidden="true" />
          {t.connection.measuring}
        </p>
      ) : (
        <div role="status" data-testid="uplink" data-kbps={kbps ?? ''} data-recommended={recommended ?? ''}>
          {kbps !== null && <p>{t.connection.speed(Math.max(0.1, Math.round(kbps / 100) / 10))}</p>}
          <p className={recommended === 'standard' ? 'muted' : 'notice notice-warn'}>{verdict}</p>
        </div>
      )}
      {!measuring && (
        <button type="button" className="button secondary small" onClick={() => void measure()}>
          {t.connection.again}
        </button>
      )}
      <FormChoice allowAudio={allowAudio} value={choice?.form ?? null} recommended={recommended} onChange={(form) => choose({ form, kbps, chosen: true })} />
      <p className="muted small">{t.connection.fair}</p>
    </section>
  )
}

/** The forms offered, as radio buttons (the recommended one says so). */
export function FormChoice({
  allowAudio,
  value,
  recommended,
  onChange,
  compact = false,
}: {
  allowAudio: boolean
  value: RecordingForm | null
  recommended: RecordingForm | null
  onChange: (form: RecordingForm) => void
  compact?: boolean
}) {
  const { t } = useLocale()
  const help: Record<RecordingForm, string> = { standard: t.connection.standardHelp, reduced: t.connection.reducedHelp, audio: t.connection.audioHelp }
  return (
    <fieldset className="form-choice" data-testid="form-choice">
      <legend>{compact ? t.connection.current : t.connection.choose}</legend>
      {offered(allowAudio).map((form) => (
        <label key={form} className="check form-option">
          <input type="radio" name={compact ? 'form-before-answer' : 'recording-form'} value={form} checked={value === form} onChange={() => onChange(form)} />
          <span>
            <strong>{t.connection[form]}</strong>
            {recommended === form && <span className="badge">{t.connection.recommended}</span>}
            {!compact && <span className="help block">{help[form]}</span>}
          </span>
        </label>
      ))}
    </fieldset>
  )
}
