/** Admins register webhook endpoints for the organization's events; the signing secret is shown once. */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import { CopyButton, ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { useAct } from './queries'
import { t } from './strings'

const EVENTS = ['candidate.completed', 'candidate.ready', 'candidate.decided']

export function Webhooks() {
  const { api } = useSession()
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => call(api.GET('/api/webhooks')) })
  const act = useAct(hooks.refetch)
  const [url, setUrl] = useState('')
  const [events, setEvents] = useState<string[]>([...EVENTS])
  const [secret, setSecret] = useState<string>()
  const create = () =>
    act.mutate(async () => {
      setSecret((await call(api.POST('/api/webhooks', { body: { url: url.trim(), events } }))).secret)
      setUrl('')
    })
  return (
    <section className="section" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t.webhooks.title}</h2>
      <p className="muted small">{t.webhooks.help}</p>
      <form className="card stack" onSubmit={(e) => (e.preventDefault(), create())} data-testid="webhook-form">
        <div className="field">
          <label htmlFor="webhook-url">{t.webhooks.url}</label>
          <input id="webhook-url" type="url" required maxLength={2000} value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
        </div>
        <fieldset>
          <legend>{t.webhooks.events}</legend>
          <div className="row wrap">
            {EVENTS.map((ev) => (
              <label key={ev} className="check">
                <input type="checkbox" checked={events.includes(ev)} onChange={() => setEvents((x) => (x.includes(ev) ? x.filter((y) => y !== ev) : [...x, ev]))} />
                <code>{ev}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <div>
          <button type="submit" className="button secondary" disabled={events.length === 0}>
            {t.webhooks.add}
          </button>
        </div>
      </form>
      {secret && (
        <div className="notice notice-success" role="status">
          <p>{t.webhooks.secretOnce}</p>
          <div className="row">
            <label className="visually-hidden" htmlFor="webhook-secret">
              {t.webhooks.secret}
            </label>
            <input id="webhook-secret" className="grow mono" readOnly value={secret} data-testid="webhook-secret" />
            <CopyButton text={secret} label={t.interview.copy} copiedLabel={t.interview.copied} />
          </div>
        </div>
      )}
      <ErrorMessage error={act.error ?? hooks.error} />
      <ul className="plain" data-testid="webhooks">
        {(hooks.data?.items ?? []).map((h) => (
          <li key={h.webhookId} className="card" data-testid="webhook">
            <div className="row spread wrap">
              <code className="grow break-anywhere">{h.url}</code>
              <button
                type="button"
                className="button secondary small"
                aria-label={t.webhooks.remove(h.url)}
                onClick={() => act.mutate(() => call(api.DELETE('/api/webhooks/{webhookId}', { params: { path: { webhookId: h.webhookId } } })))}
              >
                {t.remove}
              </button>
            </div>
            <p className="muted small">{h.events.join(', ')}</p>
            {(h.recent ?? []).length > 0 && (
              <ul className="plain small">
                {(h.recent ?? []).map((d) => (
                  <li key={d.deliveryId}>
                    {t.webhooks.delivery(d.event, d.status, d.attempts, formatDate(d.createdAt, true))}
                    {d.lastError && <span className="muted"> · {d.lastError}</span>}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
