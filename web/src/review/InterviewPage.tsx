import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../shared/api'
import { duration, formatDate } from '../shared/i18n'
import type { CandidateSummary } from '../shared/types'
import { CopyButton, ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { Analytics } from './Analytics'
import { ApplyLinkPanel } from './ApplyLinkPanel'
import { BulkInvite } from './BulkInvite'
import { CandidateTable } from './CandidateTable'
import { LinkQr } from './LinkQr'
import { isScreening, screeningKindLabel } from './ScreeningFields'
import { TranscriptSearch } from './TranscriptSearch'
import { downloadCsv } from './download'
import { useAct } from './queries'
import { href, navigate } from './router'
import { t } from './strings'

const POLL_MS = 15_000
const PAGE = 50

export function InterviewPage({ interviewId }: { interviewId: string }) {
  const { api } = useSession()
  const path = { path: { interviewId } }
  const interview = useQuery({ queryKey: ['interview', interviewId], queryFn: () => call(api.GET('/api/interviews/{interviewId}', { params: path })) })
  // Polling refreshes the first page; "Show more" appends the pages after it.
  const [more, setMore] = useState<CandidateSummary[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [moreError, setMoreError] = useState<unknown>(null)
  const candidates = useQuery({
    queryKey: ['candidates', interviewId],
    queryFn: async () => {
      const page = await call(api.GET('/api/interviews/{interviewId}/candidates', { params: { ...path, query: { limit: PAGE } } }))
      setCursor((c) => c ?? page.nextCursor ?? null)
      return page.items
    },
    refetchInterval: POLL_MS,
  })
  const loadMore = async () => {
    if (!cursor) return
    try {
      const page = await call(api.GET('/api/interviews/{interviewId}/candidates', { params: { ...path, query: { limit: PAGE, cursor } } }))
      setMore((items) => [...items, ...page.items])
      setCursor(page.nextCursor ?? null)
    } catch (e) {
      setMoreError(e)
    }
  }
  const first = candidates.data ?? []
  const shown = [...first, ...more.filter((m) => !first.some((f) => f.candidateId === m.candidateId))]

  const act = useAct()
  const [query, setQuery] = useState('')
  const [view, setView] = useState<'board' | 'table'>('table')
  const [flaggedOnly, setFlaggedOnly] = useState(false)

  if (interview.error) return <ErrorMessage error={interview.error} />
  if (!interview.data) return <Loading label={t.loading} />
  const iv = interview.data
  const needle = query.trim().toLowerCase()
  // The screening questions by id, with their numbers (none: no flag filter, no screening column).
  const screening = Object.fromEntries(iv.questions.flatMap((q, i) => (isScreening(q.kind) ? [[q.questionId, i + 1] as const] : [])))
  const hasScreening = Object.keys(screening).length > 0
  const filtered = shown.filter(
    (c) =>
      (!needle || c.name.toLowerCase().includes(needle) || c.email.toLowerCase().includes(needle)) &&
      (!flaggedOnly || (c.screeningMissed ?? []).length > 0),
  )

  return (
    <>
      <a className="back" href={href.interviews()}>
        {t.backToInterviews}
      </a>
      <div className="page-title">
        <PageHeading>{iv.title}</PageHeading>
        {iv.status === 'closed' && <span className="badge">{t.interview.closed}</span>}
        {iv.blind && <span className="badge">{t.candidate.blind}</span>}
      </div>
      {iv.description && <p className="lead">{iv.description}</p>}
      <div className="row wrap toolbar" role="group" aria-label={t.interview.actions}>
        <a className="button secondary small" href={href.analytics(interviewId)}>
          {t.interview.analytics}
        </a>
        <a className="button secondary small" href={href.compare(interviewId)}>
          {t.interview.compare}
        </a>
        <a className="button secondary small" href={href.editInterview(interviewId)}>
          {t.interview.edit}
        </a>
        <button
          type="button"
          className="button secondary small"
          onClick={() => act.mutate(async () => navigate(href.interview((await call(api.POST('/api/interviews/{interviewId}/duplicate', { params: path }))).interviewId)))}
        >
          {t.interview.duplicate}
        </button>
        {iv.status !== 'closed' && (
          <button
            type="button"
            className="button secondary small"
            onClick={() => act.mutate(async () => (await call(api.POST('/api/interviews/{interviewId}/close', { params: path })), void interview.refetch()))}
          >
            {t.interview.close}
          </button>
        )}
        <button type="button" className="button secondary small" onClick={() => act.mutate(() => downloadCsv(api, interviewId))}>
          {t.interview.exportCsv}
        </button>
      </div>
      <ErrorMessage error={act.error} />

      <div className="columns">
        <section className="card" aria-labelledby="iv-questions">
          <h2 id="iv-questions">{t.interview.questions}</h2>
          <ol className="question-list">
            {iv.questions.map((q) => (
              <li key={q.questionId}>
                <p className="prompt">{q.prompt}</p>
                <p className="muted small">
                  {isScreening(q.kind) ? screeningKindLabel(q.kind) : q.kind === 'text' ? t.interview.written : t.interview.details(duration(q.thinkSeconds), duration(q.answerSeconds), q.maxTakes)}
                </p>
                {q.media && (
                  <p className="muted small" data-testid="question-media-state">
                    {t.questionVideo.state[q.media.status]}
                  </p>
                )}
              </li>
            ))}
          </ol>
          <h2>{t.interview.rubric}</h2>
          {iv.rubric.length === 0 ? (
            <p className="muted">{t.interview.noRubric}</p>
          ) : (
            <dl className="rubric">
              {iv.rubric.map((r) => (
                <div key={r.name}>
                  <dt>{r.name}</dt>
                  {r.description && <dd>{r.description}</dd>}
                </div>
              ))}
            </dl>
          )}
          <p className="muted small">
            {t.interview.deadline(iv.deadlineDays)} {iv.practiceQuestion && t.interview.practiceOn} {t.interview.language(t.form.languages[iv.language])}
          </p>
        </section>

        <div className="stack">
          <InviteForm interviewId={interviewId} onInvited={() => void candidates.refetch()} />
          <BulkInvite interviewId={interviewId} onInvited={() => void candidates.refetch()} />
          <ApplyLinkPanel interviewId={interviewId} interviewOpen={iv.status !== 'closed' && !iv.archived} />
        </div>
      </div>

      <Analytics interviewId={interviewId} stamp={candidates.dataUpdatedAt} />

      <section aria-labelledby="iv-candidates" className="section">
        <div className="section-title">
          <h2 id="iv-candidates">{t.interview.candidates}</h2>
          <button type="button" className="button secondary small" onClick={() => void candidates.refetch()} disabled={candidates.isFetching}>
            {candidates.isFetching ? t.refreshing : t.refresh}
          </button>
          <span className="muted small">
            {candidates.data && t.interview.updated(new Date(candidates.dataUpdatedAt).toLocaleTimeString())}
          </span>
        </div>
        <div className="row wrap">
          <div className="field">
            <label htmlFor="candidate-search">{t.interview.search}</label>
            <input id="candidate-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="candidate-search" />
          </div>
          {hasScreening && (
            <div className="check">
              <input id="flagged-only" type="checkbox" checked={flaggedOnly} onChange={(e) => setFlaggedOnly(e.target.checked)} data-testid="flagged-only" />
              <label htmlFor="flagged-only">{t.screening.filterFlagged}</label>
            </div>
          )}
          <fieldset className="choice-group">
            <legend className="visually-hidden">{t.interview.viewAs}</legend>
            {(['table', 'board'] as const).map((v) => (
              <label key={v} className="choice">
                <input type="radio" name="candidate-view" checked={view === v} onChange={() => setView(v)} />
                <span>{t.interview.views[v]}</span>
              </label>
            ))}
          </fieldset>
        </div>
        <TranscriptSearch interviewId={interviewId} questionIds={iv.questions.map((q) => q.questionId)} />
        <ErrorMessage error={candidates.error} />
        {candidates.data && (shown.length === 0 ? (
            <p className="empty" data-testid="no-candidates">
              {t.interview.noCandidates}
            </p>
          ) : view === 'board' ? (
            <Board items={filtered} screening={screening} />
          ) : (
            <CandidateTable
              interviewId={interviewId}
              items={filtered}
              searching={!!needle || flaggedOnly}
              flag={(c) => (
                <>
                  <AccommodationFlag candidate={c} /> <ScreeningFlag candidate={c} screening={screening} />
                </>
              )}
              screening={hasScreening ? screening : undefined}
              onChanged={() => void candidates.refetch()}
            />
          ))}
        <ErrorMessage error={moreError} />
        {cursor && (
          <button type="button" className="button secondary" onClick={loadMore}>
            {t.interviews.loadMore}
          </button>
        )}
        {candidates.isPending && <Loading label={t.loading} />}
      </section>
    </>
  )
}

const COLUMNS = ['invited', 'started', 'completed', 'ready', 'reviewed', 'advanced', 'held', 'rejected']

/** The pipeline board: one column per status, with its count. */
function Board({ items, screening }: { items: CandidateSummary[]; screening: Record<string, number> }) {
  return (
    <div className="board" data-testid="board">
      {COLUMNS.map((status) => {
        const inColumn = items.filter((c) => c.status === status)
        const id = `col-${status}`
        return (
          <section key={status} className="board-column" aria-labelledby={id} data-testid="board-column" data-status={status}>
            <h3 id={id}>
              {t.status[status]} <span className="count" data-testid="column-count">{inColumn.length}</span>
            </h3>
            <ul className="plain">
              {inColumn.map((c) => (
                <li key={c.candidateId} className="board-card" data-testid="candidate-row" data-candidate-id={c.candidateId} data-status={c.status}>
                  <a href={href.candidate(c.candidateId)}>{c.name}</a>
                  <span className="muted small">{formatDate(c.completedAt ?? c.invitedAt)}</span>
                  <AccommodationFlag candidate={c} />
                  <ScreeningFlag candidate={c} screening={screening} />
                </li>
              ))}
            </ul>
          </section>
        )
      })}
    </div>
  )
}

/** A request for extra time or a written answer that waits for the recruiter, on the board and in the table. */
function AccommodationFlag({ candidate }: { candidate: CandidateSummary }) {
  const n = candidate.pendingAccommodations ?? 0
  if (!n) return null
  return (
    <span className="badge badge-attention" data-testid="accommodation-flag" title={t.interview.accommodation(n)}>
      <span aria-hidden="true">⚑ </span>
      {t.interview.accommodationShort}
      <span className="visually-hidden">{`: ${t.interview.accommodation(n)}`}</span>
    </span>
  )
}

/** A screening answer that missed the recruiter's preferred answer: a flag for a person to look at, never a rejection. */
function ScreeningFlag({ candidate, screening }: { candidate: CandidateSummary; screening: Record<string, number> }) {
  const missed = candidate.screeningMissed ?? []
  if (!missed.length) return null
  const which = t.screening.missedList(missed.map((q) => screening[q] ?? 0))
  return (
    <span className="badge badge-attention" data-testid="screening-flag" title={t.screening.flagged(which)}>
      <span aria-hidden="true">⚑ </span>
      {t.screening.flag}
      <span className="visually-hidden">{`: ${t.screening.flagged(which)}`}</span>
    </span>
  )
}

function InviteForm({ interviewId, onInvited }: { interviewId: string; onInvited: () => void }) {
  const { api } = useSession()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [sendEmail, setSendEmail] = useState(true)
  const invite = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/interviews/{interviewId}/invitations', {
          params: { path: { interviewId } },
          body: { candidates: [{ name: name.trim(), email: email.trim() }], sendEmail },
        }),
      ),
    onSuccess: () => (setName(''), setEmail(''), onInvited()),
  })
  const invited = invite.data?.items[0]

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t.interview.invite}</h2>
      <p className="muted small">{t.interview.inviteHelp}</p>
      <form className="stack" onSubmit={(e) => (e.preventDefault(), invite.mutate())} data-testid="invite-form">
        <div className="field">
          <label htmlFor="invite-name">{t.interview.name}</label>
          <input id="invite-name" required maxLength={200} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="invite-email">{t.interview.email}</label>
          <input id="invite-email" type="email" required maxLength={254} autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="check">
          <input id="invite-send" type="checkbox" checked={sendEmail} onChange={(e) => setSendEmail(e.target.checked)} />
          <label htmlFor="invite-send">{t.interview.sendEmail}</label>
        </div>
        <ErrorMessage error={invite.error} />
        <div>
          <button type="submit" className="button" disabled={invite.isPending}>
            {invite.isPending ? t.interview.inviting : t.interview.inviteButton}
          </button>
        </div>
      </form>
      {invited && (
        <div className="notice notice-success invite-result" role="status">
          <p>{t.interview.invited(invited.name)}</p>
          <div className="row">
            <label className="visually-hidden" htmlFor="invite-url">
              {t.interview.inviteLink}
            </label>
            <input id="invite-url" className="grow mono" readOnly value={invited.inviteUrl} data-testid="invite-url" onFocus={(e) => e.target.select()} />
            <CopyButton text={invited.inviteUrl} label={t.interview.copy} copiedLabel={t.interview.copied} />
          </div>
          <LinkQr link={invited.inviteUrl} id="invite-qr" />
        </div>
      )}
    </section>
  )
}
