/** A candidate's invitation, managed by recruiters: remind, resend, revoke, extend the deadline, accommodations. */
import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import { CopyButton, ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { LinkQr } from './LinkQr'
import { useAct } from './queries'
import { t } from './strings'

const MULTIPLIERS = [1, 1.25, 1.5, 2, 3]

export function InvitationPanel({ candidateId, onChanged }: { candidateId: string; onChanged: () => Promise<unknown> }) {
  const { api, me } = useSession()
  const path = { params: { path: { candidateId } } }
  const inv = useQuery({ queryKey: ['invitation', candidateId], queryFn: () => call(api.GET('/api/candidates/{candidateId}/invitation', path)) })
  const act = useAct(() => Promise.all([inv.refetch(), onChanged()]))
  const [link, setLink] = useState<string>()
  const [reminded, setReminded] = useState(false)
  const [deadline, setDeadline] = useState('')
  const extend = (e: FormEvent) => {
    e.preventDefault()
    if (!deadline) return
    act.mutate(() => call(api.PUT('/api/candidates/{candidateId}/invitation/deadline', { ...path, body: { expiresAt: new Date(`${deadline}T23:59:00`).toISOString(), notify: true } })))
  }
  const i = inv.data
  if (!i) return <ErrorMessage error={inv.error} />
  const open = !i.revoked && ['invited', 'started'].includes(i.status)
  return (
    <section className="section" aria-labelledby="invitation-title" data-testid="invitation-panel">
      <h2 id="invitation-title">{t.invitation.title}</h2>
      <p data-testid="invitation-state">
        {i.revoked ? t.invitation.revoked : t.invitation.expires(formatDate(i.expiresAt, true))}
        {i.timeMultiplier !== 1 && <> · {t.invitation.extraTime(i.timeMultiplier)}</>}
      </p>
      {(i.emails ?? []).length > 0 && (
        // Emails leave after the change that made them (the outbox): their state, and what failed, in a few words.
        <ul className="plain" aria-label={t.invitation.emails} data-testid="invitation-emails">
          {(i.emails ?? []).map((m) => (
            <li key={m.messageId} data-status={m.status}>
              {t.invitation.emailKind[m.kind] ?? m.kind}: {t.invitation.emailStatus[m.status] ?? m.status}
              {m.sentAt && <span className="muted"> · {formatDate(m.sentAt, true)}</span>}
              {m.lastError && m.status !== 'sent' && <span className="muted"> · {m.lastError}</span>}
            </li>
          ))}
        </ul>
      )}
      {i.emails?.[0]?.status === 'failed' && open && (
        <p className="notice notice-warn" role="status">
          {t.invitation.emailFailed}
        </p>
      )}
      {open && (
        <div className="row wrap">
          <button
            type="button"
            className="button secondary small"
            disabled={act.isPending}
            onClick={() =>
              act.mutate(async () => {
                setReminded(false)
                await call(api.POST('/api/candidates/{candidateId}/invitation/remind', path))
                setReminded(true)
              })
            }
          >
            {t.invitation.remind}
          </button>
          {!me.blind && (
            // A fresh link opens the candidate's own page, which names them: not for a member in blind review.
            <button
              type="button"
              className="button secondary small"
              onClick={() => act.mutate(async () => setLink((await call(api.POST('/api/candidates/{candidateId}/invitation/resend', path))).inviteUrl))}
            >
              {t.invitation.resend}
            </button>
          )}
          <button type="button" className="button danger-outline small" onClick={() => act.mutate(() => call(api.POST('/api/candidates/{candidateId}/invitation/revoke', path)))}>
            {t.invitation.revoke}
          </button>
        </div>
      )}
      {reminded && (
        <p className="notice notice-success" role="status">
          {t.invitation.reminded}
        </p>
      )}
      {link && (
        <div className="notice notice-success" role="status">
          <div className="row">
            <label className="visually-hidden" htmlFor="resent-url">
              {t.interview.inviteLink}
            </label>
            <input id="resent-url" className="grow mono" readOnly value={link} data-testid="resent-url" />
            <CopyButton text={link} label={t.interview.copy} copiedLabel={t.interview.copied} />
          </div>
          <LinkQr link={link} id="resent-qr" />
        </div>
      )}
      {!i.revoked && (
        <form className="row wrap" onSubmit={extend}>
          <label htmlFor="new-deadline">{t.invitation.newDeadline}</label>
          <input id="new-deadline" type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} required />
          <button type="submit" className="button secondary small">
            {t.invitation.extend}
          </button>
        </form>
      )}
      {!i.revoked && (
        <div className="row wrap">
          <label htmlFor="time-multiplier">{t.invitation.multiplier}</label>
          <select
            id="time-multiplier"
            value={i.timeMultiplier}
            onChange={(e) => {
              const multiplier = Number(e.target.value) // read now: the select shows the saved value again until the reload
              act.mutate(() => call(api.PUT('/api/candidates/{candidateId}/invitation/time-multiplier', { ...path, body: { multiplier } })))
            }}
          >
            {MULTIPLIERS.map((m) => (
              <option key={m} value={m}>{`×${m}`}</option>
            ))}
          </select>
        </div>
      )}
      {(i.accommodations ?? []).length > 0 && (
        <ul className="plain">
          {(i.accommodations ?? []).map((a) => (
            <li key={a.requestId} className="row wrap" data-testid="accommodation">
              <span>
                {t.invitation.request(a.kind === 'extra_time' ? t.invitation.kindExtraTime : t.invitation.kindText, a.state)}
                {a.note && <span className="muted"> · {a.note}</span>}
              </span>
              {a.state === 'requested' && (
                <>
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() =>
                      act.mutate(() => call(api.POST('/api/candidates/{candidateId}/accommodations/{requestId}', { params: { path: { candidateId, requestId: a.requestId } }, body: { decision: 'grant', multiplier: a.kind === 'extra_time' ? 1.5 : null } })))
                    }
                  >
                    {t.invitation.grant}
                  </button>
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() =>
                      act.mutate(() => call(api.POST('/api/candidates/{candidateId}/accommodations/{requestId}', { params: { path: { candidateId, requestId: a.requestId } }, body: { decision: 'decline', multiplier: null } })))
                    }
                  >
                    {t.invitation.decline}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={act.error} />
    </section>
  )
}
