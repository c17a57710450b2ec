import { useEffect } from 'react'
import type { Session } from '../shared/types'
import { ScreeningQuestion } from './ScreeningQuestion'
import { TextQuestion } from './TextQuestion'
import { VideoQuestion } from './VideoQuestion'

/** One question at a time, resuming at the first one not yet answered. */
export function Questions(props: {
  session: Session
  stream: MediaStream | null
  onAnswered: (questionId: string) => void
  onAllAnswered: () => void
  onError: (e: unknown) => void
}) {
  const { session, stream, onAnswered, onAllAnswered, onError } = props
  const index = session.questions.findIndex((q) => !q.answered)
  const question = index >= 0 ? session.questions[index] : undefined

  useEffect(() => {
    if (!question) onAllAnswered()
  }, [question, onAllAnswered])

  if (!question) return null
  const common = {
    question,
    index,
    total: session.questions.length,
    onDone: () => onAnswered(question.questionId),
    onError,
  }
  if (question.screening) return <ScreeningQuestion key={question.questionId} {...common} />
  return question.kind === 'text' || !stream ? (
    <TextQuestion key={question.questionId} {...common} />
  ) : (
    <VideoQuestion key={question.questionId} {...common} stream={stream} allowAudio={session.allowAudioAnswers ?? false} />
  )
}
