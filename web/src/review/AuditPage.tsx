/** Admins read the organization's audit log a month at a time, by member and by kind of action, and export it. */
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { t } from './strings'

type Filters = { month: string; actor: string; action: string }

// Families of actions (the part before the dot): the filter matches every action of a family.
const FAMILIES = ['member', 'organization', 'interview', 'candidate', 'candidates', 'invitation', 'accommodation', 'answer', 'webhook', 'audit']
const PAGE = 50

function thisMonth(): string {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`
}

function query(f: Filters) {
  return { month: f.month, ...(f.actor ? { actor: f.actor } : {}), ...(f.action ? { action: f.action } : {}) }
}

export function AuditPage() {
  const { api } = useSession()
  const members = useQuery({ queryKey: ['members'], queryFn: () => call(api.GET('/api/members')) })
  const [draft, setDraft] = useState<Filters>({ month: thisMonth(), actor: '', action: '' })
  const [filters, setFilters] = useState<Filters>(draft)
  const log = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) => call(api.GET('/api/audit', { params: { query: { ...query(filters), limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor || undefined,
  })
  const items = log.data?.pages.flatMap((page) => page.items) ?? []
  // The log names people by id (it outlives them); show the email of those who are still members.
  const emails = new Map((members.data?.items ?? []).map((m) => [m.userId, m.email]))
  const who = (id: string) => emails.get(id) ?? (id.startsWith('share:') ? t.audit.shareLink : id)

  const exporting = useMutation({
    mutationFn: async () => {
      const text = await call(api.GET('/api/audit.csv', { params: { query: query(filters) }, parseAs: 'text' }))
      const url = URL.createObjectURL(new Blob([text as string], { type: 'text/csv' }))
      const a = document.createElement('a')
      a.href = url
      a.download = `audit-${filters.month}.csv`
      document.body.append(a)
      a.click()
      a.remove()
      URL.revokeObjectURL(url)
    },
  })

  const apply = (e: FormEvent) => {
    e.preventDefault()
    exporting.reset()
    setFilters({ ...draft })
  }
  return (
    <>
      <PageHeading>{t.audit.title}</PageHeading>
      <p className="muted">{t.audit.intro}</p>
      <form className="card row wrap" onSubmit={apply} data-testid="audit-filters">
        <div className="field">
          <label htmlFor="audit-month">{t.audit.month}</label>
          <input id="audit-month" type="month" required value={draft.month} onChange={(e) => setDraft({ ...draft, month: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">{t.audit.actor}</label>
          <select id="audit-actor" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })}>
            <option value="">{t.audit.anyone}</option>
            {(members.data?.items ?? []).map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.email}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t.audit.action}</label>
          <select id="audit-action" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })}>
            <option value="">{t.audit.anything}</option>
            {FAMILIES.map((f) => (
              <option key={f} value={f}>
                {t.audit.family(f)}
              </option>
            ))}
          </select>
        </div>
        <div className="row">
          <button type="submit" className="button">
            {t.audit.show}
          </button>
          <button type="button" className="button secondary" onClick={() => exporting.mutate()} disabled={exporting.isPending} data-testid="audit-export">
            {exporting.isPending ? t.audit.exporting : t.audit.export}
          </button>
        </div>
      </form>
      <ErrorMessage error={exporting.error ?? log.error} />
      {log.isPending && <Loading label={t.loading} />}
      {log.data && items.length === 0 && <p className="empty">{t.audit.empty}</p>}
      {items.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
          <table className="table reflow" data-testid="audit-log">
            <caption className="visually-hidden">{t.audit.caption(filters.month)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.audit.when}</th>
                <th scope="col">{t.audit.who}</th>
                <th scope="col">{t.audit.what}</th>
                <th scope="col">{t.audit.target}</th>
                <th scope="col">{t.audit.detail}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.eventId} data-testid="audit-entry">
                  <td data-label={t.audit.when}>{formatDate(e.at, true)}</td>
                  <td data-label={t.audit.who}>{who(e.actor)}</td>
                  <th scope="row">
                    <code>{e.action}</code>
                  </th>
                  <td data-label={t.audit.target}>
                    <code>{e.target}</code>
                  </td>
                  <td className="mono small audit-detail">{e.detail && Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage && (
        <button type="button" className="button secondary" onClick={() => void log.fetchNextPage()} data-testid="audit-more">
          {t.audit.loadMore}
        </button>
      )}
    </>
  )
}
