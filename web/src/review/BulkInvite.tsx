/** Invite many candidates from CSV (name,email per row): every row is checked first and rows in error are listed. */
import { useMutation } from '@tanstack/react-query'
import Papa from 'papaparse'
import { type FormEvent, useState } from 'react'
import { call } from '../shared/api'
import { ErrorMessage } from '../shared/ui'
import { useSession } from './context'
import { t } from './strings'

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/
const MAX = 100 // the API's limit per request

interface RowError {
  line: number
  message: string
}

export function parseInvitees(text: string): { ok: { name: string; email: string }[]; errors: RowError[] } {
  const rows = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true }).data
  const ok: { name: string; email: string }[] = []
  const errors: RowError[] = []
  const seen = new Set<string>()
  rows.forEach((cells, i) => {
    const line = i + 1
    const [name = '', email = ''] = cells.map((c) => c.trim())
    if (i === 0 && name.toLowerCase() === 'name' && email.toLowerCase() === 'email') return // a header row
    if (!name) errors.push({ line, message: t.bulk.noName })
    else if (name.length > 200) errors.push({ line, message: t.bulk.longName })
    else if (!EMAIL.test(email) || email.length > 254) errors.push({ line, message: t.bulk.badEmail(email) })
    else if (seen.has(email.toLowerCase())) errors.push({ line, message: t.bulk.duplicate(email) })
    else {
      seen.add(email.toLowerCase())
      ok.push({ name, email })
    }
  })
  if (ok.length > MAX) errors.push({ line: 0, message: t.bulk.tooMany(MAX) })
  return { ok: ok.slice(0, MAX), errors }
}

export function BulkInvite({ interviewId, onInvited }: { interviewId: string; onInvited: () => void }) {
  const { api } = useSession()
  const [text, setText] = useState('')
  const [errors, setErrors] = useState<RowError[]>([])
  const invite = useMutation({
    mutationFn: ({ ok }: ReturnType<typeof parseInvitees>) =>
      call(api.POST('/api/interviews/{interviewId}/invitations', { params: { path: { interviewId } }, body: { candidates: ok, sendEmail: true } })),
    onSuccess: (_, parsed) => (setText(parsed.errors.length ? text : ''), onInvited()),
  })
  const invited = invite.data?.items ?? []

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const parsed = parseInvitees(text)
    setErrors(parsed.errors)
    invite.reset()
    if (parsed.ok.length > 0) invite.mutate(parsed)
  }

  const readFile = async (file: File | undefined) => {
    if (file) setText(await file.text())
  }

  return (
    <section className="card" aria-labelledby="bulk-title">
      <h2 id="bulk-title">{t.bulk.title}</h2>
      <form className="stack" onSubmit={submit} data-testid="bulk-invite">
        <div className="field">
          <label htmlFor="bulk-csv">{t.bulk.label}</label>
          <textarea id="bulk-csv" rows={4} className="mono" value={text} onChange={(e) => setText(e.target.value)} aria-describedby="bulk-help" />
          <p className="help" id="bulk-help">
            {t.bulk.help}
          </p>
        </div>
        <div className="field">
          <label htmlFor="bulk-file">{t.bulk.file}</label>
          <input id="bulk-file" type="file" accept=".csv,text/csv" onChange={(e) => void readFile(e.target.files?.[0])} />
        </div>
        <ErrorMessage error={invite.error} />
        <div>
          <button type="submit" className="button" disabled={invite.isPending || !text.trim()}>
            {invite.isPending ? t.interview.inviting : t.bulk.submit}
          </button>
        </div>
      </form>
      {invited.length > 0 && (
        <p className="notice notice-success" role="status" data-testid="bulk-invited">
          {t.bulk.invited(invited.length)}
        </p>
      )}
      {errors.length > 0 && (
        <div className="notice notice-error" role="alert" data-testid="bulk-errors">
          <p>{t.bulk.errors(errors.length)}</p>
          <ul>
            {errors.map((er) => (
              <li key={`${er.line}-${er.message}`} data-testid="bulk-error">
                {er.line > 0 ? t.bulk.line(er.line, er.message) : er.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}
