/** The candidate to review after this one, and the prefetch of their details and first recording. */
import { useQuery } from '@tanstack/react-query'
import { call } from '../../shared/api'
import type { CandidateDetail } from '../../shared/types'
import { useSession } from '../context'
import { aheadKey, fetchDetail, PREFETCH_FRESH_MS, UNSUBMITTED } from './detail'

/** Where this candidate stands in the member's queue: for a manager, the interview's submitted, undecided
 * candidates they have not reviewed yet (the list's write-time review figures); for a reviewer, their assignments. */
export interface Queue {
  /** The candidate to open after this one. */
  next: string | undefined
  /** This candidate's place in the queue (1-based), when they are in it. */
  position: number | null
  /** How many candidates wait, this one included when in the queue. */
  total: number
}

export function useReviewQueue(c: CandidateDetail | undefined): Queue {
  const { api, me } = useSession()
  const queue = useQuery({
    queryKey: ['candidate', c?.candidateId, 'queue', c?.interviewId, me.role],
    enabled: !!c,
    queryFn: async () => {
      const { candidateId, interviewId } = c!
      let waiting: string[]
      let all: string[]
      if (me.role === 'reviewer') {
        waiting = all = (await call(api.GET('/api/assignments'))).items.filter((a) => a.interviewId === interviewId).map((a) => a.candidateId)
      } else {
        const items = (await call(api.GET('/api/interviews/{interviewId}/candidates', { params: { path: { interviewId }, query: { limit: 100 } } }))).items
        const submitted = items.filter((x) => !UNSUBMITTED.includes(x.status))
        all = submitted.map((x) => x.candidateId)
        waiting = submitted.filter((x) => !x.decision && (!x.reviewedByMe || x.candidateId === candidateId)).map((x) => x.candidateId)
      }
      const at = waiting.indexOf(candidateId)
      const after = (ids: string[], i: number) => [...ids.slice(i + 1), ...ids.slice(0, Math.max(0, i))].find((id) => id !== candidateId)
      // Nobody else waits: the next submitted candidate, so the recruiter can still move on.
      const next = after(waiting, at) ?? after(all, all.indexOf(candidateId)) ?? null
      return { next, position: at >= 0 ? at + 1 : null, total: waiting.length }
    },
  })
  return { next: queue.data?.next ?? undefined, position: queue.data?.position ?? null, total: queue.data?.total ?? 0 }
}

export function Prefetch({ candidateId }: { candidateId: string }) {
  const { api } = useSession()
  const ahead = useQuery({ queryKey: aheadKey(candidateId), queryFn: () => fetchDetail(api, candidateId), gcTime: PREFETCH_FRESH_MS, staleTime: PREFETCH_FRESH_MS })
  const first = ahead.data?.answers.find((a) => a.videoUrl || a.audioUrl)
  const url = first?.videoUrl ?? first?.audioUrl
  return url ? <link rel="prefetch" href={url} as="video" data-testid="prefetch-next" /> : null
}
