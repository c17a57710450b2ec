/** Managers create, list and revoke a candidate's read-only share links. A new link is shown once. */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import { CopyButton, ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { useAct } from './queries'
import { t } from './strings'

const DURATIONS = [60, 24 * 60, 3 * 24 * 60, 7 * 24 * 60, 30 * 24 * 60]

export function ShareLinks({ candidateId }: { candidateId: string }) {
  const { api } = useSession()
  const path = { params: { path: { candidateId } } }
  const links = useQuery({ queryKey: ['shares', candidateId], queryFn: () => call(api.GET('/api/candidates/{candidateId}/shares', path)) })
  const act = useAct(links.refetch)
  const [minutes, setMinutes] = useState(3 * 24 * 60)
  const [url, setUrl] = useState<string>()
  const create = () => act.mutate(async () => setUrl((await call(api.POST('/api/candidates/{candidateId}/shares', { ...path, body: { minutes } }))).url))
  const revoke = (shareId: string) => act.mutate(() => call(api.DELETE('/api/candidates/{candidateId}/shares/{shareId}', { params: { path: { candidateId, shareId } } })))
  const now = Date.now()
  return (
    <section className="section" aria-labelledby="share-title">
      <h2 id="share-title">{t.share.title}</h2>
      <p className="muted small">{t.share.help}</p>
      <form className="row wrap" onSubmit={(e) => (e.preventDefault(), create())} data-testid="share-form">
        <label htmlFor="share-minutes">{t.share.validFor}</label>
        <select id="share-minutes" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
          {DURATIONS.map((m) => (
            <option key={m} value={m}>
              {t.share.duration(m)}
            </option>
          ))}
        </select>
        <button type="submit" className="button secondary small">
          {t.share.create}
        </button>
      </form>
      {url && (
        <div className="notice notice-success" role="status">
          <p>{t.share.created}</p>
          <div className="row">
            <label className="visually-hidden" htmlFor="share-url">
              {t.share.link}
            </label>
            <input id="share-url" className="grow mono" readOnly value={url} data-testid="share-url" onFocus={(e) => e.target.select()} />
            <CopyButton text={url} label={t.interview.copy} copiedLabel={t.interview.copied} />
          </div>
        </div>
      )}
      <ErrorMessage error={act.error ?? links.error} />
      {links.data && links.data.items.length > 0 && (
        <ul className="plain" data-testid="share-links">
          {links.data.items.map((s) => {
            const live = !s.revokedAt && new Date(s.expiresAt).getTime() > now
            return (
              <li key={s.shareId} className="row" data-testid="share-link" data-live={live}>
                <span>
                  {s.revokedAt
                    ? t.share.revokedOn(formatDate(s.revokedAt, true))
                    : live
                      ? t.share.expiresOn(formatDate(s.expiresAt, true))
                      : t.share.expiredOn(formatDate(s.expiresAt, true))}{' '}
                  · {t.share.views(s.views ?? 0)}
                </span>
                {live && (
                  <button type="button" className="button secondary small" onClick={() => revoke(s.shareId)}>
                    {t.share.revoke}
                  </button>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
