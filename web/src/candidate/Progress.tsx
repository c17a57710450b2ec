import { useId } from 'react'
import { useLocale } from './locale'

/** Where the candidate is: one "Question 1 of 3", and a bar that fills as the questions go by. */
export function QuestionProgress({ index, total }: { index: number; total: number }) {
  const { t } = useLocale()
  const id = useId()
  return (
    <div className="question-progress" data-testid="question-progress">
      <p className="step-label" id={id}>
        {t.question.step(index + 1, total)}
      </p>
      <progress className="step-bar" max={total} value={index + 1} aria-labelledby={id} />
    </div>
  )
}
