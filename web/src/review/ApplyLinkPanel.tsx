/** An interview's public apply link (a job ad's): open it, copy its URL, set the cap, close it, see how many applied. */
import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { call } from '../shared/api'
import { CopyButton, ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { useAct } from './queries'
import { t } from './strings'

export function ApplyLinkPanel({ interviewId, interviewOpen }: { interviewId: string; interviewOpen: boolean }) {
  const { api } = useSession()
  const path = { params: { path: { interviewId } } }
  const link = useQuery({ queryKey: ['apply-link', interviewId], queryFn: () => call(api.GET('/api/interviews/{interviewId}/apply-link', path)) })
  const act = useAct(link.refetch)
  const [cap, setCap] = useState('')
  useEffect(() => {
    if (link.data) setCap(String(link.data.cap))
  }, [link.data])
  const put = (open: boolean, newCap?: number) => act.mutate(() => call(api.PUT('/api/interviews/{interviewId}/apply-link', { ...path, body: { open, cap: newCap } })))
  const l = link.data
  return (
    <section className="card" aria-labelledby="apply-link-title" data-testid="apply-link">
      <h2 id="apply-link-title">{t.applyLink.title}</h2>
      <p className="muted small">{t.applyLink.help}</p>
      {l && l.enabled && l.url && (
        <div className="stack">
          <p className="small" role="status" data-testid="apply-link-state" data-open={l.open}>
            <strong>{l.open ? t.applyLink.isOpen : t.applyLink.isClosed}</strong> · <span data-testid="apply-link-count">{t.applyLink.applied(l.applied, l.cap)}</span>
          </p>
          <div className="row">
            <label className="visually-hidden" htmlFor="apply-url">
              {t.applyLink.link}
            </label>
            <input id="apply-url" className="grow mono" readOnly value={l.url} data-testid="apply-url" onFocus={(e) => e.target.select()} />
            <CopyButton text={l.url} label={t.interview.copy} copiedLabel={t.interview.copied} />
          </div>
          <form className="row wrap" onSubmit={(e) => (e.preventDefault(), put(l.open, Number(cap)))}>
            <label htmlFor="apply-cap">{t.applyLink.cap}</label>
            <input id="apply-cap" type="number" min={1} max={100000} required value={cap} onChange={(e) => setCap(e.target.value)} style={{ width: '7em' }} />
            <button type="submit" className="button secondary small" disabled={act.isPending}>
              {t.applyLink.setCap}
            </button>
          </form>
        </div>
      )}
      <ErrorMessage error={act.error ?? link.error} />
      {l && (
        <div>
          {l.open ? (
            <button type="button" className="button secondary" disabled={act.isPending} onClick={() => put(false)}>
              {t.applyLink.close}
            </button>
          ) : (
            interviewOpen && (
              <button type="button" className="button" disabled={act.isPending} onClick={() => put(true)}>
                {l.enabled ? t.applyLink.reopen : t.applyLink.open}
              </button>
            )
          )}
        </div>
      )}
    </section>
  )
}
