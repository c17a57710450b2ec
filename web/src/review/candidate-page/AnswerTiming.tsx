/** Overruns of the answer's think or answer time, as the server measured them: flagged for the reviewer, never refused. */
import { duration } from '../../shared/i18n'
import type { Answer } from '../../shared/types'
import { t } from '../strings'

export function AnswerTiming({ answer }: { answer: Answer }) {
  const overruns = answer.timing?.overruns ?? []
  if (!overruns.length) return null
  return (
    <div className="notice notice-warn" role="note" aria-label={t.candidate.timingLabel} data-testid="answer-timing">
      <ul>
        {overruns.map((o) => (
          <li key={o.kind} data-kind={o.kind}>
            {t.candidate.overrun[o.kind](duration(o.actualSeconds), duration(o.allowedSeconds))}
          </li>
        ))}
      </ul>
      <p className="muted small">{t.candidate.timingNote}</p>
    </div>
  )
}
