/** The one HTTP client, typed from the OpenAPI document the backend generates. */
import createClient from 'openapi-fetch'
import type { paths } from './api-schema'

export type Api = ReturnType<typeof createClient<paths>>

/** A failed call: `message` is fit to show, `code` is for logic (e.g. `deadline_passed`). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export const NETWORK_ERROR = 'network_error'

/** Waits before the retries of a throttled call (429): doubling, each drawn at random up to its
 * ceiling ("full jitter") so that a cohort throttled together does not come back together. */
const BACKOFF_CEILINGS_MS = [500, 1000, 2000, 4000, 8000]

/** fetch, retrying a call the API throttled (429: API Gateway's throttle, or the server's own
 * limit) after Retry-After or the backoff above. A throttled call was not run, so any method is
 * safe to send again. */
export async function fetchWithBackoff(request: Request, ceilings = BACKOFF_CEILINGS_MS): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(attempt < ceilings.length ? request.clone() : request)
    if (response.status !== 429 || attempt >= ceilings.length) return response
    const retryAfter = Number(response.headers.get('Retry-After'))
    const wait = retryAfter > 0 ? Math.min(retryAfter * 1000, 30_000) : Math.random() * (ceilings[attempt] ?? 0)
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
}

export function createApi(
  apiUrl: string,
  token: () => Promise<string | null>,
  onUnauthorized?: () => void,
  onForbidden?: (code: string) => void,
): Api {
  const client = createClient<paths>({ baseUrl: apiUrl, fetch: (request) => fetchWithBackoff(request) })
  client.use({
    async onRequest({ request }) {
      const value = await token()
      if (value) request.headers.set('Authorization', `Bearer ${value}`)
      return request
    },
    async onResponse({ response }) {
      if (response.status === 401) onUnauthorized?.()
      if (response.status === 403 && onForbidden) {
        // e.g. `mfa_required`: the organization now requires something of the member before anything else.
        const body = (await response.clone().json().catch(() => ({}))) as { code?: unknown }
        if (typeof body.code === 'string') onForbidden(body.code)
      }
      return response
    },
  })
  return client
}

export interface Outcome<T> {
  data?: T
  error?: unknown
  response: Response
}

/** Await an openapi-fetch call; return its body or throw an ApiError with the server's message. */
export async function call<T>(pending: Promise<Outcome<T>>, networkMessage = 'The server could not be reached. Check your connection and try again.'): Promise<NonNullable<T>> {
  let outcome: Outcome<T>
  try {
    outcome = await pending
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(networkMessage, NETWORK_ERROR, 0)
  }
  const { data, error, response } = outcome
  if (!response.ok || error !== undefined) {
    const body = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; code?: unknown }
    const message = typeof body.message === 'string' && body.message ? body.message : `${response.status} ${response.statusText}`.trim()
    const code = typeof body.code === 'string' ? body.code : `http_${response.status}`
    throw new ApiError(message, code, response.status)
  }
  return (data ?? {}) as NonNullable<T>
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}
