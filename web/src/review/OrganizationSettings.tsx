/** Admins set the organization's retention period and whether every member must use two-step verification; its
 * emails' words are edited beside (EmailTemplates). */
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
  const save = useMutation({
    mutationFn: () =>
      call(api.PATCH('/api/organization', { body: { retentionDays: Number(retention), requireMfa } })),
    onSuccess: () => current.refetch(),
  })

  useEffect(() => {
    if (!current.data) return
    setRetention(String(current.data.retentionDays))
    setRequireMfa(current.data.requireMfa)
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
