/** Search an interview's candidates by words they said (the server's transcript index). */
import { type FormEvent, useState } from 'react'
import { call } from '../shared/api'
import type { CandidateSummary } from '../shared/types'
import { ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { href } from './router'
import { StatusBadge } from './StatusBadge'
import { t } from './strings'

export function TranscriptSearch({ interviewId }: { interviewId: string }) {
  const { api } = useSession()
  const [q, setQ] = useState('')
  const [results, setResults] = useState<{ q: string; items: CandidateSummary[] }>()
  const [error, setError] = useState<unknown>(null)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      const found = await call(api.GET('/api/interviews/{interviewId}/search', { params: { path: { interviewId }, query: { q } } }))
      setResults({ q, items: found.items })
    } catch (err) {
      setError(err)
      setResults(undefined)
    }
  }
  return (
    <div className="stack">
      <form className="row wrap" role="search" onSubmit={submit} data-testid="transcript-search">
        <div className="field">
          <label htmlFor="transcript-q">{t.interview.searchTranscripts}</label>
          <input id="transcript-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} required maxLength={200} />
        </div>
        <button type="submit" className="button secondary small align-end">
          {t.interview.searchButton}
        </button>
      </form>
      <ErrorMessage error={error} />
      {results && (
        <div role="status" data-testid="transcript-results">
          <p className="muted small">{t.interview.searchFound(results.items.length, results.q)}</p>
          <ul className="plain">
            {results.items.map((c) => (
              <li key={c.candidateId} className="row" data-testid="transcript-hit">
                <a href={href.candidate(c.candidateId)}>{c.name}</a>
                <StatusBadge status={c.status} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
