/** Names for the contract's shapes, derived from the generated paths (robust to schema renames). */
import type { paths } from './api-schema'

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never
type Success<O> = O extends { responses: infer R } ? (R extends { 200: infer X } ? JsonOf<X> : R extends { 201: infer X } ? JsonOf<X> : never) : never

export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> = Success<paths[P][M]>
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never

// Recruiter side
export type Me = ResponseOf<'/api/me', 'get'>
export type Interview = ResponseOf<'/api/interviews/{interviewId}', 'get'>
export type InterviewIn = BodyOf<'/api/interviews', 'post'>
export type QuestionIn = InterviewIn['questions'][number]
/** The language answers are transcribed in: a language code, or "auto" to identify each answer's. */
export type InterviewLanguage = InterviewIn['language']
export type RubricItem = NonNullable<InterviewIn['rubric']>[number]
export type InterviewTemplate = ResponseOf<'/api/interview-templates', 'get'>['items'][number]
export type Invitation = ResponseOf<'/api/interviews/{interviewId}/invitations', 'post'>['items'][number]
export type CandidateSummary = ResponseOf<'/api/interviews/{interviewId}/candidates', 'get'>['items'][number]
export type CandidateDetail = ResponseOf<'/api/candidates/{candidateId}', 'get'>
export type Answer = CandidateDetail['answers'][number]
export type Review = CandidateDetail['reviews'][number]
export type GuestOpinion = NonNullable<CandidateDetail['guestOpinions']>[number]
export type SharedCandidate = ResponseOf<'/api/share/candidate', 'get'>
export type GuestOpinionIn = BodyOf<'/api/share/opinion', 'put'>
export type ReviewIn = BodyOf<'/api/candidates/{candidateId}/review', 'put'>
export type DecisionIn = BodyOf<'/api/candidates/{candidateId}/decision', 'post'>
export type DecisionValue = DecisionIn['decision']

// Candidate side
export type Session = ResponseOf<'/api/c/session', 'get'>
export type SessionQuestion = Session['questions'][number]
export type Take = ResponseOf<'/api/c/questions/{questionId}/takes', 'post'>
export type UploadStart = ResponseOf<'/api/c/questions/{questionId}/takes/{takeId}/upload', 'post'>
export type UploadState = ResponseOf<'/api/c/questions/{questionId}/takes/{takeId}/upload', 'get'>

/** An organization's look: its name, accent colour and logo address (the same on every page and email). */
export type Brand = ResponseOf<'/api/organization/logo', 'put'>
