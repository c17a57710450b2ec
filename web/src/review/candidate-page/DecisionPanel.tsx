/** The hiring decision, for managers: the current one, and a new one with its required note. */
import { useMutation } from '@tanstack/react-query'
import { type MutableRefObject, useRef, useState } from 'react'
import { call } from '../../shared/api'
import { formatDate } from '../../shared/i18n'
import type { CandidateDetail, DecisionValue } from '../../shared/types'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'
import { DECISIONS, UNSUBMITTED } from './detail'

/** Chooses a decision and puts the cursor in its note: the page's keyboard shortcuts (a, h, x) call it. */
export type ChooseDecision = (decision: DecisionValue) => void

export function DecisionPanel({
  candidate,
  onSaved,
  chooseRef,
}: {
  candidate: CandidateDetail
  onSaved: () => Promise<unknown>
  chooseRef?: MutableRefObject<ChooseDecision | null>
}) {
  const { api, me } = useSession()
  // Nothing is chosen for the recruiter, not even the current decision: each one is a deliberate click.
  const [decision, setDecision] = useState<DecisionValue | ''>('')
  const [note, setNote] = useState('')
  // The next-step email goes with an advance: ticked by default when the interview has a scheduling link and the
  // candidate is not advanced already (the API's own default); the manager's choice wins once made.
  const [nextStep, setNextStep] = useState<boolean | null>(null)
  const sendNextStep = nextStep ?? (Boolean(candidate.schedulingUrl) && candidate.decision?.decision !== 'advance')
  const noteField = useRef<HTMLTextAreaElement>(null)
  const save = useMutation({
    mutationFn: () =>
      call(api.POST('/api/candidates/{candidateId}/decision', { params: { path: { candidateId: candidate.candidateId } }, body: { decision: decision as DecisionValue, note: note.trim(), sendNextStep: decision === 'advance' ? sendNextStep : null } })),
    // The cursor leaves the note, so the page's shortcuts (n: next candidate) work again; recorded once the
    // server says so, while the page's data reloads behind it. The next decision is chosen afresh.
    onSuccess: () => void (setNote(''), setDecision(''), setNextStep(null), noteField.current?.blur(), onSaved()),
  })
  if (chooseRef) chooseRef.current = (d) => (setDecision(d), noteField.current?.focus())
  const current = candidate.decision
  const decidedBy = (id: string) =>
    id === me.userId ? t.candidate.you : (candidate.reviews.find((r) => r.reviewerId === id)?.reviewerEmail || id)
  const submitted = !UNSUBMITTED.includes(candidate.status)

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
      <form className="stack" onSubmit={(e) => (e.preventDefault(), save.mutate())} data-testid="decision-form">
        <fieldset className="choice-group">
          <legend className="visually-hidden">{t.candidate.decisionLabel}</legend>
          <p className="help choice-help" id="decision-choice-help">
            {t.candidate.chooseDecision}
          </p>
          {DECISIONS.map((d) => (
            <label key={d} className={`choice choice-${d}`}>
              <input type="radio" name="decision" value={d} required checked={decision === d} onChange={() => setDecision(d)} aria-describedby="decision-choice-help" />
              <span>{t.decision[d]}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="decision-note">{t.candidate.note}</label>
          <textarea
            id="decision-note"
            ref={noteField}
            rows={3}
            maxLength={5000}
            required
            value={note}
            onChange={(e) => setNote(e.target.value)}
            // Enter records the decision (a one-line reason is the usual one); Shift+Enter starts a new line.
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault()
                e.currentTarget.form?.requestSubmit()
              }
            }}
            aria-describedby="decision-note-help"
          />
          <p className="help" id="decision-note-help">
            {t.candidate.noteHelp}
          </p>
        </div>
        {decision === 'advance' && (
          <div>
            <div className="check">
              <input id="decision-next-step" type="checkbox" checked={sendNextStep} aria-describedby="decision-next-step-help" onChange={(e) => setNextStep(e.target.checked)} />
              <label htmlFor="decision-next-step">{t.candidate.sendNextStep}</label>
            </div>
            <p className="help" id="decision-next-step-help">
              {t.candidate.sendNextStepHelp(candidate.schedulingUrl ?? null)}
            </p>
          </div>
        )}
        {decision === 'reject' && candidate.rejectEmail && candidate.decision?.decision !== 'reject' && (
          <p className="help" data-testid="reject-email-note">
            {t.candidate.rejectEmailNote}
          </p>
        )}
        <ErrorMessage error={save.error} />
        <div className="row">
          <button type="submit" className="button" disabled={save.isPending || !submitted || !decision}>
            {save.isPending ? t.saving : t.candidate.recordDecision}
          </button>
          <span role="status" className="success-text">
            {save.isSuccess ? t.candidate.decisionSaved : ''}
          </span>
        </div>
      </form>
    </section>
  )
}
