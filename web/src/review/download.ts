/** The interview's candidates as CSV (all, or the chosen ones): fetched with the session's token in one request,
 * saved through a temporary link. */
import type { Api } from '../shared/api'
import { call } from '../shared/api'

export async function downloadCsv(api: Api, interviewId: string, candidateIds?: string[]): Promise<void> {
  const query = candidateIds ? { candidateIds: candidateIds.join(',') } : {}
  const text = await call(
    api.GET('/api/interviews/{interviewId}/candidates.csv', { params: { path: { interviewId }, query }, parseAs: 'text' }),
  )
  const url = URL.createObjectURL(new Blob([text as string], { type: 'text/csv' }))
  const a = document.createElement('a')
  a.href = url
  a.download = candidateIds ? `candidates-${interviewId}-selected.csv` : `candidates-${interviewId}.csv`
  document.body.append(a)
  a.click()
  a.remove()
  URL.revokeObjectURL(url)
}
