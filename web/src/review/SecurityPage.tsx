/** The member's own security: two-step verification, set up here (or first thing, when the organization requires it). */
import { call } from '../shared/api'
import { PageHeading } from '../shared/ui'
import { useSession } from './context'
import { t } from './strings'
import { TotpSetup } from './TotpSetup'

export function SecurityPage({ required = false }: { required?: boolean }) {
  const { api, auth, me, setMe } = useSession()
  // The API records it only once the user pool confirms TOTP is on for this account.
  const record = async () => setMe(await call(api.POST('/api/me/mfa'), t.networkError))
  return (
    <div className="narrow-column">
      <PageHeading>{required ? t.mfa.requiredTitle : t.mfa.title}</PageHeading>
      {me.mfaEnabled ? (
        <p className="notice notice-success" role="status" data-testid="mfa-on">
          {t.mfa.on}
        </p>
      ) : (
        <>
          <p>{required ? t.mfa.required(me.orgName) : t.mfa.intro}</p>
          <TotpSetup auth={auth} email={me.email} onDone={record} />
        </>
      )}
    </div>
  )
}
