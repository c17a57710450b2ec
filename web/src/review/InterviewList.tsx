import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { href } from './router'
import { t } from './strings'

/** A reviewer's queue: the candidates assigned to them. */
function Assigned() {
  const { api } = useSession()
  const mine = useQuery({ queryKey: ['assignments'], queryFn: () => call(api.GET('/api/assignments')) })
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
  const list = useInfiniteQuery({
    queryKey: ['interviews'],
    queryFn: ({ pageParam }) => call(api.GET('/api/interviews', pageParam ? { params: { query: { cursor: pageParam } } } : {})),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor || undefined,
  })
  const items = list.data?.pages.flatMap((page) => page.items) ?? []
  return (
    <>
      {me.role === 'reviewer' && <Assigned />}
      <div className="page-title">
        <PageHeading>{t.interviews.title}</PageHeading>
        <a className="button" href={href.newInterview()} data-testid="new-interview">
          {t.interviews.newInterview}
        </a>
      </div>
      <ErrorMessage error={list.isFetchNextPageError ? null : list.error} />
      {list.isPending && <Loading label={t.loading} />}
      {list.data && items.length === 0 && <p className="empty">{t.interviews.empty}</p>}
      {items.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
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
      <ErrorMessage error={list.isFetchNextPageError ? list.error : null} />
      {list.hasNextPage && (
        <button type="button" className="button secondary" onClick={() => void list.fetchNextPage()}>
          {t.interviews.loadMore}
        </button>
      )}
    </>
  )
}
