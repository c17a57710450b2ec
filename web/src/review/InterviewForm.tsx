import { useMutation, useQuery } from '@tanstack/react-query'
import { type FormEvent, useRef, useState } from 'react'
import { call } from '../shared/api'
import type { Interview, InterviewIn, InterviewLanguage, InterviewTemplate, QuestionIn, RubricItem } from '../shared/types'
import { ErrorMessage, PageHeading } from '../shared/ui'
import { useSession } from './context'
import { LocalError, humanError } from './errors'
import { QuestionVideo, type QuestionMedia } from './QuestionVideo'
import { isScreening, ScreeningFields, screeningBody, screeningRow, type ScreeningRow } from './ScreeningFields'
import { href, navigate } from './router'
import { t } from './strings'

// Local rows carry a key so React keeps inputs and focus right when one is removed.
type QuestionRow = Omit<QuestionIn, keyof ScreeningRow | 'rule'> & ScreeningRow & { key: number; media?: QuestionMedia }
// A rubric row names its question by the question row's key, so it follows the question wherever it moves.
type RubricRow = RubricItem & { key: number; questionKey?: number }

const LIMITS = {
  deadline: { min: 1, max: 90 },
}
// Durations come in steps a recruiter thinks in (an interview made elsewhere keeps its own value as one more step).
const THINK_STEPS = [0, 15, 30, 60]
const ANSWER_STEPS = [30, 60, 120, 180, 300]
const TAKE_STEPS = [1, 2, 3, 5]
const REMINDER_STEPS = [72, 48, 24, 12]

