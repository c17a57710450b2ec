/** The reviewers assigned to the candidate, for managers to add and remove. */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../../shared/api'
import type { CandidateDetail } from '../../shared/types'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { useAct } from '../queries'
import { t } from '../strings'

export function Assignments({ candidate, onSaved }: { candidate: CandidateDetail; onSaved: () => Promise<unknown> }) {
  const { api } = useSession()
  const members = useQuery({ queryKey: ['members'], queryFn: () => call(api.GET('/api/members')) })
  const reviewers = (members.data?.items ?? []).filter((m) => m.role === 'reviewer')
  const [chosen, setChosen] = useState('')
  const act = useAct(onSaved)
  const assigned = candidate.assignedReviewers ?? []
  const email = (id: string) => members.data?.items.find((m) => m.userId === id)?.email ?? id
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
                onClick={() => act.mutate(() => call(api.DELETE('/api/candidates/{candidateId}/assignments/{reviewerId}', { params: { path: { candidateId: candidate.candidateId, reviewerId: id } } })))}
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
            if (chosen) act.mutate(() => call(api.PUT('/api/candidates/{candidateId}/assignments', { ...path, body: { reviewerId: chosen } })))
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
      <ErrorMessage error={act.error} />
    </section>
  )
}
