/**
 * Two-step verification with an authenticator app (TOTP): the user pool makes the secret, the member scans it
 * as a QR code (or types it), and one code from the app proves it works. Used signed in (the security page, or
 * when the organization requires it) and during sign-in when the pool asks for it.
 */
import { useMutation } from '@tanstack/react-query'
import { QRCodeSVG } from 'qrcode.react'
import { useEffect, useState } from 'react'
import type { Auth } from '../shared/auth'
import { CopyButton, ErrorMessage, Loading } from '../shared/ui'
import { t } from './strings'

export function TotpSetup({ auth, email, onDone }: { auth: Auth; email: string; onDone: () => Promise<void> | void }) {
  const [secret, setSecret] = useState<string>()
  const [code, setCode] = useState('')
  const [setupError, setSetupError] = useState<unknown>(null)

  useEffect(() => {
    let live = true
    auth.associateTotp().then(
      (s) => live && setSecret(s),
      (e: unknown) => live && setSetupError(e),
    )
    return () => {
      live = false
    }
  }, [auth])

  const verify = useMutation({ mutationFn: () => auth.verifyTotp(code), onSuccess: () => onDone(), onError: () => setCode('') })
  const error = setupError ?? (codeMismatch(verify.error) ? new Error(t.mfa.wrongCode) : verify.error)

  if (!secret) return error ? <ErrorMessage error={error} /> : <Loading label={t.mfa.preparing} />
  // The URI format authenticator apps read (Google's "Key Uri Format"); the label names the app and the account.
  const uri = `otpauth://totp/${encodeURIComponent(`${t.appName}:${email}`)}?secret=${secret}&issuer=${encodeURIComponent(t.appName)}`
  return (
    <div className="totp-setup" data-testid="totp-setup">
      <ol className="totp-steps">
        <li>
          <p>{t.mfa.stepScan}</p>
          <div className="totp-qr">
            <QRCodeSVG value={uri} size={176} marginSize={2} title={t.mfa.qrTitle} role="img" aria-label={t.mfa.qrTitle} />
          </div>
          <p id="totp-secret-help">{t.mfa.typeInstead}</p>
          <div className="row wrap">
            <code className="totp-secret" data-testid="totp-secret" aria-describedby="totp-secret-help">
              {secret.match(/.{1,4}/g)?.join(' ')}
            </code>
            <CopyButton text={secret} label={t.mfa.copySecret} copiedLabel={t.mfa.copied} />
          </div>
        </li>
        <li>
          <form onSubmit={(e) => (e.preventDefault(), verify.mutate())}>
            <ErrorMessage error={error} />
            <div className="field">
              <label htmlFor="totp-code">{t.mfa.code}</label>
              <input
                id="totp-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                aria-describedby="totp-code-help"
                value={code}
                onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              />
              <p id="totp-code-help" className="muted">
                {t.mfa.codeHelp}
              </p>
            </div>
            <button type="submit" className="button" disabled={verify.isPending}>
              {verify.isPending ? t.mfa.verifying : t.mfa.verify}
            </button>
          </form>
        </li>
      </ol>
    </div>
  )
}

function codeMismatch(err: unknown): boolean {
  const name = (err as { code?: string; name?: string } | null)?.code ?? (err as { name?: string } | null)?.name
  return name === 'CodeMismatchException' || name === 'EnableSoftwareTokenMFAException'
}
