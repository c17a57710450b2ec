/** Admins set the organization's retention period and whether every member must use two-step verification. */
import { type FormEvent, useEffect, useState } from 'react'
import { call } from '../shared/api'
import { ErrorMessage, Loading, useLoad } from '../shared/ui'
import { useSession } from './context'
import { href } from './router'
import { t } from './strings'

export function OrganizationSettings() {
  const { api, me } = useSession()
  const current = useLoad(() => call(api.GET('/api/organization')), [api])
  const [retention, setRetention] = useState('')
  const [requireMfa, setRequireMfa] = useState(false)
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    if (!current.data) return
    setRetention(String(current.data.retentionDays))
    setRequireMfa(current.data.requireMfa)
  }, [current.data])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setSaved(false)
    try {
      await call(api.PATCH('/api/organization', { body: { retentionDays: Number(retention), requireMfa } }))
      await current.reload()
      setSaved(true)
    } catch (err) {
      setError(err)
    }
  }

  // Required of everyone only once it works for the admin (the API says the same).
  const mfaLocked = !me.mfaEnabled && !current.data?.requireMfa
  return (
    <section className="card" aria-labelledby="org-settings-title">
      <h2 id="org-settings-title">{t.organization.title}</h2>
      {current.error ? (
        <ErrorMessage error={current.error} />
      ) : !current.data ? (
        <Loading label={t.loading} />
      ) : (
        <form className="stack" onSubmit={submit} data-testid="org-settings">
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
          <ErrorMessage error={error} />
          <div className="row">
            <button type="submit" className="button">
              {t.save}
            </button>
            <span className="copied" role="status">
              {saved ? t.organization.saved : ''}
            </span>
          </div>
        </form>
      )}
    </section>
  )
}
