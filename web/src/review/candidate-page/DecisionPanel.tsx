/** The hiring decision, for managers: the current one, and a new one with its required note. */
import { type FormEvent, useState } from 'react'
import { call } from '../../shared/api'
import { formatDate } from '../../shared/i18n'
import type { CandidateDetail, DecisionValue } from '../../shared/types'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'
import { DECISIONS, UNSUBMITTED } from './detail'

export function DecisionPanel({ candidate, onSaved }: { candidate: CandidateDetail; onSaved: () => Promise<void> }) {
  const { api, me } = useSession()
  const [decision, setDecision] = useState<DecisionValue>(candidate.decision?.decision ?? 'advance')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const current = candidate.decision
  const decidedBy = (id: string) =>
    id === me.userId ? t.candidate.you : (candidate.reviews.find((r) => r.reviewerId === id)?.reviewerEmail || id)
  const submitted = !UNSUBMITTED.includes(candidate.status)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      await call(
        api.POST('/api/candidates/{candidateId}/decision', {
          params: { path: { candidateId: candidate.candidateId } },
          body: { decision, note: note.trim() },
        }),
      )
      setNote('')
      await onSaved()
      setSaved(true)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="decision-title">
      <h2 id="decision-title">{t.candidate.decision}</h2>
      {current && (
        <div className="current-decision" data-testid="current-decision" data-decision={current.decision}>
          <p>
            <strong>{t.candidate.decisionCurrent(t.decision[current.decision] ?? current.decision, decidedBy(current.decidedBy), formatDate(current.decidedAt, true))}</strong>
          </p>
          {current.note && <p className="quote">{current.note}</p>}
        </div>
      )}
      {!submitted && <p className="muted">{t.candidate.notSubmittedYet}</p>}
      <form className="stack" onSubmit={submit} data-testid="decision-form">
        <fieldset className="choice-group">
          <legend className="visually-hidden">{t.candidate.decisionLabel}</legend>
          {DECISIONS.map((d) => (
            <label key={d} className={`choice choice-${d}`}>
              <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} />
              <span>{t.decision[d]}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="decision-note">{t.candidate.note}</label>
          <textarea id="decision-note" rows={3} maxLength={5000} required value={note} onChange={(e) => setNote(e.target.value)} aria-describedby="decision-note-help" />
          <p className="help" id="decision-note-help">
            {t.candidate.noteHelp}
          </p>
        </div>
        <ErrorMessage error={error} />
        <div className="row">
          <button type="submit" className="button" disabled={busy || !submitted}>
            {busy ? t.saving : t.candidate.recordDecision}
          </button>
          <span role="status" className="success-text">
            {saved ? t.candidate.decisionSaved : ''}
          </span>
        </div>
      </form>
    </section>
  )
}
