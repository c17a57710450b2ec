/** Hash routes keep every page of the review app one stable, bookmarkable URL inside index.html. */
import { useEffect, useState } from 'react'

export type Route =
  | { name: 'interviews' }
  | { name: 'newInterview' }
  | { name: 'interview'; interviewId: string }
  | { name: 'editInterview'; interviewId: string }
  | { name: 'analytics'; interviewId: string }
  | { name: 'compare'; interviewId: string }
  | { name: 'members' }
  | { name: 'security' }
  | { name: 'audit' }
  | { name: 'candidate'; candidateId: string; questionId?: string; at?: number }
  | { name: 'notFound' }

export const href = {
  interviews: () => '#/',
  newInterview: () => '#/interviews/new',
  interview: (id: string) => `#/interviews/${encodeURIComponent(id)}`,
  candidate: (id: string) => `#/candidates/${encodeURIComponent(id)}`,
  /** A candidate's page opened at one answer, playing from a second of it (a transcript search's hit). */
  answerAt: (id: string, questionId: string, at?: number | null) =>
    `#/candidates/${encodeURIComponent(id)}?answer=${encodeURIComponent(questionId)}${at != null ? `&t=${Math.max(0, Math.floor(at))}` : ''}`,
  editInterview: (id: string) => `#/interviews/${encodeURIComponent(id)}/edit`,
  analytics: (id: string) => `#/interviews/${encodeURIComponent(id)}/analytics`,
  members: () => '#/members',
  security: () => '#/security',
  audit: () => '#/audit',
  compare: (id: string) => `#/interviews/${encodeURIComponent(id)}/compare`,
}

export function parseRoute(hash: string): Route {
  const [path = '/', search = ''] = (hash.replace(/^#/, '') || '/').split('?')
  if (path === '/' || path === '/interviews') return { name: 'interviews' }
  if (path === '/interviews/new') return { name: 'newInterview' }
  if (path === '/members') return { name: 'members' }
  if (path === '/security') return { name: 'security' }
  if (path === '/audit') return { name: 'audit' }
  const sub = /^\/interviews\/([^/]+)\/(edit|analytics|compare)$/.exec(path)
  if (sub?.[1]) {
    const name = sub[2] === 'edit' ? 'editInterview' : sub[2] === 'compare' ? 'compare' : 'analytics'
    return { name, interviewId: decodeURIComponent(sub[1]) }
  }
  let m = /^\/interviews\/([^/]+)$/.exec(path)
  if (m?.[1]) return { name: 'interview', interviewId: decodeURIComponent(m[1]) }
  m = /^\/candidates\/([^/]+)$/.exec(path)
  if (m?.[1]) {
    const query = new URLSearchParams(search)
    const at = Number(query.get('t'))
    return { name: 'candidate', candidateId: decodeURIComponent(m[1]), questionId: query.get('answer') ?? undefined, at: query.has('t') && Number.isFinite(at) ? at : undefined }
  }
  return { name: 'notFound' }
}

export function navigate(to: string) {
  window.location.hash = to
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const onChange = () => {
      setRoute(parseRoute(window.location.hash))
      window.scrollTo(0, 0)
    }
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
