import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { useAct } from './queries'
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

type StatusFilter = 'active' | 'open' | 'closed' | 'archived' | 'all'

/** The interviews as a pipeline: status, owner, where candidates stand (the interviews' counters), search and filters,
 * archive and restore. The next deadline is the soonest of a candidate still to answer (an index query per
 * interview on the server, never a read of its candidates). */
export function InterviewList() {
  const { api, me } = useSession()
  const list = useInfiniteQuery({
    queryKey: ['interviews'],
    queryFn: ({ pageParam }) => call(api.GET('/api/interviews', pageParam ? { params: { query: { cursor: pageParam } } } : {})),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor || undefined,
  })
  const manager = me.role !== 'reviewer'
  const members = useQuery({ queryKey: ['members'], queryFn: () => call(api.GET('/api/members')), enabled: manager })
  const act = useAct()
  const [query, setQuery] = useState('')
  const [status, setStatus] = useState<StatusFilter>('active')
  const [owner, setOwner] = useState('')
  const items = list.data?.pages.flatMap((page) => page.items) ?? []
  const who = (id: string | null | undefined) =>
    !id ? '–' : id === me.userId ? t.candidate.you : (members.data?.items.find((m) => m.userId === id)?.email ?? t.interviews.someone)
  const needle = query.trim().toLowerCase()
  const shown = items.filter(
    (i) =>
      (status === 'all' || (status === 'active' ? i.status !== 'archived' : i.status === status)) &&
      (!owner || i.createdBy === owner) &&
      (!needle || i.title.toLowerCase().includes(needle)),
  )
  const owners = [...new Set(items.map((i) => i.createdBy).filter((x): x is string => !!x))]
  const archive = (id: string, archived: boolean) =>
    act.mutate(async () => {
      await call(api.POST(archived ? '/api/interviews/{interviewId}/restore' : '/api/interviews/{interviewId}/archive', { params: { path: { interviewId: id } } }))
      await list.refetch()
    })
  return (
    <>
      {me.role === 'reviewer' && <Assigned />}
      <div className="page-title">
        <PageHeading>{t.interviews.title}</PageHeading>
        {manager && (
          <a className="button" href={href.newInterview()} data-testid="new-interview">
            {t.interviews.newInterview}
          </a>
        )}
      </div>
      <form className="row wrap filters" role="search" aria-label={t.interviews.filters} onSubmit={(e) => e.preventDefault()} data-testid="interview-filters">
        <div className="field">
          <label htmlFor="interview-q">{t.interviews.search}</label>
          <input id="interview-q" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="interview-status">{t.interviews.colStatus}</label>
          <select id="interview-status" value={status} onChange={(e) => setStatus(e.target.value as StatusFilter)}>
            {(['active', 'open', 'closed', 'archived', 'all'] as const).map((s) => (
              <option key={s} value={s}>
                {t.interviews.statusFilter[s]}
              </option>
            ))}
          </select>
        </div>
        {manager && (
          <div className="field">
            <label htmlFor="interview-owner">{t.interviews.colOwner}</label>
            <select id="interview-owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
              <option value="">{t.interviews.anyone}</option>
              {owners.map((o) => (
                <option key={o} value={o}>
                  {who(o)}
                </option>
              ))}
            </select>
          </div>
        )}
      </form>
      <ErrorMessage error={list.isFetchNextPageError ? null : (list.error ?? act.error)} />
      {list.isPending && <Loading label={t.loading} />}
      {list.data && items.length === 0 && <p className="empty">{manager ? t.interviews.empty : t.interviews.emptyReviewer}</p>}
      {items.length > 0 && shown.length === 0 && <p className="empty">{t.interviews.noMatch}</p>}
      {shown.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
          <table className="table pipeline-table reflow" data-testid="interview-list">
            <thead>
              <tr>
                <th scope="col">{t.interviews.colTitle}</th>
                <th scope="col">{t.interviews.colStatus}</th>
                <th scope="col" className="num">{t.interviews.colInvited}</th>
                <th scope="col" className="num col-secondary">{t.interviews.colInProgress}</th>
                <th scope="col" className="num">{t.interviews.colAwaiting}</th>
                <th scope="col" className="num col-secondary">{t.interviews.colDecided}</th>
                <th scope="col">{t.interviews.colNextDeadline}</th>
                {manager && (
                  <th scope="col">
                    <span className="visually-hidden">{t.interviews.colActions}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {shown.map((interview) => {
                const n = interview.counts
                return (
                  <tr key={interview.interviewId} data-testid="interview-row" data-status={interview.status}>
                    <th scope="row">
                      <a href={href.interview(interview.interviewId)}>{interview.title}</a>
                      <span className="muted small block">
                        {t.interviews.questions(interview.questions.length)} · {t.interviews.ownedBy(who(interview.createdBy))}
                      </span>
                      <span className="muted small block">{t.interviews.createdOn(formatDate(interview.createdAt))}</span>
                    </th>
                    <td data-label={t.interviews.colStatus}>
                      <span className={`badge badge-interview-${interview.status}`}>{t.interviews.status[interview.status] ?? interview.status}</span>
                    </td>
                    <td className="num" data-testid="count-invited" data-label={t.interviews.colInvited}>{n?.invited ?? 0}</td>
                    <td className="num col-secondary" data-testid="count-in-progress" data-label={t.interviews.colInProgress}>{n?.inProgress ?? 0}</td>
                    <td className="num" data-testid="count-awaiting" data-label={t.interviews.colAwaiting}>
                      {n?.awaitingReview ? <strong>{n.awaitingReview}</strong> : 0}
                    </td>
                    <td className="num col-secondary" data-testid="count-decided" data-label={t.interviews.colDecided}>{n?.decided ?? 0}</td>
                    <td className="nowrap" data-testid="next-deadline" data-label={t.interviews.colNextDeadline}>
                      {interview.nextDeadline ? <time dateTime={interview.nextDeadline}>{formatDate(interview.nextDeadline, true)}</time> : '–'}
                    </td>
                    {manager && (
                      <td>
                        <button
                          type="button"
                          className="button secondary small"
                          onClick={() => archive(interview.interviewId, interview.archived ?? false)}
                          aria-label={(interview.archived ? t.interviews.restoreOne : t.interviews.archiveOne)(interview.title)}
                        >
                          {interview.archived ? t.interviews.restore : t.interviews.archive}
                        </button>
                      </td>
                    )}
                  </tr>
                )
              })}
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
