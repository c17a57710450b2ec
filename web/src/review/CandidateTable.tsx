/** The interview's candidates as a table that works in bulk: checkboxes (shift-click for a range, a header box for
 * every candidate shown), sortable columns, and one action on the chosen ones in one request. */
import { useMutation, useQuery } from '@tanstack/react-query'
import { type MouseEvent, useState } from 'react'
import { call } from '../shared/api'
import { formatDate, locale } from '../shared/i18n'
import type { CandidateSummary } from '../shared/types'
import { ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { downloadCsv } from './download'
import { href } from './router'
import { StatusBadge } from './StatusBadge'
import { t } from './strings'

type SortKey = 'name' | 'status' | 'submitted' | 'average' | 'mine' | 'reviews' | 'decision' | 'screening'
const ORDER = ['invited', 'started', 'completed', 'ready', 'reviewed', 'advanced', 'held', 'rejected']
const value = (c: CandidateSummary, key: SortKey): string | number =>
  key === 'name'
    ? c.name.toLowerCase()
    : key === 'status'
      ? ORDER.indexOf(c.status)
      : key === 'submitted'
        ? (c.completedAt ?? '')
        : key === 'average'
          ? (c.averageScore ?? -1)
          : key === 'mine'
            ? (c.myScore ?? -1)
            : key === 'reviews'
              ? (c.reviews ?? 0)
              : key === 'screening'
                ? (c.screeningMissed ?? []).length
                : (c.decision ?? '')

type Action = 'advance' | 'hold' | 'reject' | 'remind' | 'resend' | 'extend' | 'assign'
const ACTIONS: Action[] = ['advance', 'hold', 'reject', 'remind', 'resend', 'extend', 'assign']

export function CandidateTable({
  interviewId,
  items,
  searching,
  flag,
  screening,
  onChanged,
}: {
  interviewId: string
  items: CandidateSummary[]
  searching: boolean
  flag: (c: CandidateSummary) => React.ReactNode
  /** The interview's screening questions by id, with their numbers: a column of the ones each candidate missed. */
  screening?: Record<string, number>
  onChanged: () => void
}) {
  const { api } = useSession()
  const [sort, setSort] = useState<{ key: SortKey; up: boolean }>({ key: 'submitted', up: false })
  const [chosen, setChosen] = useState<string[]>([])
  const [anchor, setAnchor] = useState<number | null>(null)
  const rows = [...items].sort((a, b) => {
    const x = value(a, sort.key)
    const y = value(b, sort.key)
    return (x < y ? -1 : x > y ? 1 : 0) * (sort.up ? 1 : -1)
  })
  const shownIds = rows.map((c) => c.candidateId)
  const picked = chosen.filter((id) => shownIds.includes(id))
  const all = rows.length > 0 && picked.length === rows.length

  const toggle = (i: number, e: MouseEvent<HTMLInputElement>) => {
    const id = rows[i]!.candidateId
    const on = !chosen.includes(id)
    // Shift-click: every row between the last one clicked and this one takes this one's new state.
    const range = e.shiftKey && anchor !== null ? shownIds.slice(Math.min(anchor, i), Math.max(anchor, i) + 1) : [id]
    setChosen((c) => (on ? [...new Set([...c, ...range])] : c.filter((x) => !range.includes(x))))
    setAnchor(i)
  }
  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.up ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={() => setSort((s) => ({ key, up: s.key === key ? !s.up : true }))}>
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.up ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  )
  const score = (n: number | null | undefined) => (n == null ? '–' : n.toLocaleString(locale, { maximumFractionDigits: 1 }))

  if (items.length === 0) return <p className="empty">{searching ? t.interview.noMatches : t.interview.noCandidates}</p>
  return (
    <>
      <BulkBar interviewId={interviewId} chosen={picked} rows={rows} onDone={onChanged} onClear={() => setChosen([])} api={api} />
      <div className="table-wrap" tabIndex={0}>
        <table className="table candidates-table reflow" data-testid="candidate-list">
          <thead>
            <tr>
              <th scope="col" className="check-cell">
                <input
                  type="checkbox"
                  aria-label={t.selection.selectAll(rows.length)}
                  checked={all}
                  ref={(el) => {
                    if (el) el.indeterminate = picked.length > 0 && !all
                  }}
                  onChange={() => setChosen(all ? [] : shownIds)}
                  data-testid="select-all"
                />
              </th>
              {header('name', t.interview.colName)}
              {header('status', t.interview.colStatus)}
              {header('submitted', t.selection.colSubmitted)}
              {header('average', t.selection.colAverage)}
              {header('mine', t.selection.colMine)}
              {header('reviews', t.selection.colReviews)}
              {header('decision', t.selection.colDecision)}
              {screening && header('screening', t.screening.column)}
            </tr>
          </thead>
          <tbody>
            {rows.map((c, i) => (
              <tr key={c.candidateId} data-testid="candidate-row" data-candidate-id={c.candidateId} data-status={c.status} data-selected={chosen.includes(c.candidateId)}>
                <td className="check-cell">
                  <input
                    type="checkbox"
                    aria-label={t.selection.select(c.name)}
                    checked={chosen.includes(c.candidateId)}
                    onClick={(e) => toggle(i, e)}
                    onChange={() => undefined}
                  />
                </td>
                <th scope="row">
                  <a href={href.candidate(c.candidateId)}>{c.name}</a> {flag(c)}
                  {c.email && <span className="muted small block">{c.email}</span>}
                </th>
                <td data-label={t.interview.colStatus}>
                  <StatusBadge status={c.status} />
                </td>
                <td className="nowrap" data-label={t.selection.colSubmitted}>
                  {c.completedAt ? formatDate(c.completedAt) : '–'}
                </td>
                <td className="num" data-testid="cell-average" data-label={t.selection.colAverage}>
                  {score(c.averageScore)}
                </td>
                <td className="num" data-testid="cell-mine" data-label={t.selection.colMine}>
                  {score(c.myScore)}
                </td>
                <td className="num" data-label={t.selection.colReviews}>
                  {c.reviews ?? 0}
                </td>
                <td data-label={t.selection.colDecision}>{c.decision ? t.decision[c.decision] : '–'}</td>
                {screening && (
                  <td data-label={t.screening.column} data-testid="cell-screening">
                    {(c.screeningMissed ?? []).length ? t.screening.missedList((c.screeningMissed ?? []).map((q) => screening[q] ?? 0)) : '–'}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

function BulkBar({
  interviewId,
  chosen,
  rows,
  onDone,
  onClear,
  api,
}: {
  interviewId: string
  chosen: string[]
  rows: CandidateSummary[]
  onDone: () => void
  onClear: () => void
  api: ReturnType<typeof useSession>['api']
}) {
  const [action, setAction] = useState<Action | ''>('')
  const [note, setNote] = useState('')
  const [days, setDays] = useState(7)
  const [reviewer, setReviewer] = useState('')
  const members = useQuery({ queryKey: ['members'], queryFn: () => call(api.GET('/api/members')), enabled: action === 'assign' })
  // The next-step email with an advance: ticked by default when the interview has a scheduling link (the interview
  // page has it loaded under this key).
  const interview = useQuery({ queryKey: ['interview', interviewId], queryFn: () => call(api.GET('/api/interviews/{interviewId}', { params: { path: { interviewId } } })) })
  const [nextStep, setNextStep] = useState<boolean | null>(null)
  const sendNextStep = nextStep ?? Boolean(interview.data?.schedulingUrl)
  const run = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/interviews/{interviewId}/candidates/bulk', {
          params: { path: { interviewId } },
          body: {
            action: action as Action,
            candidateIds: chosen,
            note: note.trim() || null,
            days: action === 'extend' ? days : null,
            reviewerId: action === 'assign' ? reviewer : null,
            // Untouched: the API's default (the link set, and not for a candidate advanced already).
            sendNextStep: action === 'advance' ? nextStep : null,
          },
        }),
      ),
    onSuccess: () => (setNote(''), onDone()),
  })
  const exportChosen = useMutation({ mutationFn: () => downloadCsv(api, interviewId, chosen) })
  const decision = action === 'advance' || action === 'hold' || action === 'reject'
  const name = (id: string) => rows.find((r) => r.candidateId === id)?.name ?? id
  const failed = run.data?.items.filter((i) => !i.ok) ?? []
  const ready = !!action && (!decision || !!note.trim()) && (action !== 'assign' || !!reviewer)
  return (
    <div className="bulk-bar" data-testid="bulk-bar" data-active={chosen.length > 0}>
      <span className="bulk-count" role="status" data-testid="selected-count">
        {chosen.length > 0 ? t.selection.selected(chosen.length) : t.selection.noneSelected}
      </span>
      {chosen.length > 0 && (
        <form className="row wrap bulk-form" onSubmit={(e) => (e.preventDefault(), run.mutate())}>
          <div className="field">
            <label htmlFor="bulk-action">{t.selection.action}</label>
            <select id="bulk-action" value={action} onChange={(e) => setAction(e.target.value as Action | '')}>
              <option value="">{t.selection.chooseAction}</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t.selection.actions[a]}
                </option>
              ))}
            </select>
          </div>
          {decision && (
            <div className="field grow">
              <label htmlFor="bulk-note">{t.selection.reason}</label>
              <input id="bulk-note" required maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
          )}
          {action === 'advance' && (
            <div className="check">
              <input id="bulk-next-step" type="checkbox" checked={sendNextStep} onChange={(e) => setNextStep(e.target.checked)} />
              <label htmlFor="bulk-next-step">{t.candidate.sendNextStep}</label>
            </div>
          )}
          {action === 'extend' && (
            <div className="field">
              <label htmlFor="bulk-days">{t.selection.days}</label>
              <select id="bulk-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
                {[3, 7, 14, 30].map((d) => (
                  <option key={d} value={d}>
                    {t.selection.daysOption(d)}
                  </option>
                ))}
              </select>
            </div>
          )}
          {action === 'assign' && (
            <div className="field">
              <label htmlFor="bulk-reviewer">{t.selection.reviewer}</label>
              <select id="bulk-reviewer" value={reviewer} onChange={(e) => setReviewer(e.target.value)} required>
                <option value="">{t.selection.chooseReviewer}</option>
                {(members.data?.items ?? []).map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.email}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button type="submit" className="button small align-end" disabled={!ready || run.isPending}>
            {run.isPending ? t.saving : t.selection.apply(chosen.length)}
          </button>
          <button type="button" className="button secondary small align-end" onClick={() => exportChosen.mutate()}>
            {t.selection.export}
          </button>
          <button type="button" className="button secondary small align-end" onClick={onClear}>
            {t.selection.clear}
          </button>
        </form>
      )}
      <ErrorMessage error={run.error ?? exportChosen.error} />
      <div role="status" data-testid="bulk-result">
        {run.data && (
          <>
            <p>{t.selection.done(run.data.done, run.data.items.length)}</p>
            {failed.length > 0 && (
              <ul className="plain small">
                {failed.map((f) => (
                  <li key={f.candidateId} data-testid="bulk-failed">
                    {t.selection.failed(name(f.candidateId), t.selection.reasons[f.error ?? ''] ?? f.message ?? f.error ?? '')}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  )
}
