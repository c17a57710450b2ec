/** The reviewers assigned to the candidate, for managers to add and remove. */
import { useState } from 'react'
import { call } from '../../shared/api'
import type { CandidateDetail } from '../../shared/types'
import { ErrorMessage, useLoad } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'

export function Assignments({ candidate, onSaved }: { candidate: CandidateDetail; onSaved: () => Promise<void> }) {
  const { api } = useSession()
  const members = useLoad(() => call(api.GET('/api/members')), [api])
  const reviewers = (members.data?.items ?? []).filter((m) => m.role === 'reviewer')
  const [chosen, setChosen] = useState('')
  const [error, setError] = useState<unknown>(null)
  const assigned = candidate.assignedReviewers ?? []
  const email = (id: string) => members.data?.items.find((m) => m.userId === id)?.email ?? id
  const act = async (p: Promise<unknown>) => {
    setError(null)
    try {
      await p
      await onSaved()
    } catch (err) {
      setError(err)
    }
  }
  const path = { params: { path: { candidateId: candidate.candidateId } } }
  return (
    <section className="section" aria-labelledby="assign-title">
      <h2 id="assign-title">{t.candidate.assigned}</h2>
      {assigned.length === 0 ? (
        <p className="muted">{t.candidate.noneAssigned}</p>
      ) : (
        <ul className="plain">
          {assigned.map((id) => (
            <li key={id} className="row">
              <span>{email(id)}</span>
              <button
                type="button"
                className="button secondary small"
                onClick={() => act(call(api.DELETE('/api/candidates/{candidateId}/assignments/{reviewerId}', { params: { path: { candidateId: candidate.candidateId, reviewerId: id } } })))}
              >
                {t.candidate.unassign(email(id))}
              </button>
            </li>
          ))}
        </ul>
      )}
      {reviewers.length > 0 && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            if (chosen) void act(call(api.PUT('/api/candidates/{candidateId}/assignments', { ...path, body: { reviewerId: chosen } })))
          }}
        >
          <label htmlFor="assign-reviewer">{t.candidate.reviewer}</label>
          <select id="assign-reviewer" value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">{t.candidate.chooseReviewer}</option>
            {reviewers
              .filter((m) => !assigned.includes(m.userId))
              .map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.email}
                </option>
              ))}
          </select>
          <button type="submit" className="button secondary small">
            {t.candidate.assign}
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
    </section>
  )
}
