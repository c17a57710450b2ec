/** Search an interview's candidates by words they said (the server's transcript index). */
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../shared/api'
import { ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { href } from './router'
import { StatusBadge } from './StatusBadge'
import { t } from './strings'

export function TranscriptSearch({ interviewId }: { interviewId: string }) {
  const { api } = useSession()
  const [q, setQ] = useState('')
  const search = useMutation({
    mutationFn: async (q: string) => ({ q, items: (await call(api.GET('/api/interviews/{interviewId}/search', { params: { path: { interviewId }, query: { q } } }))).items }),
  })
  const results = search.data
  return (
    <div className="stack">
      <form className="row wrap" role="search" onSubmit={(e) => (e.preventDefault(), search.mutate(q))} data-testid="transcript-search">
        <div className="field">
          <label htmlFor="transcript-q">{t.interview.searchTranscripts}</label>
          <input id="transcript-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} required maxLength={200} />
        </div>
        <button type="submit" className="button secondary small align-end">
          {t.interview.searchButton}
        </button>
      </form>
      <ErrorMessage error={search.error} />
      {/* The live region stays in place while a new search runs, so its next words are announced. */}
      <div role="status" data-testid="transcript-results">
        {results && (
          <>
            <p className="muted small">{t.interview.searchFound(results.items.length, results.q)}</p>
            <ul className="plain">
              {results.items.map((c) => (
                <li key={c.candidateId} className="row" data-testid="transcript-hit">
                  <a href={href.candidate(c.candidateId)}>{c.name}</a>
                  <StatusBadge status={c.status} />
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  )
}
