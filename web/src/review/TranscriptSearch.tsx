/** Search an interview's candidates by words they said (the server's transcript index). */
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../shared/api'
import { clock } from '../shared/i18n'
import { ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { href } from './router'
import { StatusBadge } from './StatusBadge'
import { t } from './strings'

/** Each hit names the answers in which the words were said, the words around them and when; a link opens the answer there. */
export function TranscriptSearch({ interviewId, questionIds }: { interviewId: string; questionIds: string[] }) {
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
                <li key={c.candidateId} className="search-hit" data-testid="transcript-hit">
                  <div className="row">
                    <a href={href.candidate(c.candidateId)}>{c.name}</a>
                    <StatusBadge status={c.status} />
                  </div>
                  {(c.matches ?? []).length > 0 && (
                    <ul className="plain search-matches">
                      {(c.matches ?? []).map((m) => {
                        const n = questionIds.indexOf(m.questionId) + 1
                        return (
                          <li key={m.questionId} data-testid="transcript-match" data-question-id={m.questionId} data-seconds={m.seconds ?? ''}>
                            <a href={href.answerAt(c.candidateId, m.questionId, m.seconds)}>
                              {m.seconds != null ? t.interview.saidAt(n, clock(m.seconds)) : t.interview.saidIn(n)}
                            </a>
                            {m.snippet && <Snippet text={m.snippet} word={m.word ?? ''} />}
                          </li>
                        )
                      })}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  )
}

/** The words around a match, the matching word marked. */
function Snippet({ text, word }: { text: string; word: string }) {
  const at = word ? text.indexOf(word) : -1
  if (at < 0) return <q className="snippet">{text}</q>
  return (
    <q className="snippet">
      {text.slice(0, at)}
      <mark>{word}</mark>
      {text.slice(at + word.length)}
    </q>
  )
}
