import { t } from './strings'

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {t.status[status] ?? status}
    </span>
  )
}
