import { createContext, useContext } from 'react'
import type { Api } from '../shared/api'

export interface Candidate {
  api: Api
  /** Where this invitation's unsent recordings are kept on the device (a digest of the token). */
  scope: string
  /** Takes go while they are recorded (the server's choice; else after, whole). */
  liveUpload: boolean
}

export const CandidateContext = createContext<Candidate | null>(null)

export function useCandidate(): Candidate {
  const value = useContext(CandidateContext)
  if (!value) throw new Error('useCandidate outside the candidate app')
  return value
}
