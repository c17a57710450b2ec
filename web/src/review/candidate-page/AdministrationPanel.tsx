/** What managers do about a candidate beyond the review: assignments, the invitation, share links, erasure. */
import type { CandidateDetail } from '../../shared/types'
import { useSession } from '../context'
import { t } from '../strings'
import { InvitationPanel } from '../InvitationPanel'
import { ShareLinks } from '../ShareLinks'
import { Assignments } from './Assignments'
import { EraseCandidate } from './EraseCandidate'

interface AdministrationPanelProps {
  candidate: CandidateDetail
  onChanged: () => Promise<unknown>
  onErased: () => void
}

export function AdministrationPanel({ candidate, onChanged, onErased }: AdministrationPanelProps) {
  const { me } = useSession()
  // Secondary to reviewing: below the review, in its own panel, never between the player and the decision.
  return (
    <section className="admin-panel" aria-labelledby="admin-title" data-testid="administration">
      <h2 id="admin-title">{t.candidate.administration}</h2>
      <p className="muted small">{t.candidate.administrationHelp}</p>
      <div className="admin-grid">
        <Assignments candidate={candidate} onSaved={onChanged} />
        <InvitationPanel candidateId={candidate.candidateId} onChanged={onChanged} />
        {!me.blind && <ShareLinks candidateId={candidate.candidateId} />}
        <EraseCandidate candidateId={candidate.candidateId} onErased={onErased} />
      </div>
    </section>
  )
}
