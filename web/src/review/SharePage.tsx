/** A share link's page: one candidate, read-only, for someone without an account. The token stays in the fragment. */
import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { ApiError, call, createApi } from '../shared/api'
import { type AppConfig, loadConfig } from '../shared/config'
import { formatDate } from '../shared/i18n'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { t } from './strings'
import { SPEEDS, VideoAnswer } from './VideoAnswer'

export function shareToken(hash: string): string | undefined {
  return /^#\/share\/([A-Za-z0-9_-]{20,})$/.exec(hash)?.[1]
}

export function SharePage({ token }: { token: string }) {
  const [config, setConfig] = useState<AppConfig>()
  const [configError, setConfigError] = useState<unknown>(null)
  useEffect(() => {
    loadConfig().then(setConfig, setConfigError)
  }, [])
  const api = useMemo(() => (config ? createApi(config.apiUrl, async () => token) : undefined), [config, token])
  return (
    <main className="page" id="main">
      {configError ? <ErrorMessage error={configError} title={t.configError} /> : api ? <Shared api={api} /> : <Loading label={t.loading} />}
    </main>
  )
}

function Shared({ api }: { api: ReturnType<typeof createApi> }) {
  const shared = useQuery({ queryKey: ['share'], queryFn: () => call(api.GET('/api/share/candidate')) })
  const [speed, setSpeed] = useState(SPEEDS[0]!)
  const [index, setIndex] = useState(0)
  if (shared.error) {
    const gone = shared.error instanceof ApiError && (shared.error.code === 'link_expired' || shared.error.code === 'link_revoked')
    return (
      <>
        <PageHeading>{gone ? t.share.goneTitle : t.share.invalidTitle}</PageHeading>
        <p data-testid="share-error">{gone ? (shared.error as ApiError).message : t.share.invalid}</p>
      </>
    )
  }
  const c = shared.data
  if (!c) return <Loading label={t.loading} />
  const a = c.answers[Math.min(index, c.answers.length - 1)]
  return (
    <>
      <p className="muted small">{t.share.from(c.orgName, c.interviewTitle)}</p>
      <PageHeading>{c.label}</PageHeading>
      <p className="muted" data-testid="share-meta">
        {t.share.readOnly(formatDate(c.expiresAt, true))}
      </p>
      {c.answers.length > 1 && (
        <nav className="row" aria-label={t.candidate.answerNav}>
          {c.answers.map((x, i) => (
            <button key={x.questionId} type="button" className="button secondary small" aria-current={i === index ? 'true' : undefined} onClick={() => setIndex(i)}>
              {t.candidate.question(i + 1)}
            </button>
          ))}
        </nav>
      )}
      {a && (
        <section className="card answer" data-testid="answer" aria-labelledby="share-q">
          <h2 className="visually-hidden">{t.candidate.answers}</h2>
          <h3 id="share-q" className="prompt">
            {a.prompt}
          </h3>
          {a.kind === 'text' ? (
            <blockquote className="text-answer" aria-label={t.candidate.writtenAnswer}>
              {a.text ?? t.candidate.pendingNote}
            </blockquote>
          ) : a.status === 'ready' && (a.videoUrl || a.audioUrl || c.blind) ? (
            <VideoAnswer key={a.questionId} answer={a} index={index + 1} speed={speed} onSpeed={setSpeed} />
          ) : (
            <p className="muted">{t.answerStatus[a.status] ?? a.status}</p>
          )}
        </section>
      )}
    </>
  )
}
