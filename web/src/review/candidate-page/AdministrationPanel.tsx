/** What managers do about a candidate beyond the review: assignments, the invitation, share links, erasure. */
import type { CandidateDetail } from '../../shared/types'
import { useSession } from '../context'
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
  return (
    <>
      <Assignments candidate={candidate} onSaved={onChanged} />
      <InvitationPanel candidateId={candidate.candidateId} onChanged={onChanged} />
      {!me.blind && <ShareLinks candidateId={candidate.candidateId} />}
      <EraseCandidate candidateId={candidate.candidateId} onErased={onErased} />
    </>
  )
}
