import { useMutation, useQuery } from '@tanstack/react-query'
import { type FormEvent, useRef, useState } from 'react'
import { call } from '../shared/api'
import type { Interview, InterviewIn, InterviewLanguage, QuestionIn, RubricItem } from '../shared/types'
import { ErrorMessage, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { QuestionVideo, type QuestionMedia } from './QuestionVideo'
import { href, navigate } from './router'
import { t } from './strings'

// Local rows carry a key so React keeps inputs and focus right when one is removed.
type QuestionRow = QuestionIn & { key: number; media?: QuestionMedia }
// A rubric row names its question by the question row's key, so it follows the question wherever it moves.
type RubricRow = RubricItem & { key: number; questionKey?: number }

const LIMITS = {
  think: { min: 0, max: 600 },
  answer: { min: 10, max: 900 },
  takes: { min: 1, max: 10 },
  deadline: { min: 1, max: 90 },
}

/** Build a new interview, or edit one (`existing`) until its first invitation. */
export function InterviewForm({ existing }: { existing?: Interview }) {
  const { api } = useSession()
  const nextKey = useRef(1)
  const key = () => nextKey.current++
  const newQuestion = (): QuestionRow => ({ key: key(), prompt: '', kind: 'video', thinkSeconds: 30, answerSeconds: 120, maxTakes: 2 })

  const [title, setTitle] = useState(existing?.title ?? '')
  const [description, setDescription] = useState(existing?.description ?? '')
  const [questions, setQuestions] = useState<QuestionRow[]>(() =>
    existing
      ? existing.questions.map((q) => ({ key: key(), prompt: q.prompt, kind: q.kind, thinkSeconds: q.thinkSeconds, answerSeconds: q.answerSeconds, maxTakes: q.maxTakes, media: q.media ?? undefined }))
      : [newQuestion()],
  )
  const [rubric, setRubric] = useState<RubricRow[]>(() =>
    (existing?.rubric ?? []).map((r) => ({
      key: key(),
      name: r.name,
      description: r.description,
      anchors: r.anchors,
      questionKey: questions[(existing?.questions ?? []).findIndex((q) => q.questionId === r.questionId)]?.key,
    })),
  )
  const [deadlineDays, setDeadlineDays] = useState(existing?.deadlineDays ?? 14)
  const [practiceQuestion, setPracticeQuestion] = useState(existing?.practiceQuestion ?? true)
  const [blind, setBlind] = useState(existing?.blind ?? false)
  const [language, setLanguage] = useState<InterviewLanguage>(existing?.language ?? 'en-US')
  const bank = useQuery({ queryKey: ['question-bank'], queryFn: () => call(api.GET('/api/question-bank')) })
  const [bankNote, setBankNote] = useState('')
  const saveToBank = async (q: QuestionRow) => {
    const { key: _key, media: _media, mediaId: _mediaId, ...spec } = q // the bank keeps the words, not the video
    try {
      await call(api.POST('/api/question-bank', { body: { ...spec, prompt: spec.prompt.trim() } }))
      setBankNote(t.form.savedToBank)
      await bank.refetch()
    } catch (err) {
      setError(err)
    }
  }
  const [error, setError] = useState<unknown>(null)
  const save = useMutation({
    mutationFn: (body: InterviewIn) =>
      existing ? call(api.PUT('/api/interviews/{interviewId}', { params: { path: { interviewId: existing.interviewId } }, body })) : call(api.POST('/api/interviews', { body })),
    onSuccess: (saved) => navigate(href.interview(saved.interviewId)),
  })
  const focusAfterAdd = useRef<string | null>(null)

  const updateQuestion = (k: number, patch: Partial<QuestionRow>) => setQuestions((qs) => qs.map((q) => (q.key === k ? { ...q, ...patch } : q)))
  const updateRubric = (k: number, patch: Partial<RubricItem>) => setRubric((rs) => rs.map((r) => (r.key === k ? { ...r, ...patch } : r)))

  const addQuestion = () => {
    const q = newQuestion()
    focusAfterAdd.current = `q-${q.key}-prompt`
    setQuestions((qs) => [...qs, q])
  }
  const addRubric = () => {
    const r = { key: key(), name: '', description: '' }
    focusAfterAdd.current = `r-${r.key}-name`
    setRubric((rs) => [...rs, r])
  }
  // Put the keyboard in the row just added.
  const focusRef = (id: string) => (el: HTMLElement | null) => {
    if (el && focusAfterAdd.current === id) {
      focusAfterAdd.current = null
      el.focus()
    }
  }

  // Questions are numbered by their place when saved: q1, q2, ...; a question removed leaves the whole interview.
  const rubricQuestionId = (r: RubricRow) => {
    const at = questions.findIndex((q) => q.key === r.questionKey)
    return at < 0 ? null : `q${at + 1}`
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (questions.length === 0) {
      setError(new Error(t.form.needQuestion))
      return
    }
    const body: InterviewIn = {
      title: title.trim(),
      description: description.trim(),
      questions: questions.map(({ key: _key, media, ...q }) => ({ ...q, prompt: q.prompt.trim(), mediaId: q.kind === 'video' ? (media?.mediaId ?? null) : null })),
      rubric: rubric
        .filter((r) => r.name.trim())
        .map((r) => ({ name: r.name.trim(), description: (r.description ?? '').trim(), anchors: (r.anchors ?? []).some((a) => a.trim()) ? r.anchors : [], questionId: rubricQuestionId(r) })),
      deadlineDays,
      practiceQuestion,
      blind,
      language,
    }
    setError(null)
    save.mutate(body)
  }

  return (
    <>
      <a className="back" href={href.interviews()}>
        {t.backToInterviews}
      </a>
      <PageHeading>{existing ? t.form.editTitle : t.form.title}</PageHeading>
      <p className="muted">{t.form.intro}</p>
      <form className="stack" onSubmit={submit} data-testid="interview-form">
        <div className="card stack">
          <div className="field">
            <label htmlFor="iv-title">{t.form.interviewTitle}</label>
            <input id="iv-title" required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="iv-description">{t.form.description}</label>
            <textarea
              id="iv-description"
              rows={3}
              maxLength={5000}
              aria-describedby="iv-description-help"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
            <p className="help" id="iv-description-help">
              {t.form.descriptionHelp}
            </p>
          </div>
        </div>

        <fieldset className="card stack">
          <legend>{t.form.questions}</legend>
          {questions.map((q, i) => {
            const id = `q-${q.key}`
            return (
              <fieldset key={q.key} className="question-row" data-testid="question-row">
                <legend>{t.form.question(i + 1)}</legend>
                <div className="field">
                  <label htmlFor={`${id}-prompt`}>{t.form.prompt}</label>
                  <textarea
                    id={`${id}-prompt`}
                    ref={focusRef(`${id}-prompt`)}
                    rows={2}
                    required
                    maxLength={2000}
                    value={q.prompt}
                    onChange={(e) => updateQuestion(q.key, { prompt: e.target.value })}
                  />
                </div>
                <div className="row wrap">
                  <div className="field">
                    <label htmlFor={`${id}-kind`}>{t.form.kind}</label>
                    <select id={`${id}-kind`} value={q.kind} onChange={(e) => updateQuestion(q.key, { kind: e.target.value as QuestionIn['kind'] })}>
                      <option value="video">{t.form.kindVideo}</option>
                      <option value="text">{t.form.kindText}</option>
                    </select>
                  </div>
                  {/* Timing and takes apply to video answers; a written answer keeps the defaults. */}
                  {q.kind === 'video' && (
                    <>
                      <NumberField id={`${id}-think`} label={t.form.thinkSeconds} value={q.thinkSeconds ?? 0} {...LIMITS.think} onChange={(v) => updateQuestion(q.key, { thinkSeconds: v })} />
                      <NumberField id={`${id}-answer`} label={t.form.answerSeconds} value={q.answerSeconds ?? 120} {...LIMITS.answer} onChange={(v) => updateQuestion(q.key, { answerSeconds: v })} />
                      <NumberField id={`${id}-takes`} label={t.form.maxTakes} value={q.maxTakes ?? 1} {...LIMITS.takes} onChange={(v) => updateQuestion(q.key, { maxTakes: v })} />
                    </>
                  )}
                </div>
                {q.kind === 'video' && (
                  <fieldset className="question-video-field">
                    <legend>{t.questionVideo.label(i + 1)}</legend>
                    <QuestionVideo api={api} interviewId={existing?.interviewId} index={i + 1} media={q.media} onChange={(media) => updateQuestion(q.key, { media })} />
                  </fieldset>
                )}
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={t.form.saveToBank(i + 1)}
                  disabled={!q.prompt.trim()}
                  onClick={() => void saveToBank(q)}
                >
                  {t.form.saveToBankShort}
                </button>
                {questions.length > 1 && (
                  <button
                    type="button"
                    className="button secondary small"
                    aria-label={t.form.removeQuestion(i + 1)}
                    onClick={() => setQuestions((qs) => qs.filter((x) => x.key !== q.key))}
                  >
                    {t.remove}
                  </button>
                )}
              </fieldset>
            )
          })}
          <div className="row wrap">
            <button type="button" className="button secondary" onClick={addQuestion}>
              {t.form.addQuestion}
            </button>
            {(bank.data?.items.length ?? 0) > 0 && (
              <>
                <label htmlFor="from-bank">{t.form.fromBank}</label>
                <select
                  id="from-bank"
                  value=""
                  onChange={(e) => {
                    const b = bank.data?.items.find((x) => x.questionId === e.target.value)
                    if (b) setQuestions((qs) => [...qs, { key: key(), prompt: b.prompt, kind: b.kind, thinkSeconds: b.thinkSeconds, answerSeconds: b.answerSeconds, maxTakes: b.maxTakes }])
                  }}
                >
                  <option value="">{t.form.chooseFromBank}</option>
                  {bank.data?.items.map((b) => (
                    <option key={b.questionId} value={b.questionId}>
                      {b.prompt}
                    </option>
                  ))}
                </select>
              </>
            )}
            {bankNote && (
              <span role="status" className="success-text">
                {bankNote}
              </span>
            )}
          </div>
        </fieldset>

        <fieldset className="card stack" aria-describedby="rubric-help">
          <legend>{t.form.rubric}</legend>
          <p className="help" id="rubric-help">
            {t.form.rubricHelp}
          </p>
          {rubric.map((r, i) => {
            const id = `r-${r.key}`
            return (
              <div key={r.key} className="row wrap rubric-row" data-testid="rubric-row">
                <div className="field">
                  <label htmlFor={`${id}-name`}>{t.form.rubricName}</label>
                  <input
                    id={`${id}-name`}
                    ref={focusRef(`${id}-name`)}
                    required
                    maxLength={100}
                    value={r.name}
                    onChange={(e) => updateRubric(r.key, { name: e.target.value })}
                  />
                </div>
                <div className="field grow">
                  <label htmlFor={`${id}-description`}>{t.form.rubricDescription}</label>
                  <input
                    id={`${id}-description`}
                    maxLength={2000}
                    value={r.description ?? ''}
                    onChange={(e) => updateRubric(r.key, { description: e.target.value })}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-question`}>{t.form.rubricQuestion}</label>
                  <select
                    id={`${id}-question`}
                    value={questions.some((q) => q.key === r.questionKey) ? String(r.questionKey) : ''}
                    onChange={(e) => setRubric((rs) => rs.map((x) => (x.key === r.key ? { ...x, questionKey: e.target.value ? Number(e.target.value) : undefined } : x)))}
                  >
                    <option value="">{t.form.wholeInterview}</option>
                    {questions.map((q, n) => (
                      <option key={q.key} value={q.key}>
                        {t.form.questionOption(n + 1, q.prompt)}
                      </option>
                    ))}
                  </select>
                </div>
                <details className="anchors-editor">
                  <summary>{t.form.anchors}</summary>
                  {[0, 1, 2, 3, 4].map((n) => (
                    <div className="field" key={n}>
                      <label htmlFor={`${id}-anchor-${n}`}>{t.form.anchor(n + 1)}</label>
                      <input
                        id={`${id}-anchor-${n}`}
                        maxLength={500}
                        value={r.anchors?.[n] ?? ''}
                        onChange={(e) => {
                          const anchors = [0, 1, 2, 3, 4].map((k) => r.anchors?.[k] ?? '')
                          anchors[n] = e.target.value
                          updateRubric(r.key, { anchors })
                        }}
                      />
                    </div>
                  ))}
                </details>
                <button
                  type="button"
                  className="button secondary small align-end"
                  aria-label={t.form.removeRubric(i + 1)}
                  onClick={() => setRubric((rs) => rs.filter((x) => x.key !== r.key))}
                >
                  {t.remove}
                </button>
              </div>
            )
          })}
          <div>
            <button type="button" className="button secondary" onClick={addRubric}>
              {t.form.addRubric}
            </button>
          </div>
        </fieldset>

        <div className="card stack">
          <div className="row wrap">
            <NumberField id="iv-deadline" label={t.form.deadlineDays} value={deadlineDays} {...LIMITS.deadline} onChange={setDeadlineDays} help={t.form.deadlineHelp} />
          </div>
          <div className="field">
            <label htmlFor="iv-language">{t.form.language}</label>
            <select id="iv-language" value={language} aria-describedby="iv-language-help" onChange={(e) => setLanguage(e.target.value as InterviewLanguage)}>
              {(Object.keys(t.form.languages) as InterviewLanguage[]).map((code) => (
                <option key={code} value={code}>
                  {t.form.languages[code]}
                </option>
              ))}
            </select>
            <p className="help" id="iv-language-help">
              {t.form.languageHelp}
            </p>
          </div>
          <div className="check">
            <input id="iv-practice" type="checkbox" checked={practiceQuestion} onChange={(e) => setPracticeQuestion(e.target.checked)} />
            <label htmlFor="iv-practice">{t.form.practice}</label>
          </div>
          <div className="check">
            <input id="iv-blind" type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} aria-describedby="iv-blind-help" />
            <label htmlFor="iv-blind">{t.form.blind}</label>
          </div>
          <p className="help" id="iv-blind-help">
            {t.form.blindHelp}
          </p>
        </div>

        <ErrorMessage error={error ?? save.error} />
        <div className="row">
          <button type="submit" className="button" disabled={save.isPending || save.isSuccess}>
            {save.isPending || save.isSuccess ? t.form.busy : existing ? t.form.save : t.form.submit}
          </button>
          <a className="button secondary" href={href.interviews()}>
            {t.cancel}
          </a>
        </div>
      </form>
    </>
  )
}

function NumberField(props: { id: string; label: string; value: number; min: number; max: number; onChange: (v: number) => void; help?: string }) {
  const { id, label, value, min, max, onChange, help } = props
  return (
    <div className="field number">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        required
        min={min}
        max={max}
        step={1}
        value={Number.isNaN(value) ? '' : value}
        aria-describedby={help ? `${id}-help` : undefined}
        onChange={(e) => onChange(e.target.valueAsNumber)}
      />
      {help && (
        <p className="help" id={`${id}-help`}>
          {help}
        </p>
      )}
    </div>
  )
}
