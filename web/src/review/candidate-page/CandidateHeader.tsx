/** The top of the candidate page: the way back, the shortcuts and the next candidate, who this is and where they stand. */
import { formatDate } from '../../shared/i18n'
import type { CandidateDetail } from '../../shared/types'
import { PageHeading } from '../../shared/ui'
import { href } from '../router'
import { StatusBadge } from '../StatusBadge'
import { t } from '../strings'
import type { Queue } from './NextCandidate'

interface CandidateHeaderProps {
  candidate: CandidateDetail
  manager: boolean
  queue: Queue
  onHelp: () => void
}

export function CandidateHeader({ candidate: c, manager, queue, onHelp }: CandidateHeaderProps) {
  const next = queue.next
  return (
    <div className="candidate-top">
      <div className="row spread">
        {manager ? (
          <a className="back" href={href.interview(c.interviewId)}>
            {t.candidate.backToInterview(c.interviewTitle)}
          </a>
        ) : (
          <a className="back" href={href.interviews()}>
            {t.backToInterviews}
          </a>
        )}
        <div className="row">
          <span className="queue muted small" data-testid="review-queue" data-position={queue.position ?? ''} data-total={queue.total}>
            {queue.position != null
              ? t.candidate.queuePosition(queue.position, queue.total, manager)
              : t.candidate.queueWaiting(queue.total, manager)}
          </span>
          <button type="button" className="button secondary small keyboard-hint" onClick={onHelp} aria-keyshortcuts="?">
            {t.shortcuts.button}
          </button>
          {next && (
            <a className="button secondary small" href={href.candidate(next)} aria-keyshortcuts="n" data-testid="next-candidate">
              {queue.total > (queue.position != null ? 1 : 0) ? t.candidate.nextInQueue : t.candidate.nextCandidate}
            </a>
          )}
        </div>
      </div>
      <div className="page-title">
        <PageHeading>{c.label}</PageHeading>
        <StatusBadge status={c.status} />
        {c.blind && (
          <span className="badge" data-testid="blind-badge">
            {t.candidate.blind}
          </span>
        )}
      </div>
      <p className="muted" data-testid="candidate-meta">
        {c.email && <>{c.email} · </>}
        {t.candidate.invitedOn(formatDate(c.invitedAt))} · {t.candidate.deadline(formatDate(c.expiresAt))}
        {c.completedAt && <> · {t.candidate.completedOn(formatDate(c.completedAt, true))}</>}
      </p>
    </div>
  )
}
