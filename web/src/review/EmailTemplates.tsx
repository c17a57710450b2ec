/** Admins rewrite the organization's emails (invitation, reminder, the two decisions, ready for review), see each
 * as it will be sent (the server renders it from sample values; the HTML shows in a sandboxed frame) and send
 * themselves a test. */
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { call } from '../shared/api'
import type { components } from '../shared/api-schema'
import { ErrorMessage, Loading } from '../shared/ui'
import { useSession } from './context'
import { t } from './strings'

type Kind = components['schemas']['EmailTemplateView']['kind']
type Language = NonNullable<components['schemas']['EmailPreviewInput']['language']>
const LANGUAGES: Language[] = ['en', 'es', 'de', 'fr']

export function EmailTemplates() {
  const { api } = useSession()
  const list = useQuery({ queryKey: ['email-templates'], queryFn: () => call(api.GET('/api/organization/emails')) })
  const [kind, setKind] = useState<Kind>('invitation')
  const [subject, setSubject] = useState('')
  const [message, setMessage] = useState('')
  const [language, setLanguage] = useState<Language>('en')
  const current = list.data?.templates.find((x) => x.kind === kind)

  useEffect(() => {
    if (!current) return
    setSubject(current.subject)
    setMessage(current.message)
  }, [current])

  const words = { subject: subject.trim(), message: message.trim() }
  const path = { params: { path: { kind } } }
  const save = useMutation({
    mutationFn: (body: { subject: string; message: string }) => call(api.PUT('/api/organization/emails/{kind}', { ...path, body })),
    onSuccess: () => list.refetch(),
  })
  const preview = useMutation({
    mutationFn: () => call(api.POST('/api/organization/emails/{kind}/preview', { ...path, body: { ...words, language } })),
  })
  const test = useMutation({
    mutationFn: () => call(api.POST('/api/organization/emails/{kind}/test', { ...path, body: { ...words, language } })),
  })

  // The preview follows the words as they are typed (after a pause), the kind and the language.
  const { mutate: refresh } = preview
  useEffect(() => {
    if (!current) return
    const id = window.setTimeout(() => refresh(), 400)
    return () => window.clearTimeout(id)
  }, [current, subject, message, language, refresh])

  const choose = (next: Kind) => {
    setKind(next)
    save.reset()
    test.reset()
  }

  return (
    <section className="card" aria-labelledby="email-templates-title" data-testid="email-templates">
      <h2 id="email-templates-title">{t.emails.title}</h2>
      <p className="help">{t.emails.intro}</p>
      {list.error ? (
        <ErrorMessage error={list.error} />
      ) : !list.data || !current ? (
        <Loading label={t.loading} />
      ) : (
        <div className="email-templates">
          <form className="stack" onSubmit={(e) => (e.preventDefault(), save.mutate(words))}>
            <div className="field">
              <label htmlFor="email-kind">{t.emails.kind}</label>
              <select id="email-kind" value={kind} aria-describedby="email-kind-help" onChange={(e) => choose(e.target.value as Kind)}>
                {list.data.templates.map((x) => (
                  <option key={x.kind} value={x.kind}>
                    {t.emails.kinds[x.kind]}
                  </option>
                ))}
              </select>
              <p className="help" id="email-kind-help">
                {t.emails.kindHelp[kind]} {current.custom ? t.emails.custom : t.emails.default}
              </p>
            </div>
            <div className="field">
              <label htmlFor="email-subject">{t.emails.subject}</label>
              <input id="email-subject" maxLength={200} value={subject} onChange={(e) => setSubject(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="email-message">{t.emails.message}</label>
              <textarea id="email-message" rows={10} maxLength={5000} aria-describedby="email-placeholders email-languages" value={message} onChange={(e) => setMessage(e.target.value)} />
              <p className="help" id="email-placeholders">
                {t.emails.placeholders(list.data.placeholders)}
              </p>
              <p className="help" id="email-languages">
                {t.emails.languages}
              </p>
            </div>
            <ErrorMessage error={save.error ?? test.error} />
            <div className="row wrap">
              <button type="submit" className="button">
                {t.emails.save}
              </button>
              {current.custom && (
                <button type="button" className="button secondary" onClick={() => save.mutate({ subject: '', message: '' })}>
                  {t.emails.restore}
                </button>
              )}
              <button type="button" className="button secondary" disabled={test.isPending} onClick={() => test.mutate()}>
                {t.emails.sendTest}
              </button>
            </div>
            <p className="copied" role="status">
              {test.data ? t.emails.testSent(test.data.to) : save.isSuccess ? t.emails.saved : ''}
            </p>
          </form>
          <div className="stack email-preview" data-testid="email-preview">
            <div className="row wrap email-preview-head">
              <h3 className="grow">{t.emails.preview}</h3>
              <label htmlFor="email-preview-language">{t.emails.previewLanguage}</label>
              <select id="email-preview-language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
                {LANGUAGES.map((code) => (
                  <option key={code} value={code} lang={code}>
                    {t.emails.languageNames[code]}
                  </option>
                ))}
              </select>
            </div>
            <ErrorMessage error={preview.error} />
            {preview.data && (
              <>
                <p>
                  <strong>{t.emails.previewSubject}</strong> <span data-testid="email-preview-subject">{preview.data.subject}</span>
                </p>
                {/* The server's HTML, in a frame that runs no script and reaches nothing of this page. */}
                <iframe className="email-frame" sandbox="" title={t.emails.previewTitle(preview.data.subject)} srcDoc={preview.data.html} />
              </>
            )}
            <p className="help" role="status">
              {preview.isPending ? t.emails.previewing : ''}
            </p>
          </div>
        </div>
      )}
    </section>
  )
}
