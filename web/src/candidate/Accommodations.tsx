import { type FormEvent, useState } from 'react'
import type { Session } from '../shared/types'
import { ErrorMessage } from '../shared/ui'
import { useCandidate } from './context'
import { ask, useLocale } from './locale'

type Accommodation = Session['accommodations'][number]
type Kind = Accommodation['kind']

/** Ask for extra time or a written alternative to video (WCAG 2.2.1, timing adjustable); see the answers. */
export function Accommodations({ session, onChange }: { session: Session; onChange: (items: Accommodation[]) => void }) {
  const { api } = useCandidate()
  const { t, f } = useLocale()
  const [kind, setKind] = useState<Kind | null>(null)
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const items = session.accommodations
  const open = (k: Kind) => items.some((a) => a.kind === k && a.state !== 'declined')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!kind) return
    setBusy(true)
    setError(null)
    try {
      const made = await ask(t, api.POST('/api/c/accommodations', { body: { kind, note: note.trim() } }))
      onChange([...items, made])
      setSent(true)
      setKind(null)
      setNote('')
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <details className="accommodations" data-testid="accommodations" open={items.length > 0 || undefined}>
      <summary>{t.accommodations.title}</summary>
      <div className="stack">
        <p className="muted">{t.accommodations.intro}</p>
        {items.length > 0 && (
          <div>
            <h3>{t.accommodations.yours}</h3>
            <ul data-testid="accommodation-list">
              {items.map((a) => (
                <li key={a.requestId} data-state={a.state}>
                  {t.accommodations.kindName[a.kind]}
                  {t.colon}
                  <strong>{t.accommodations.state[a.state]}</strong>
                  {a.decidedAt ? ` ${t.accommodations.decidedOn(f.date(a.decidedAt))}` : ''}
                </li>
              ))}
            </ul>
          </div>
        )}
        <form className="stack" onSubmit={submit}>
          <fieldset>
            <legend>{t.accommodations.kind}</legend>
            {(['extra_time', 'text_instead_of_video'] as Kind[]).map((k) => (
              <div className="check" key={k}>
                <input id={`acc-${k}`} type="radio" name="accommodation" checked={kind === k} disabled={open(k)} onChange={() => setKind(k)} />
                <label htmlFor={`acc-${k}`}>{k === 'extra_time' ? t.accommodations.extraTime : t.accommodations.textInstead}</label>
              </div>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="acc-note">{t.accommodations.note}</label>
            <textarea id="acc-note" rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <ErrorMessage error={error} />
          {sent && (
            <p role="status" className="success-text">
              {t.accommodations.sent}
            </p>
          )}
          <div>
            <button type="submit" className="button secondary" disabled={busy || !kind}>
              {busy ? t.accommodations.sending : t.accommodations.send}
            </button>
          </div>
        </form>
      </div>
    </details>
  )
}
