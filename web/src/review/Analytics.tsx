import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { call } from '../shared/api'
import { locale } from '../shared/i18n'
import { useSession } from './context'
import { t } from './strings'

/** The interview's funnel at a glance: from invited to decided, plus the candidates' own rating. */
/** `stamp` changes whenever the candidate list was reloaded: the numbers follow it. */
export function Analytics({ interviewId, stamp }: { interviewId: string; stamp: number }) {
  const { api } = useSession()
  const stats = useQuery({
    queryKey: ['analytics', interviewId, stamp],
    queryFn: () => call(api.GET('/api/interviews/{interviewId}/analytics', { params: { path: { interviewId } } })),
    placeholderData: keepPreviousData, // the last numbers stay on screen while new ones load
  })
  const a = stats.data
  if (!a) return null // the numbers are a bonus: no spinner, no error box
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 })
  const steps: [string, number][] = [
    [t.analytics.invited, a.funnel.invited],
    [t.analytics.started, a.funnel.started],
    [t.analytics.completed, a.funnel.completed],
    [t.analytics.ready, a.funnel.ready],
    [t.analytics.decided, a.funnel.decided],
  ]
  return (
    <section className="card analytics" aria-labelledby="analytics-title" data-testid="analytics">
      <h2 id="analytics-title">{t.analytics.title}</h2>
      <dl className="funnel">
        {steps.map(([label, n]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
        <div>
          <dt>{t.analytics.completion}</dt>
          <dd>{a.completionRate == null ? '–' : percent.format(a.completionRate)}</dd>
        </div>
        <div>
          <dt>{t.analytics.rating}</dt>
          <dd>
            {a.feedbackAverage == null ? '–' : a.feedbackAverage.toLocaleString(locale, { maximumFractionDigits: 1 })}
            {a.feedbackCount > 0 && <span className="muted small"> ({t.analytics.ratings(a.feedbackCount)})</span>}
          </dd>
        </div>
      </dl>
    </section>
  )
}
