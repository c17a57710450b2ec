/** A reviewer's (or a guest's) recommendation: one of the decisions, or none. */
import type { DecisionValue } from '../../shared/types'
import { t } from '../strings'
import { DECISIONS } from './detail'

export function RecommendationField({ id, value, onChange }: { id: string; value: DecisionValue | ''; onChange: (value: DecisionValue | '') => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{t.candidate.recommendation}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as DecisionValue | '')}>
        <option value="">{t.candidate.noRecommendation}</option>
        {DECISIONS.map((d) => (
          <option key={d} value={d}>
            {t.decision[d]}
          </option>
        ))}
      </select>
    </div>
  )
}
