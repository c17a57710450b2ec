/** Notes pinned to moments of an answer: markers on a timeline under the player, a list, and a note added at the
 * current second. A marker or a note's time plays the answer from there. */
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../../shared/api'
import { clock } from '../../shared/i18n'
import type { CandidateDetail } from '../../shared/types'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'

type Note = CandidateDetail['notes'][number]

interface TimedNotesProps {
  candidateId: string
  questionId: string
  notes: Note[]
  now: number
  seek: (s: number) => void
  length: number
  onChanged: () => Promise<unknown>
}

export function TimedNotes({ candidateId, questionId, notes, now, seek, length, onChanged }: TimedNotesProps) {
  const { api, me } = useSession()
  const [text, setText] = useState('')
  const [at, setAt] = useState<number | null>(null)
  const mine = notes.filter((n) => n.questionId === questionId)
  const add = useMutation({
    mutationFn: () =>
      call(api.POST('/api/candidates/{candidateId}/notes', { params: { path: { candidateId } }, body: { questionId, seconds: at ?? now, text: text.trim() } })),
    onSuccess: () => (setText(''), setAt(null), onChanged()),
  })
  const remove = useMutation({
    mutationFn: (noteId: string) => call(api.DELETE('/api/candidates/{candidateId}/notes/{noteId}', { params: { path: { candidateId, noteId } } })),
    onSuccess: () => onChanged(),
  })
  const where = (s: number) => `${Math.min(100, (100 * s) / Math.max(length, s, 1))}%`
  return (
    <div className="timed-notes" data-testid="timed-notes">
      <div className="timeline" data-testid="timeline">
        <span className="timeline-now" style={{ left: where(now) }} aria-hidden="true" />
        {mine.map((n) => (
          <button
            key={n.noteId}
            type="button"
            className="timeline-marker"
            style={{ left: where(n.seconds) }}
            onClick={() => seek(n.seconds)}
            aria-label={t.notes.marker(clock(n.seconds), n.text)}
            title={n.text}
            data-testid="note-marker"
            data-seconds={n.seconds}
          />
        ))}
      </div>
      {mine.length > 0 && (
        <ul className="plain note-list">
          {mine.map((n) => (
            <li key={n.noteId} data-testid="note">
              <button type="button" className="link-button mono" onClick={() => seek(n.seconds)}>
                {clock(n.seconds)}
              </button>{' '}
              <span>{n.text}</span> <span className="muted small">{n.authorId === me.userId ? t.candidate.you : n.authorEmail}</span>
              {n.authorId === me.userId && (
                <button type="button" className="link-button small" onClick={() => remove.mutate(n.noteId)} aria-label={t.notes.remove(clock(n.seconds))}>
                  {t.notes.removeShort}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form className="row note-form" onSubmit={(e) => (e.preventDefault(), add.mutate())}>
        <label htmlFor={`note-${questionId}`} className="visually-hidden">
          {t.notes.label(clock(at ?? now))}
        </label>
        <input
          id={`note-${questionId}`}
          className="grow"
          maxLength={2000}
          required
          value={text}
          placeholder={t.notes.placeholder(clock(at ?? now))}
          onFocus={() => setAt((a) => a ?? now)}
          onChange={(e) => setText(e.target.value)}
          data-testid="note-input"
        />
        <button type="submit" className="button secondary small" disabled={add.isPending || !text.trim()}>
          {t.notes.add(clock(at ?? now))}
        </button>
      </form>
      <ErrorMessage error={add.error ?? remove.error} />
    </div>
  )
}
