import type { ReactNode } from 'react'
import { Icon, PageHeading } from '../shared/ui'

/** A page that only tells something: bad link, deadline passed, already sent. */
export function Message({ title, children, testId, icon }: { title: string; children: ReactNode; testId: string; icon?: 'check' | 'clock' | 'link' }) {
  return (
    <section className="card center" data-testid={testId}>
      {icon && (
        <div className={`big-icon icon-${icon}`}>
          <Icon name={icon} />
        </div>
      )}
      <PageHeading>{title}</PageHeading>
      {children}
    </section>
  )
}
