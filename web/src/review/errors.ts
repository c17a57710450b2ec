/** API errors in a recruiter's words: the code picks a sentence from the strings; the server's text is never shown. */
import { ApiError } from '../shared/api'
import { t } from './strings'

/** The message to show for `error` (null for none). Errors the app raises itself already carry its own words. */
export function humanError(error: unknown): string | null {
  if (!error) return null
  if (error instanceof ApiError) return t.apiErrors[error.code] ?? t.apiErrorByStatus(error.status)
  if (error instanceof Error && error.name === 'AbortError') return null
  if (error instanceof Error && error.name === 'LocalError') return error.message
  return t.apiErrorByStatus(0)
}

/** An error the app raises with its own words (shown as it is). */
export class LocalError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LocalError'
  }
}
