/** A candidate's details for the review page, with the media addresses of a prefetch kept where they still hold. */
import type { QueryClient } from '@tanstack/react-query'
import { type Api, call } from '../../shared/api'
import type { CandidateDetail, DecisionValue } from '../../shared/types'

/** Statuses of a candidate who has not submitted yet. */
export const UNSUBMITTED = ['invited', 'started']
export const DECISIONS: DecisionValue[] = ['advance', 'hold', 'reject']
export const PREFETCH_FRESH_MS = 5 * 60_000

// The next candidate's details, fetched ahead (NextCandidate.tsx). Their page still asks the API (blind review or
// assignments may have changed since), but keeps the prefetched media URLs where they name the same object, so the
// browser's cached copy of the first video is the one that plays.
export const aheadKey = (candidateId: string) => ['candidate', candidateId, 'ahead']

const objectOf = (url: string | null | undefined) => (url ? url.split('?')[0] : undefined)

function keepPrefetchedUrls(fresh: CandidateDetail, early: CandidateDetail): CandidateDetail {
  const answers = fresh.answers.map((a) => {
    const old = early.answers.find((o) => o.questionId === a.questionId)
    if (!old) return a
    const same = (k: 'videoUrl' | 'audioUrl' | 'posterUrl' | 'captionsUrl') => (a[k] && objectOf(a[k]) === objectOf(old[k]) && !!old[k] ? old[k] : a[k])
    return { ...a, videoUrl: same('videoUrl'), audioUrl: same('audioUrl'), posterUrl: same('posterUrl'), captionsUrl: same('captionsUrl') }
  })
  return { ...fresh, answers }
}

export function fetchDetail(api: Api, candidateId: string): Promise<CandidateDetail> {
  return call(api.GET('/api/candidates/{candidateId}', { params: { path: { candidateId } } }))
}

export async function loadDetail(api: Api, queries: QueryClient, candidateId: string): Promise<CandidateDetail> {
  const early = queries.getQueryState<CandidateDetail>(aheadKey(candidateId))
  queries.removeQueries({ queryKey: aheadKey(candidateId) })
  const fresh = await fetchDetail(api, candidateId)
  return early?.data && Date.now() - early.dataUpdatedAt < PREFETCH_FRESH_MS ? keepPrefetchedUrls(fresh, early.data) : fresh
}
