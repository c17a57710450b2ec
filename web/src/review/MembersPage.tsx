/** Admins manage the organization's members: role and blind review per member, and removal of a leaver. */
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../shared/api'
import { formatDate } from '../shared/i18n'
import { ErrorMessage, Loading, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { EmailTemplates } from './EmailTemplates'
import { OrganizationSettings } from './OrganizationSettings'
import { useAct } from './queries'
import { t } from './strings'
import { Webhooks } from './Webhooks'

const ROLES = ['admin', 'recruiter', 'reviewer'] as const

export function MembersPage() {
  const { api, me } = useSession()
  const members = useQuery({ queryKey: ['members'], queryFn: () => call(api.GET('/api/members')) })
  const act = useAct(members.refetch)
  // What the last action did (a removal, a password reset), said once.
  const [removed, setRemoved] = useState<string>()
  const admin = me.role === 'admin'
  const update = (userId: string, body: { role?: (typeof ROLES)[number]; blind?: boolean }) =>
    act.mutate(() => call(api.PATCH('/api/members/{userId}', { params: { path: { userId } }, body })))
  const resetMfa = (userId: string) => act.mutate(() => call(api.DELETE('/api/members/{userId}/mfa', { params: { path: { userId } } })))
  const resetPassword = (userId: string, email: string) => {
    setRemoved(undefined)
    act.mutate(async () => {
      await call(api.POST('/api/members/{userId}/password-reset', { params: { path: { userId } } }))
      setRemoved(t.members.passwordResetDone(email))
    })
  }
  const remove = (userId: string, email: string) => {
    setRemoved(undefined)
    act.mutate(async () => {
      const done = await call(api.DELETE('/api/members/{userId}', { params: { path: { userId } } }))
      setRemoved(t.members.removed(email, done.assignmentsDropped, done.sharesRevoked))
    })
  }
  if (members.error) return <ErrorMessage error={members.error} />
  if (!members.data) return <Loading label={t.loading} />
  return (
    <>
      <PageHeading>{t.members.title}</PageHeading>
      <p className="muted">{t.members.intro}</p>
      {admin && <InviteMember onInvited={members.refetch} />}
      <ErrorMessage error={act.error} />
      {removed && (
        <p className="notice notice-success" role="status">
          {removed}
        </p>
      )}
      <div className="table-wrap" tabIndex={0}>
        <table className="table reflow" data-testid="members">
          <thead>
            <tr>
              <th scope="col">{t.members.email}</th>
              <th scope="col">{t.members.role}</th>
              <th scope="col">{t.members.blind}</th>
              <th scope="col">{t.members.mfa}</th>
              <th scope="col">{t.members.since}</th>
              {admin && (
                <th scope="col">
                  <span className="visually-hidden">{t.members.actions}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.data.items.map((m) => (
              <tr key={m.userId} data-testid="member-row" data-user-id={m.userId}>
                <th scope="row">{m.email}</th>
                <td data-label={t.members.role}>
                  {admin && m.userId !== me.userId ? (
                    <select aria-label={t.members.roleOf(m.email)} value={m.role} onChange={(e) => update(m.userId, { role: e.target.value as (typeof ROLES)[number] })}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t.members.roles[r]}
                        </option>
                      ))}
                    </select>
                  ) : (
                    t.members.roles[m.role]
                  )}
                </td>
                <td data-label={t.members.blind}>
                  <input
                    type="checkbox"
                    aria-label={t.members.blindOf(m.email)}
                    checked={m.blind}
                    disabled={!admin}
                    onChange={(e) => update(m.userId, { blind: e.target.checked })}
                  />
                </td>
                <td data-label={t.members.mfa}>
                  {m.mfaEnabled ? t.members.mfaOn : t.members.mfaOff}
                  {admin && m.mfaEnabled && m.userId !== me.userId && (
                    <button
                      type="button"
                      className="button secondary small mfa-reset"
                      aria-label={t.members.mfaResetOf(m.email)}
                      onClick={() => window.confirm(t.members.mfaResetConfirm(m.email)) && resetMfa(m.userId)}
                    >
                      {t.members.mfaReset}
                    </button>
                  )}
                </td>
                <td data-label={t.members.since}>{formatDate(m.createdAt)}</td>
                {admin && (
                  <td>
                    {m.userId !== me.userId && (
                      <div className="member-actions">
                        <button
                          type="button"
                          className="button secondary small"
                          aria-label={t.members.passwordResetOf(m.email)}
                          onClick={() => window.confirm(t.members.passwordResetConfirm(m.email)) && resetPassword(m.userId, m.email)}
                        >
                          {t.members.passwordReset}
                        </button>
                        <button
                          type="button"
                          className="button danger-outline small"
                          aria-label={t.members.removeOf(m.email)}
                          data-testid="remove-member"
                          onClick={() => window.confirm(t.members.removeConfirm(m.email)) && remove(m.userId, m.email)}
                        >
                          {t.members.remove}
                        </button>
                      </div>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {admin && <OrganizationSettings />}
      {admin && <EmailTemplates />}
      {admin && <Webhooks />}
    </>
  )
}

function InviteMember({ onInvited }: { onInvited: () => Promise<unknown> }) {
  const { api } = useSession()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<(typeof ROLES)[number]>('reviewer')
  const invite = useMutation({
    mutationFn: () => call(api.POST('/api/members', { body: { email: email.trim(), role } })),
    onSuccess: () => (setEmail(''), onInvited()),
  })
  const done = invite.data?.email
  return (
    <section className="card" aria-labelledby="invite-member-title">
      <h2 id="invite-member-title">{t.members.invite}</h2>
      <form className="row wrap" onSubmit={(e) => (e.preventDefault(), invite.mutate())} data-testid="invite-member">
        <div className="field">
          <label htmlFor="member-email">{t.members.email}</label>
          <input id="member-email" type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="member-role">{t.members.role}</label>
          <select id="member-role" value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.members.roles[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button align-end">
          {t.members.inviteButton}
        </button>
      </form>
      <ErrorMessage error={invite.error} />
      {done && (
        <p className="notice notice-success" role="status">
          {t.members.invited(done)}
        </p>
      )}
    </section>
  )
}