/** Build a new interview, or edit one (`existing`); from its first invitation only what does not change what candidates answer. */
export function InterviewForm({ existing }: { existing?: Interview }) {
  const { api } = useSession()
  const nextKey = useRef(1)
  const key = () => nextKey.current++
  const newQuestion = (): QuestionRow => ({ key: key(), prompt: '', kind: 'video', thinkSeconds: 30, answerSeconds: 120, maxTakes: 2, ...screeningRow({ kind: 'video' }) })
  const locked = existing?.locked ?? false

  const [title, setTitle] = useState(existing?.title ?? '')
  const [description, setDescription] = useState(existing?.description ?? '')
  const [welcome, setWelcome] = useState(existing?.welcome ?? '')
  // The recruiter's own welcome and closing videos (not part of templates: videos stay with their interview).
  const [introVideo, setIntroVideo] = useState<QuestionMedia | undefined>(existing?.introVideo ?? undefined)
  const [closingVideo, setClosingVideo] = useState<QuestionMedia | undefined>(existing?.closingVideo ?? undefined)
  const [questions, setQuestions] = useState<QuestionRow[]>(() =>
    existing
      ? existing.questions.map((q) => ({ key: key(), prompt: q.prompt, kind: q.kind, thinkSeconds: q.thinkSeconds, answerSeconds: q.answerSeconds, maxTakes: q.maxTakes, media: q.media ?? undefined, ...screeningRow(q) }))
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
  const [allowAudioAnswers, setAllowAudioAnswers] = useState(existing?.allowAudioAnswers ?? false)
  const [language, setLanguage] = useState<InterviewLanguage>(existing?.language ?? 'en-US')
  const [reminders, setReminders] = useState(existing?.reminders ?? true)
  const [schedulingUrl, setSchedulingUrl] = useState(existing?.schedulingUrl ?? '')
  const [rejectEmail, setRejectEmail] = useState(existing?.rejectEmail ?? false)
  const [reminderHours, setReminderHours] = useState<number[]>(existing?.reminderHours ?? [48, 24])
  // A new interview's id from the start (nothing is stored until Save), so question videos can be added before it.
  const draft = useQuery({
    queryKey: ['interview-draft'],
    queryFn: () => call(api.POST('/api/interview-drafts')),
    enabled: !existing,
    staleTime: Infinity,
    gcTime: 0,
  })
  const interviewId = existing?.interviewId ?? draft.data?.interviewId
  const templates = useQuery({ queryKey: ['interview-templates'], queryFn: () => call(api.GET('/api/interview-templates')), enabled: !existing })
  const [templateId, setTemplateId] = useState('')
  const [note, setNote] = useState('')
  const applyTemplate = (tpl: InterviewTemplate) => {
    setTitle(tpl.title)
    setDescription(tpl.description)
    setWelcome(tpl.welcome)
    const rows = tpl.questions.map((q) => ({ key: key(), prompt: q.prompt, kind: q.kind, thinkSeconds: q.thinkSeconds, answerSeconds: q.answerSeconds, maxTakes: q.maxTakes, ...screeningRow(q) }))
    setQuestions(rows)
    setRubric(
      tpl.rubric.map((r) => ({
        key: key(),
        name: r.name,
        description: r.description,
        anchors: r.anchors,
        questionKey: rows[tpl.questions.findIndex((q) => q.questionId === r.questionId)]?.key,
      })),
    )
    setDeadlineDays(tpl.deadlineDays)
    setPracticeQuestion(tpl.practiceQuestion)
    setBlind(tpl.blind)
    setAllowAudioAnswers(tpl.allowAudioAnswers)
    setLanguage(tpl.language)
    setReminders(tpl.reminders)
    setReminderHours(tpl.reminderHours)
    setNote(t.form.usedTemplate(tpl.name))
  }
  const [templateName, setTemplateName] = useState<string | null>(null)
  const saveTemplate = useMutation({
    mutationFn: (name: string) => call(api.POST('/api/interview-templates', { body: { ...body(), name } })),
    onSuccess: async (saved) => {
      setTemplateName(null)
      setNote(t.form.savedTemplate(saved.name))
      await templates.refetch()
    },
  })
  const deleteTemplate = useMutation({
    mutationFn: (tpl: InterviewTemplate) => call(api.DELETE('/api/interview-templates/{templateId}', { params: { path: { templateId: tpl.templateId } } })),
    onSuccess: async (_done, tpl) => {
      setTemplateId('')
      setNote(t.form.deletedTemplate(tpl.name))
      await templates.refetch()
    },
  })
  const [moved, setMoved] = useState('')
  const bank = useQuery({ queryKey: ['question-bank'], queryFn: () => call(api.GET('/api/question-bank')) })
  const [bankNote, setBankNote] = useState('')
  const saveToBank = async (q: QuestionRow) => {
    // The bank keeps the words and a screening question's settings, not the video.
    const { key: _key, media: _media, mediaId: _mediaId, options, accept, multiple, numberMin, numberMax, unit, expected, preferMin, preferMax, ...spec } = q
    const screening = screeningBody(spec.kind, { options, accept, multiple, numberMin, numberMax, unit, expected, preferMin, preferMax })
    try {
      await call(api.POST('/api/question-bank', { body: { ...spec, ...screening, prompt: spec.prompt.trim() } }))
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

  // Move a question one place up or down; the keyboard stays on the button pressed.
  const move = (k: number, by: -1 | 1, focusId: string) => {
    const from = questions.findIndex((q) => q.key === k)
    const to = from + by
    if (from < 0 || to < 0 || to >= questions.length) return
    const next = [...questions]
    const [row] = next.splice(from, 1)
    if (!row) return
    next.splice(to, 0, row)
    setQuestions(next)
    // At the first or last place the other button takes the keyboard (the one pressed is gone).
    focusAfterAdd.current = to === 0 ? `q-${k}-down` : to === next.length - 1 ? `q-${k}-up` : focusId
    setMoved(t.form.moved(to + 1))
  }

  const body = (): InterviewIn => ({
    title: title.trim(),
    description: description.trim(),
    welcome: welcome.trim(),
    introMediaId: introVideo?.mediaId ?? null,
    closingMediaId: closingVideo?.mediaId ?? null,
    questions: questions.map(({ key: _key, media, options, accept, multiple, numberMin, numberMax, unit, expected, preferMin, preferMax, ...q }) => ({
      ...q,
      prompt: q.prompt.trim(),
      mediaId: q.kind === 'video' ? (media?.mediaId ?? null) : null,
      ...screeningBody(q.kind, { options, accept, multiple, numberMin, numberMax, unit, expected, preferMin, preferMax }),
    })),
    // A criterion scored on one question names it by its place at saving time.
    rubric: rubric
      .filter((r) => r.name.trim())
      .map((r) => ({ name: r.name.trim(), description: (r.description ?? '').trim(), anchors: (r.anchors ?? []).some((a) => a.trim()) ? r.anchors : [], questionId: rubricQuestionId(r) })),
    deadlineDays,
    practiceQuestion,
    blind,
    allowAudioAnswers,
    language,
    reminders: reminders && reminderHours.length > 0,
    reminderHours,
    schedulingUrl: schedulingUrl.trim() || null,
    rejectEmail,
    interviewId: existing ? null : (draft.data?.interviewId ?? null),
  })

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (questions.length === 0) {
      setError(new LocalError(t.form.needQuestion))
      return
    }
    if (reminders && reminderHours.length === 0) {
      setError(new LocalError(t.form.needReminder))
      return
    }
    setError(null)
    save.mutate(body())
  }

  const own = templates.data?.items.filter((x) => !x.builtIn) ?? []
  const builtIn = templates.data?.items.filter((x) => x.builtIn) ?? []

  return (
    <>
      <a className="back" href={href.interviews()}>
        {t.backToInterviews}
      </a>
      <PageHeading>{existing ? t.form.editTitle : t.form.title}</PageHeading>
      <p className="muted">{t.form.intro}</p>
      {locked ? (
        <p className="notice notice-warn" data-testid="locked-notice">
          {t.form.locked}
        </p>
      ) : (
        <p className="notice" data-testid="lock-ahead">
          {t.form.lockAhead}
        </p>
      )}
      {!existing && (templates.data?.items.length ?? 0) > 0 && (
        <section className="card stack" aria-labelledby="templates-heading" data-testid="templates">
          <h2 id="templates-heading">{t.form.templates}</h2>
          <p className="help" id="templates-help">
            {t.form.templatesHelp}
          </p>
          <div className="row wrap align-items-end">
            <div className="field grow">
              <label htmlFor="template">{t.form.template}</label>
              <select id="template" value={templateId} aria-describedby="templates-help" onChange={(e) => setTemplateId(e.target.value)}>
                <option value="">{t.form.chooseTemplate}</option>
                {own.length > 0 && (
                  <optgroup label={t.form.ownTemplates}>
                    {own.map((x) => (
                      <option key={x.templateId} value={x.templateId}>
                        {x.name}
                      </option>
                    ))}
                  </optgroup>
                )}
                <optgroup label={t.form.builtInTemplates}>
                  {builtIn.map((x) => (
                    <option key={x.templateId} value={x.templateId}>
                      {x.name}
                    </option>
                  ))}
                </optgroup>
              </select>
            </div>
            <button
              type="button"
              className="button secondary"
              disabled={!templateId}
              onClick={() => {
                const tpl = templates.data?.items.find((x) => x.templateId === templateId)
                if (tpl) applyTemplate(tpl)
              }}
            >
              {t.form.useTemplate}
            </button>
            {own.some((x) => x.templateId === templateId) && (
              <button
                type="button"
                className="button secondary"
                disabled={deleteTemplate.isPending}
                onClick={() => {
                  const tpl = own.find((x) => x.templateId === templateId)
                  if (tpl) deleteTemplate.mutate(tpl)
                }}
              >
                {t.form.deleteTemplate}
              </button>
            )}
          </div>
          <ErrorMessage error={humanError(deleteTemplate.error)} />
        </section>
      )}
      {note && (
        <p role="status" className="success-text" data-testid="form-note">
          {note}
        </p>
      )}
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
          <div className="field">
            <label htmlFor="iv-welcome">{t.form.welcome}</label>
            <textarea id="iv-welcome" rows={3} maxLength={2000} aria-describedby="iv-welcome-help" value={welcome} onChange={(e) => setWelcome(e.target.value)} />
            <p className="help" id="iv-welcome-help">
              {t.form.welcomeHelp}
            </p>
          </div>
          <fieldset className="question-video-field" data-testid="intro-video">
            <legend>{t.greetingVideo.introLabel}</legend>
            <QuestionVideo api={api} interviewId={interviewId} index={0} slot="intro" media={introVideo} onChange={setIntroVideo} />
          </fieldset>
          <fieldset className="question-video-field" data-testid="closing-video">
            <legend>{t.greetingVideo.closingLabel}</legend>
            <QuestionVideo api={api} interviewId={interviewId} index={0} slot="closing" media={closingVideo} onChange={setClosingVideo} />
          </fieldset>
        </div>

        {/* From the first invitation the questions are fixed: a disabled fieldset says so to every control in it. */}
        <fieldset className="card stack" disabled={locked} aria-describedby={locked ? 'locked-help' : undefined} data-testid="questions">
          <legend>{t.form.questions}</legend>
          {locked && (
            <p className="help" id="locked-help">
              {t.form.lockedShort}
            </p>
          )}
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
                      <option value="yes_no">{t.form.kindYesNo}</option>
                      <option value="choice">{t.form.kindChoice}</option>
                      <option value="number">{t.form.kindNumber}</option>
                    </select>
                  </div>
                  {/* Timing and takes apply to video answers; a written answer keeps the defaults. */}
                  {q.kind === 'video' && (
                    <>
                      <StepField id={`${id}-think`} label={t.form.thinkSeconds} value={q.thinkSeconds ?? 30} steps={THINK_STEPS} show={t.form.seconds} onChange={(v) => updateQuestion(q.key, { thinkSeconds: v })} />
                      <StepField id={`${id}-answer`} label={t.form.answerSeconds} value={q.answerSeconds ?? 120} steps={ANSWER_STEPS} show={t.form.seconds} onChange={(v) => updateQuestion(q.key, { answerSeconds: v })} />
                      <StepField id={`${id}-takes`} label={t.form.maxTakes} value={q.maxTakes ?? 2} steps={TAKE_STEPS} show={t.form.takes} onChange={(v) => updateQuestion(q.key, { maxTakes: v })} />
                    </>
                  )}
                </div>
                {isScreening(q.kind) && <ScreeningFields id={id} n={i + 1} kind={q.kind} row={q} onChange={(patch) => updateQuestion(q.key, patch)} />}
                {q.kind === 'video' && !locked && (
                  <fieldset className="question-video-field">
                    <legend>{t.questionVideo.label(i + 1)}</legend>
                    <QuestionVideo api={api} interviewId={interviewId} index={i + 1} media={q.media} onChange={(media) => updateQuestion(q.key, { media })} />
                  </fieldset>
                )}
                <div className="row wrap question-actions">
                  {questions.length > 1 && (
                    <div className="row" role="group" aria-label={t.form.question(i + 1)}>
                      <button
                        type="button"
                        id={`${id}-up`}
                        ref={focusRef(`${id}-up`)}
                        className="button secondary small"
                        aria-label={t.form.moveUp(i + 1)}
                        disabled={i === 0}
                        onClick={() => move(q.key, -1, `${id}-up`)}
                      >
                        <span aria-hidden="true">↑</span> {t.form.up}
                      </button>
                      <button
                        type="button"
                        id={`${id}-down`}
                        ref={focusRef(`${id}-down`)}
                        className="button secondary small"
                        aria-label={t.form.moveDown(i + 1)}
                        disabled={i === questions.length - 1}
                        onClick={() => move(q.key, 1, `${id}-down`)}
                      >
                        <span aria-hidden="true">↓</span> {t.form.down}
                      </button>
                    </div>
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
                </div>
              </fieldset>
            )
          })}
          <p role="status" className="visually-hidden">
            {moved}
          </p>
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
                    if (b) setQuestions((qs) => [...qs, { key: key(), prompt: b.prompt, kind: b.kind, thinkSeconds: b.thinkSeconds, answerSeconds: b.answerSeconds, maxTakes: b.maxTakes, ...screeningRow(b) }])
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

        <fieldset className="card stack" aria-describedby="rubric-help" disabled={locked} data-testid="rubric">
          <legend>{t.form.rubric}</legend>
          <p className="help" id="rubric-help">
            {locked ? `${t.form.rubricHelp} ${t.form.lockedShort}` : t.form.rubricHelp}
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
          <fieldset className="stack reminders" data-testid="reminders">
            <legend className="visually-hidden">{t.form.reminders}</legend>
            <div className="check">
              <input id="iv-reminders" type="checkbox" checked={reminders} aria-describedby="iv-reminders-help" onChange={(e) => setReminders(e.target.checked)} />
              <label htmlFor="iv-reminders">{t.form.reminders}</label>
            </div>
            {reminders && (
              <div className="row wrap" role="group" aria-label={t.form.reminderHours}>
                {[...new Set([...REMINDER_STEPS, ...reminderHours])]
                  .sort((a, b) => b - a)
                  .map((h) => (
                    <div className="check" key={h}>
                      <input
                        id={`iv-remind-${h}`}
                        type="checkbox"
                        checked={reminderHours.includes(h)}
                        onChange={(e) => setReminderHours((hs) => (e.target.checked ? [...hs, h].sort((a, b) => b - a) : hs.filter((x) => x !== h)))}
                      />
                      <label htmlFor={`iv-remind-${h}`}>{t.form.reminderAt(h)}</label>
                    </div>
                  ))}
              </div>
            )}
            <p className="help" id="iv-reminders-help">
              {t.form.remindersHelp}
            </p>
          </fieldset>
          <div className="field">
            <label htmlFor="iv-scheduling">{t.form.schedulingUrl}</label>
            <input
              id="iv-scheduling"
              type="url"
              inputMode="url"
              pattern="https://.+"
              maxLength={2000}
              placeholder="https://"
              aria-describedby="iv-scheduling-help"
              value={schedulingUrl}
              onChange={(e) => setSchedulingUrl(e.target.value)}
            />
            <p className="help" id="iv-scheduling-help">
              {t.form.schedulingUrlHelp}
            </p>
          </div>
          <div className="check">
            <input id="iv-reject-email" type="checkbox" checked={rejectEmail} aria-describedby="iv-reject-email-help" onChange={(e) => setRejectEmail(e.target.checked)} />
            <label htmlFor="iv-reject-email">{t.form.rejectEmail}</label>
          </div>
          <p className="help" id="iv-reject-email-help">
            {t.form.rejectEmailHelp}
          </p>
          <div className="field">
            <label htmlFor="iv-language">{t.form.language}</label>
            <select id="iv-language" value={language} disabled={locked} aria-describedby="iv-language-help" onChange={(e) => setLanguage(e.target.value as InterviewLanguage)}>
              {(Object.keys(t.form.languages) as InterviewLanguage[]).map((code) => (
                <option key={code} value={code}>
                  {t.form.languages[code]}
                </option>
              ))}
            </select>
            <p className="help" id="iv-language-help">
              {locked ? `${t.form.languageHelp} ${t.form.lockedShort}` : t.form.languageHelp}
            </p>
          </div>
          <div className="check">
            <input id="iv-practice" type="checkbox" checked={practiceQuestion} disabled={locked} onChange={(e) => setPracticeQuestion(e.target.checked)} />
            <label htmlFor="iv-practice">{t.form.practice}</label>
          </div>
          <div className="check">
            <input id="iv-blind" type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} aria-describedby="iv-blind-help" />
            <label htmlFor="iv-blind">{t.form.blind}</label>
          </div>
          <p className="help" id="iv-blind-help">
            {t.form.blindHelp}
          </p>
          <div className="check">
            <input
              id="iv-audio"
              type="checkbox"
              checked={allowAudioAnswers}
              onChange={(e) => setAllowAudioAnswers(e.target.checked)}
              aria-describedby="iv-audio-help"
            />
            <label htmlFor="iv-audio">{t.form.allowAudio}</label>
          </div>
          <p className="help" id="iv-audio-help">
            {t.form.allowAudioHelp}
          </p>
        </div>

        <ErrorMessage error={humanError(error ?? save.error)} />
        <div className="row wrap">
          <button type="submit" className="button" disabled={save.isPending || save.isSuccess}>
            {save.isPending || save.isSuccess ? t.form.busy : existing ? t.form.save : t.form.submit}
          </button>
          <button type="button" className="button secondary" aria-expanded={templateName !== null} onClick={() => setTemplateName(templateName === null ? title : null)}>
            {t.form.saveAsTemplate}
          </button>
          <a className="button secondary" href={href.interviews()}>
            {t.cancel}
          </a>
        </div>
      </form>
      {templateName !== null && (
        <form
          className="card row wrap align-items-end"
          data-testid="save-template"
          onSubmit={(e) => {
            e.preventDefault()
            saveTemplate.mutate(templateName.trim())
          }}
        >
          <div className="field grow">
            <label htmlFor="template-name">{t.form.templateName}</label>
            <input id="template-name" required maxLength={200} value={templateName} onChange={(e) => setTemplateName(e.target.value)} />
          </div>
          <button type="submit" className="button" disabled={saveTemplate.isPending}>
            {t.form.saveTemplate}
          </button>
          <ErrorMessage error={humanError(saveTemplate.error)} />
        </form>
      )}
    </>
  )
}

/** A duration or count chosen from steps; a value from elsewhere (an older interview, the API) stays as one more step. */
function StepField(props: { id: string; label: string; value: number; steps: number[]; show: (n: number) => string; onChange: (v: number) => void }) {
  const { id, label, value, steps, show, onChange } = props
  const options = steps.includes(value) ? steps : [...steps, value].sort((a, b) => a - b)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {options.map((n) => (
          <option key={n} value={n}>
            {show(n)}
          </option>
        ))}
      </select>
    </div>
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
