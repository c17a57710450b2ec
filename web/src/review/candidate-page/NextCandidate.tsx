/** The candidate to review after this one, and the prefetch of their details and first recording. */
import { useEffect, useState } from 'react'
import { call } from '../../shared/api'
import type { CandidateDetail } from '../../shared/types'
import { useSession } from '../context'
import { fetchDetail, keepPrefetched, UNSUBMITTED } from './detail'

/** The candidates to review after this one: the interview's submitted candidates, or a reviewer's assignments. */
export function useNextCandidate(c: CandidateDetail | undefined): string | undefined {
  const { api, me } = useSession()
  const [next, setNext] = useState<string>()
  useEffect(() => {
    if (!c) return
    let live = true
    const load = async (): Promise<string[]> => {
      if (me.role === 'reviewer') {
        const mine = await call(api.GET('/api/assignments'))
        return mine.items.filter((a) => a.interviewId === c.interviewId).map((a) => a.candidateId)
      }
      const page = await call(api.GET('/api/interviews/{interviewId}/candidates', { params: { path: { interviewId: c.interviewId }, query: { limit: 100 } } }))
      return page.items.filter((x) => !UNSUBMITTED.includes(x.status)).map((x) => x.candidateId)
    }
    load()
      .then((ids) => {
        const at = ids.indexOf(c.candidateId)
        const rest = [...ids.slice(at + 1), ...ids.slice(0, Math.max(0, at))].filter((id) => id !== c.candidateId)
        if (live) setNext(rest[0])
      })
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [api, me.role, c?.candidateId, c?.interviewId])
  return next
}

export function Prefetch({ candidateId }: { candidateId: string }) {
  const { api } = useSession()
  const [url, setUrl] = useState<string>()
  useEffect(() => {
    let live = true
    fetchDetail(api, candidateId)
      .then((detail) => {
        keepPrefetched(candidateId, detail)
        const first = detail.answers.find((a) => a.videoUrl || a.audioUrl)
        if (live) setUrl(first?.videoUrl ?? first?.audioUrl ?? undefined)
      })
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [api, candidateId])
  return url ? <link rel="prefetch" href={url} as="video" data-testid="prefetch-next" /> : null
}
