/** Admins set the organization's retention period, whether every member must use two-step verification, and the
 * next-step email that advanced candidates get. */
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { call } from '../shared/api'
import { ErrorMessage, Loading } from '../shared/ui'
import { BrandSettings } from './BrandSettings'
import { useSession } from './context'
import { href } from './router'
import { t } from './strings'

export function OrganizationSettings() {
  const { api, me } = useSession()
  const current = useQuery({ queryKey: ['organization'], queryFn: () => call(api.GET('/api/organization')) })
  const [retention, setRetention] = useState('')
  const [requireMfa, setRequireMfa] = useState(false)
  const [subject, setSubject] = useState('')
  const [message, setMessage] = useState('')
  const save = useMutation({
    mutationFn: () =>
      call(api.PATCH('/api/organization', { body: { retentionDays: Number(retention), requireMfa, nextStepSubject: subject.trim(), nextStepMessage: message.trim() } })),
    onSuccess: () => current.refetch(),
  })

  useEffect(() => {
    if (!current.data) return
    setRetention(String(current.data.retentionDays))
    setRequireMfa(current.data.requireMfa)
    setSubject(current.data.nextStepSubject ?? '')
    setMessage(current.data.nextStepMessage ?? '')
  }, [current.data])

  // Required of everyone only once it works for the admin (the API says the same).
  const mfaLocked = !me.mfaEnabled && !current.data?.requireMfa
  return (
    <>
    <section className="card" aria-labelledby="org-settings-title">
      <h2 id="org-settings-title">{t.organization.title}</h2>
      {current.error ? (
        <ErrorMessage error={current.error} />
      ) : !current.data ? (
        <Loading label={t.loading} />
      ) : (
        <form className="stack" onSubmit={(e) => (e.preventDefault(), save.mutate())} data-testid="org-settings">
          <div className="field">
            <label htmlFor="org-retention">{t.organization.retention}</label>
            <input
              id="org-retention"
              className="short"
              type="number"
              min={1}
              max={3650}
              required
              aria-describedby="org-retention-help"
              value={retention}
              onChange={(e) => setRetention(e.target.value)}
            />
            <p className="help" id="org-retention-help">
              {t.organization.retentionHelp}
            </p>
          </div>
          <div className="check">
            <input
              id="org-require-mfa"
              type="checkbox"
              checked={requireMfa}
              disabled={mfaLocked}
              aria-describedby="org-mfa-help"
              onChange={(e) => setRequireMfa(e.target.checked)}
            />
            <label htmlFor="org-require-mfa">{t.organization.requireMfa}</label>
          </div>
          <p className="help" id="org-mfa-help">
            {t.organization.requireMfaHelp} {mfaLocked && <a href={href.security()}>{t.organization.setUpFirst}</a>}
          </p>
          <fieldset className="stack" data-testid="next-step-template">
            <legend>{t.organization.nextStep}</legend>
            <p className="help" id="org-next-step-help">
              {t.organization.nextStepHelp}
            </p>
            <div className="field">
              <label htmlFor="org-next-step-subject">{t.organization.nextStepSubject}</label>
              <input id="org-next-step-subject" maxLength={200} aria-describedby="org-next-step-help" value={subject} onChange={(e) => setSubject(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="org-next-step-message">{t.organization.nextStepMessage}</label>
              <textarea id="org-next-step-message" rows={9} maxLength={5000} aria-describedby="org-next-step-help" value={message} onChange={(e) => setMessage(e.target.value)} />
            </div>
          </fieldset>
          <ErrorMessage error={save.error} />
          <div className="row">
            <button type="submit" className="button">
              {t.save}
            </button>
            <span className="copied" role="status">
              {save.isSuccess ? t.organization.saved : ''}
            </span>
          </div>
        </form>
      )}
    </section>
    {current.data?.brand && <BrandSettings accent={current.data.accent} brand={current.data.brand} />}
    </>
  )
}
