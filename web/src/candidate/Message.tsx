import type { ReactNode } from 'react'
import { PageHeading } from '../shared/ui'

/** A page that only tells something: bad link, deadline passed, already sent. */
export function Message({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <section className="card center" data-testid={testId}>
      <PageHeading>{title}</PageHeading>
      {children}
    </section>
  )
}
