import { ApiError } from '../shared/api'

/** The pages that end the candidate's flow. */
export type Stop =
  | { kind: 'noToken' }
  | { kind: 'badToken' }
  | { kind: 'deadline' }
  | { kind: 'submitted' }
  | { kind: 'error'; error: unknown }

/** Which ending an API error leads to, if it ends the flow at all (else the step shows it and lets the candidate retry). */
export function stopFor(error: unknown): Stop | null {
  if (!(error instanceof ApiError)) return null
  // Follow-up questions withdrawn while the candidate answered them: back to the status of their submitted interview.
  if (error.code === 'follow_ups_cancelled') return { kind: 'submitted' }
  if (error.code === 'deadline_passed' || error.status === 410) return { kind: 'deadline' }
  if (error.status === 401) return { kind: 'badToken' }
  if (error.code === 'already_completed') return { kind: 'submitted' }
  return null
}
