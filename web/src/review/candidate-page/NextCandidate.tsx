/** The candidate to review after this one, and the prefetch of their details and first recording. */
import { useQuery } from '@tanstack/react-query'
import { call } from '../../shared/api'
import type { CandidateDetail } from '../../shared/types'
import { useSession } from '../context'
import { aheadKey, fetchDetail, PREFETCH_FRESH_MS, UNSUBMITTED } from './detail'

/** The candidates to review after this one: the interview's submitted candidates, or a reviewer's assignments. */
export function useNextCandidate(c: CandidateDetail | undefined): string | undefined {
  const { api, me } = useSession()
  const next = useQuery({
    queryKey: ['candidate', c?.candidateId, 'next', c?.interviewId, me.role],
    enabled: !!c,
    queryFn: async () => {
      const { candidateId, interviewId } = c!
      const ids =
        me.role === 'reviewer'
          ? (await call(api.GET('/api/assignments'))).items.filter((a) => a.interviewId === interviewId).map((a) => a.candidateId)
          : (await call(api.GET('/api/interviews/{interviewId}/candidates', { params: { path: { interviewId }, query: { limit: 100 } } }))).items
              .filter((x) => !UNSUBMITTED.includes(x.status))
              .map((x) => x.candidateId)
      const at = ids.indexOf(candidateId)
      return [...ids.slice(at + 1), ...ids.slice(0, Math.max(0, at))].find((id) => id !== candidateId) ?? null
    },
  })
  return next.data ?? undefined
}

export function Prefetch({ candidateId }: { candidateId: string }) {
  const { api } = useSession()
  const ahead = useQuery({ queryKey: aheadKey(candidateId), queryFn: () => fetchDetail(api, candidateId), gcTime: PREFETCH_FRESH_MS, staleTime: PREFETCH_FRESH_MS })
  const first = ahead.data?.answers.find((a) => a.videoUrl || a.audioUrl)
  const url = first?.videoUrl ?? first?.audioUrl
  return url ? <link rel="prefetch" href={url} as="video" data-testid="prefetch-next" /> : null
}
