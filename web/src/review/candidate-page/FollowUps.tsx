/** Follow-up questions to this candidate: the rounds asked (sent, answered n of 3, deadline), cancelling one not
 * answered yet, and asking a new round (one to three questions) between submission and decision. */
import { useState } from 'react'
import { call } from '../../shared/api'
import { formatDate } from '../../shared/i18n'
import type { CandidateDetail } from '../../shared/types'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { useAct } from '../queries'
import { t } from '../strings'
import { UNSUBMITTED } from './detail'

const MAX = 3
type Kind = 'video' | 'text'

export function FollowUps({ candidate: c, onChanged }: { candidate: CandidateDetail; onChanged: () => Promise<unknown> }) {
  const { api } = useSession()
  const act = useAct(onChanged)
  const [questions, setQuestions] = useState<{ prompt: string; kind: Kind }[]>([{ prompt: '', kind: 'video' }])
  const [days, setDays] = useState(5)
  const rounds = c.followUps ?? []
  const path = { params: { path: { candidateId: c.candidateId } } }
  const waiting = rounds.some((r) => r.state === 'open')
  const why = UNSUBMITTED.includes(c.status) ? t.candidate.followUps.notNow.submitted : c.decision ? t.candidate.followUps.notNow.decided : waiting ? t.candidate.followUps.notNow.waiting : null
  const set = (i: number, change: Partial<{ prompt: string; kind: Kind }>) => setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...change } : q)))

  return (
    <section className="section card stack" aria-labelledby="follow-ups-title" data-testid="follow-ups">
      <h2 id="follow-ups-title">{t.candidate.followUps.title}</h2>
      <p className="muted small">{t.candidate.followUps.help}</p>
      {rounds.length === 0 ? (
        <p className="muted">{t.candidate.followUps.none}</p>
      ) : (
        <ul className="plain stack">
          {rounds.map((r) => (
            <li key={r.number} data-testid="follow-up-round" data-state={r.state}>
              <div className="row spread">
                <strong>
                  {t.candidate.followUps.round(r.number)} · <span data-testid="follow-up-state">{t.candidate.followUps.state[r.state] ?? r.state}</span>
                </strong>
                <span className="muted small" data-testid="follow-up-progress">
                  {t.candidate.followUps.progress(r.answered, r.questions.length)}
                  {r.state === 'open' ? ` · ${t.candidate.followUps.due(formatDate(r.dueAt))}` : ''}
                </span>
              </div>
              <ol className="plain-numbers">
                {r.questions.map((q) => (
                  <li key={q.questionId}>
                    {q.prompt} <span className="muted small">({t.candidate.followUps.kinds[q.kind] ?? q.kind})</span>
                  </li>
                ))}
              </ol>
              {r.state === 'open' && (
                <button
                  type="button"
                  className="button secondary small"
                  onClick={() =>
                    act.mutate(() =>
                      call(api.POST('/api/candidates/{candidateId}/follow-ups/{number}/cancel', { params: { path: { candidateId: c.candidateId, number: String(r.number) } } })),
                    )
                  }
                >
                  {t.candidate.followUps.cancel}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {c.canAskFollowUps ? (
        <form
          className="stack"
          data-testid="ask-follow-ups"
          onSubmit={(e) => {
            e.preventDefault()
            const body = { questions: questions.map((q) => ({ prompt: q.prompt.trim(), kind: q.kind })), deadlineDays: days }
            act.mutate(async () => {
              await call(api.POST('/api/candidates/{candidateId}/follow-ups', { ...path, body }))
              setQuestions([{ prompt: '', kind: 'video' }])
            })
          }}
        >
          <h3>{t.candidate.followUps.ask}</h3>
          {questions.map((q, i) => (
            <div key={i} className="stack follow-up-question">
              <label htmlFor={`follow-up-${i}`}>{t.candidate.followUps.prompt(i + 1)}</label>
              <textarea id={`follow-up-${i}`} rows={2} maxLength={2000} required value={q.prompt} onChange={(e) => set(i, { prompt: e.target.value })} />
              <div className="row">
                <label htmlFor={`follow-up-kind-${i}`}>{t.candidate.followUps.kind(i + 1)}</label>
                <select id={`follow-up-kind-${i}`} value={q.kind} onChange={(e) => set(i, { kind: e.target.value as Kind })}>
                  <option value="video">{t.candidate.followUps.kinds.video}</option>
                  <option value="text">{t.candidate.followUps.kinds.text}</option>
                </select>
                {questions.length > 1 && (
                  <button type="button" className="button secondary small" onClick={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}>
                    {t.candidate.followUps.removeQuestion(i + 1)}
                  </button>
                )}
              </div>
            </div>
          ))}
          <p className="muted small">{t.candidate.followUps.limits}</p>
          <div className="row">
            {questions.length < MAX && (
              <button type="button" className="button secondary small" onClick={() => setQuestions((qs) => [...qs, { prompt: '', kind: 'video' }])}>
                {t.candidate.followUps.add}
              </button>
            )}
            <label htmlFor="follow-up-days">{t.candidate.followUps.days}</label>
            <input id="follow-up-days" type="number" min={1} max={30} value={days} onChange={(e) => setDays(Number(e.target.value) || 5)} style={{ width: '5em' }} />
          </div>
          <div>
            <button type="submit" className="button" disabled={act.isPending || questions.some((q) => !q.prompt.trim())}>
              {act.isPending ? t.candidate.followUps.sending : t.candidate.followUps.send}
            </button>
          </div>
        </form>
      ) : (
        why && <p className="muted small" data-testid="follow-ups-why-not">{why}</p>
      )}
      <ErrorMessage error={act.error} />
    </section>
  )
}
