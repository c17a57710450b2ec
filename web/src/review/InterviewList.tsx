import { useState } from 'react'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import type { Interview } from '../shared/types'
import { ErrorMessage, Loading, PageHeading, useLoad } from '../shared/ui'
import { useSession } from './context'
import { href } from './router'
import { t } from './strings'

/** A reviewer's queue: the candidates assigned to them. */
function Assigned() {
  const { api } = useSession()
  const mine = useLoad(() => call(api.GET('/api/assignments')), [api])
  if (!mine.data) return <ErrorMessage error={mine.error} />
  return (
    <section className="section" aria-labelledby="assigned-title">
      <h2 id="assigned-title">{t.interviews.assigned}</h2>
      {mine.data.items.length === 0 ? (
        <p className="empty">{t.interviews.noneAssigned}</p>
      ) : (
        <ol data-testid="assigned">
          {mine.data.items.map((a, i) => (
            <li key={a.candidateId}>
              <a href={href.candidate(a.candidateId)}>{t.interviews.assignedItem(i + 1, formatDate(a.assignedAt))}</a>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}

export function InterviewList() {
  const { api, me } = useSession()
  const [more, setMore] = useState<Interview[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [moreError, setMoreError] = useState<unknown>(null)

  const first = useLoad(async () => {
    const page = await call(api.GET('/api/interviews'))
    setMore([])
    setCursor(page.nextCursor ?? null)
    return page.items
  }, [api])

  const loadMore = async () => {
    if (!cursor) return
    try {
      const page = await call(api.GET('/api/interviews', { params: { query: { cursor } } }))
      setMore((items) => [...items, ...page.items])
      setCursor(page.nextCursor ?? null)
    } catch (e) {
      setMoreError(e)
    }
  }

  const items = [...(first.data ?? []), ...more]
  return (
    <>
      {me.role === 'reviewer' && <Assigned />}
      <div className="page-title">
        <PageHeading>{t.interviews.title}</PageHeading>
        <a className="button" href={href.newInterview()} data-testid="new-interview">
          {t.interviews.newInterview}
        </a>
      </div>
      <ErrorMessage error={first.error} />
      {first.loading && !first.data && <Loading label={t.loading} />}
      {first.data && items.length === 0 && <p className="empty">{t.interviews.empty}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="interview-list">
            <thead>
              <tr>
                <th scope="col">{t.interviews.colTitle}</th>
                <th scope="col">{t.interviews.colQuestions}</th>
                <th scope="col">{t.interviews.colCreated}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((interview) => (
                <tr key={interview.interviewId}>
                  <th scope="row">
                    <a href={href.interview(interview.interviewId)}>{interview.title}</a>
                  </th>
                  <td>{t.interviews.questions(interview.questions.length)}</td>
                  <td>{formatDate(interview.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorMessage error={moreError} />
      {cursor && (
        <button type="button" className="button secondary" onClick={loadMore}>
          {t.interviews.loadMore}
        </button>
      )}
    </>
  )
}
