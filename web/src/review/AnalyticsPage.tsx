/** Per-interview analytics, every number from the API's aggregates; charts are plain SVG bars with their numbers as text. */
import { useQuery } from '@tanstack/react-query'
import { call } from '../shared/api'
import { locale } from '../shared/i18n'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { downloadAnalyticsCsv, downloadCsv } from './download'
import { href } from './router'
import { t } from './strings'

interface Bar {
  label: string
  value: number
}

/** Horizontal bars in HTML, so their labels keep the page's text size at any width; a visually hidden table
 * holds the same numbers for screen readers. */
export function BarChart({ title, bars, testId, note }: { title: string; bars: Bar[]; testId?: string; note?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value))
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div className="bars" aria-hidden="true">
        {bars.map((b) => (
          <div key={b.label} className="bar-row">
            <span className="chart-label" title={b.label}>
              {b.label}
            </span>
            <span className="bar-track">
              <span className="chart-bar" style={{ width: `${(100 * b.value) / max}%`, minWidth: b.value ? 2 : 0 }} />
            </span>
            <span className="chart-value">{b.value}</span>
          </div>
        ))}
        {bars.length === 0 && <p className="muted small">{t.stats.noData}</p>}
      </div>
      {note && <p className="muted small">{note}</p>}
      {/* A table cannot shrink to the one pixel of visually hidden text: its box can. */}
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <tbody>
            {bars.map((b) => (
              <tr key={b.label} data-testid="chart-row" data-label={b.label} data-value={b.value}>
                <th scope="row">{b.label}</th>
                <td>{b.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}

export function AnalyticsPage({ interviewId }: { interviewId: string }) {
  const { api } = useSession()
  const params = { params: { path: { interviewId } } }
  const interview = useQuery({ queryKey: ['interview', interviewId], queryFn: () => call(api.GET('/api/interviews/{interviewId}', params)) })
  const stats = useQuery({ queryKey: ['analytics', interviewId], queryFn: () => call(api.GET('/api/interviews/{interviewId}/analytics', params)) })
  if (stats.error) return <ErrorMessage error={stats.error} />
  const a = stats.data
  if (!a || !interview.data) return <Loading label={t.loading} />
  const num = (v: number | null | undefined, digits = 1) => (v == null ? '–' : v.toLocaleString(locale, { maximumFractionDigits: digits }))
  const f = a.funnel
  return (
    <>
      <a className="back" href={href.interview(interviewId)}>
        {t.candidate.backToInterview(interview.data.title)}
      </a>
      <div className="page-title">
        <PageHeading>{t.stats.title(interview.data.title)}</PageHeading>
        <div className="row wrap">
          <button type="button" className="button secondary small" onClick={() => void downloadCsv(api, interviewId)}>
            {t.interview.exportCsv}
          </button>
          <button type="button" className="button secondary small" data-testid="export-analytics" onClick={() => void downloadAnalyticsCsv(api, interviewId)}>
            {t.stats.exportAnalytics}
          </button>
        </div>
      </div>
      <dl className="funnel card" data-testid="key-numbers">
        {(
          [
            ['completion', a.completionRate == null ? '–' : `${Math.round(a.completionRate * 100)}%`],
            ['medianComplete', num(a.medianMinutesToComplete)],
            ['medianDecision', num(a.medianHoursToDecision)],
            ['alpha', num(a.agreement?.alpha, 3)],
            ['rating', num(a.feedbackAverage)],
            ['screeningTeam', num(a.screening?.perDay)],
            ['fairness', num(a.fairness?.average, 2)],
            ['convenience', num(a.convenience?.average, 2)],
            ['followUps', a.followUps?.rate == null ? '–' : `${Math.round(a.followUps.rate * 100)}%`],
          ] as const
        ).map(([key, value]) => (
          <div key={key} data-testid={`stat-${key}`}>
            <dt>{t.stats[key]}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {a.agreement && (
        <p className="muted small" data-testid="agreement-note">
          {t.stats.agreementNote(a.agreement.sharedCandidates, a.agreement.reviewers)}
        </p>
      )}
      {a.followUps?.available && (
        <p className="muted small" data-testid="follow-ups-note">
          {t.stats.followUpsNote(a.followUps.candidatesAsked ?? 0, a.followUps.submitted ?? 0, a.followUps.completion == null ? '–' : `${Math.round(a.followUps.completion * 100)}%`)}
        </p>
      )}
      {!a.followUps?.available && (
        <p className="muted small" data-testid="follow-ups-note">
          {t.stats.followUpsUnavailable}
        </p>
      )}
      <div className="charts">
        <BarChart
          title={t.stats.funnel}
          testId="chart-funnel"
          bars={[
            { label: t.analytics.invited, value: f.invited },
            { label: t.stats.opened, value: f.opened ?? 0 },
            { label: t.analytics.started, value: f.started },
            { label: t.analytics.completed, value: f.completed },
            { label: t.analytics.decided, value: f.decided },
          ]}
        />
        <BarChart
          title={t.stats.dropOff}
          testId="chart-dropoff"
          bars={a.questions.map((q, i) => ({ label: t.candidate.question(i + 1), value: q.dropOff }))}
        />
        {(a.scores ?? []).map((s) => (
          <BarChart
            key={s.name}
            title={s.questionId ? t.stats.scoresOn(s.name, a.questions.findIndex((q) => q.questionId === s.questionId) + 1) : t.stats.scores(s.name)}
            testId="chart-scores" bars={s.counts.map((value, i) => ({ label: String(i + 1), value }))} />
        ))}
        <BarChart
          title={t.stats.feedback}
          testId="chart-feedback"
          bars={(a.feedbackRatings ?? [0, 0, 0, 0, 0]).map((value, i) => ({ label: String(i + 1), value }))}
        />
        {a.screening && (
          <BarChart
            title={t.stats.screening}
            testId="chart-screening"
            note={t.stats.screeningNote}
            bars={[
              { label: t.stats.referenceLive, value: a.screening.referenceLive ?? 5 },
              { label: t.stats.referenceAsync, value: a.screening.referenceAsync ?? 15 },
              ...a.screening.members.map((m) => ({ label: m.memberEmail || m.memberId, value: m.perDay })),
            ]}
          />
        )}
        {(
          [
            ['fairness', a.fairness],
            ['convenience', a.convenience],
          ] as const
        ).map(([key, summary]) =>
          summary ? (
            <BarChart
              key={key}
              title={t.stats[key]}
              testId={`chart-${key}`}
              note={t.stats.ratingAverage(num(summary.average, 2), summary.count)}
              bars={summary.counts.map((value, i) => ({ label: String(i + 1), value }))}
            />
          ) : null,
        )}
        <BarChart
          title={t.stats.throughput}
          testId="chart-throughput"
          bars={(a.throughput ?? []).flatMap((r) => Object.entries(r.perDay).map(([day, value]) => ({ label: `${r.reviewerEmail || r.reviewerId} ${day}`, value })))}
        />
      </div>
    </>
  )
}
