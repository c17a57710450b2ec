/**
 * Every word the candidate app shows, in English: the reference catalog. es.ts, de.ts and fr.ts
 * are typed against it (`Strings`), so a key missing or extra in a translation fails the build.
 * Plain, friendly, short. Numbers, dates and durations come formatted from `f` (the language's own).
 */
import { type Formats, fill } from '../../shared/i18n'
import type { Session } from '../../shared/types'

type Accommodation = Session['accommodations'][number]
type Decision = NonNullable<Session['decision']>

export function en(f: Formats) {
  return {
    loading: 'Loading your interview…',
    networkError: 'We could not reach the server. Check your internet connection and try again.',
    retry: 'Try again',
    continue: 'Continue',
    appName: 'Oneway',
    /** The browser tab's title. */
    documentTitle: (org: string) => fill('Video interview · {org}', { org }),
    /** Between a label and its value ("Camera: Working"). */
    colon: ': ',

    /** What the server's refusals mean for the candidate, by their code; `other` for the rest (the server's own English words). */
    errors: {
      other: (message: string) => message,
      no_takes_left: 'You have no takes left for this question.',
      already_answered: 'This question is already answered.',
      consent_required: 'Please agree to the privacy notice first.',
      recording_too_large: 'This recording is too large to send. Please record a shorter answer.',
      already_requested: 'This request is already waiting for an answer.',
      too_many_requests: 'You cannot send more requests for this interview.',
      rate_limited: 'Too many attempts in a short time. Please wait a minute, then try again.',
      interview_not_found: 'This interview no longer exists. Please contact the person who invited you.',
    },

    noToken: {
      title: 'This link is incomplete',
      body: 'Open the interview with the full link from your invitation email. If it still does not work, ask the person who invited you for a new link.',
    },
    badToken: {
      title: 'This link does not work',
      body: 'The link may have been mistyped, replaced by a newer one, or its deadline may have passed. Ask the person who invited you for a new link.',
    },
    deadline: {
      title: 'The deadline has passed',
      body: 'This interview can no longer be answered, because its deadline has passed. If you think this is a mistake, contact the person who invited you.',
    },
    error: {
      title: 'Something went wrong',
    },

    welcome: {
      hello: (name: string) => fill('Hello {name}', { name }),
      intro: (org: string) => fill('{org} invites you to a video interview. You answer on your own time: there is no one on the other end while you record.', { org }),
      howItWorks: 'How it works',
      questions: (n: number) => f.plural(n, { one: '{n} question', other: '{n} questions' }),
      videoCount: (n: number) => f.plural(n, { one: '{n} video answer', other: '{n} video answers' }),
      textCount: (n: number) => f.plural(n, { one: '{n} written answer', other: '{n} written answers' }),
      deadline: 'Answer before',
      thinkTime: (d: string) => fill('Up to {d} to think before each video answer', { d }),
      answerTime: (d: string) => fill('Up to {d} per video answer', { d }),
      takes: (n: number) => f.plural(n, { one: '{n} take per question', other: 'Up to {n} takes per question: you can record again if you are not happy' }),
      steps: [
        'Check your camera and microphone.',
        'For each question, read it, think, then record your answer.',
        'Watch your answer back. Record it again if takes remain, or send it.',
        'You can stop and come back later with the same link, until the deadline.',
      ] as [string, string, string, string],
      privacy: 'Privacy notice',
      consent: 'I agree to the recording and processing of my answers as described in the privacy notice.',
      agree: 'I agree and continue',
      busy: 'One moment…',
      resume: 'Welcome back. Continue where you left off.',
      estimated: (minutes: number) => f.plural(minutes, { one: 'About {n} minute in total', other: 'About {n} minutes in total' }),
      estimatedLabel: 'Time it takes',
      yourZone: (zone: string) => fill('in your time zone ({zone})', { zone }),
      questionList: 'The questions',
      questionVideo: (n: number) => fill('Question {n}: video answer', { n: f.number(n) }),
      questionText: (n: number) => fill('Question {n}: written answer', { n: f.number(n) }),
      questionTimes: (think: string, answer: string) => fill('{think} to think, {answer} to answer', { think, answer }),
      questionNoThink: (answer: string) => fill('{answer} to answer', { answer }),
      questionTakes: (n: number) => f.plural(n, { one: '{n} take', other: '{n} takes' }),
      questionWritten: 'No time limit; type at your own pace',
      extraTime: (m: number) => fill('Your times include extra time ({m}×).', { m: f.number(m) }),
    },

    accommodations: {
      title: 'Need more time or another way to answer?',
      intro: 'You can ask for extra time or to answer the video questions in writing. The organization decides; you will see the answer here when you come back.',
      kind: 'What do you need?',
      extraTime: 'More time to think and answer',
      textInstead: 'Answer in writing instead of on video',
      note: 'Anything you want to tell them (optional)',
      send: 'Send request',
      sending: 'Sending…',
      sent: 'Your request is sent.',
      state: { requested: 'Waiting for an answer', granted: 'Granted', declined: 'Declined' } satisfies Record<Accommodation['state'], string>,
      kindName: { extra_time: 'More time', text_instead_of_video: 'Answer in writing' } satisfies Record<Accommodation['kind'], string>,
      decidedOn: (date: string) => fill('({date})', { date }),
      yours: 'Your requests',
    },

    device: {
      title: 'Check your camera and microphone',
      intro: 'Your browser will ask for permission to use your camera and microphone. Nothing is recorded on this page.',
      support: 'Browser check',
      camera: 'Camera',
      microphone: 'Microphone',
      recorder: 'Video recording',
      cameraOk: 'Working',
      missing: 'Not available',
      unsupported: 'This browser cannot record video. Please open the link in a recent version of Chrome, Edge, Firefox or Safari.',
      insecure: 'Recording needs a secure (https) connection. Open the exact link from your invitation.',
      denied: 'Your browser blocked the camera or microphone. Allow access in the address bar (the camera icon), then try again.',
      notFound: 'We could not find a camera or microphone. Connect one, then try again.',
      busy: 'Your camera is in use by another app. Close it, then try again.',
      failed: 'We could not start your camera or microphone.',
      allow: 'Turn on camera and microphone',
      restart: 'Restart camera',
      starting: 'Starting your camera…',
      preview: 'Camera preview',
      level: 'Microphone level',
      levelHelp: 'Say something: the bar should move.',
      tips: 'Find a quiet place with light in front of you, and look at the camera when you answer.',
    },

    practice: {
      title: 'Practice question',
      intro: 'Try a short practice recording to get used to it. It stays on this device and is never sent.',
      prompt: 'Tell us in a few words how your day is going.',
      start: 'Try a practice recording',
      skip: 'Skip practice',
      done: 'That was the practice. When you are ready, start the real interview.',
      again: 'Practice again',
      begin: 'Start the interview',
    },

    question: {
      step: (n: number, total: number) => fill('Question {n} of {total}', { n: f.number(n), total: f.number(total) }),
      videoIntro: (think: string, answer: string) =>
        fill('When you press Start, the question appears. You then have {think} to think and {answer} to answer.', { think, answer }),
      noThinkIntro: (answer: string) => fill('When you press Start, the question appears and recording begins. You have {answer} to answer.', { answer }),
      takesLeft: (n: number) => f.plural(n, { one: 'You have {n} take for this question.', other: 'You have {n} takes for this question.' }),
      takesNone: 'You have no takes left for this question.',
      takeCounts: 'Pressing Start uses one take.',
      start: 'Start',
      starting: 'Preparing…',
      thinking: 'Time to think',
      thinkingLeft: (time: string) => fill('Time to think: {time} left', { time }),
      recordNow: 'Start recording now',
      recording: 'Recording',
      recordingLeft: (time: string) => fill('Recording: {time} left', { time }),
      endingSoon: (time: string) => fill('Only {time} left: start wrapping up.', { time }),
      stop: 'Stop',
      stopHint: 'Recording stops by itself when the time is up.',
      review: 'Watch your answer',
      playbackLabel: 'Your recorded answer',
      retake: 'Retake',
      retakeLeft: (n: number) => f.plural(n, { one: '{n} take left', other: '{n} takes left' }),
      noRetake: 'No takes left: this is the answer we will send.',
      submit: 'Submit answer',
      uploading: 'Sending your answer',
      progress: (percent: string) => fill('Uploading… {percent}', { percent }),
      progressTimeLeft: (percent: string, time: string) => fill('Uploading… {percent}, about {time} left', { percent, time }),
      offline: 'You are offline. The upload continues by itself when the connection is back.',
      resuming: 'Continuing the upload of your earlier recording…',
      uploadLabel: 'Upload progress',
      uploadDone: 'Answer sent.',
      uploadFailed: 'The upload stopped. Your recording is safe on this device.',
      uploadRetry: 'Resume upload',
      uploadHint: 'Check your internet connection, then resume. The parts already sent are kept.',
      keepOpen: 'Keep this page open until the upload finishes.',
      pendingFound: 'You recorded an answer to this question earlier that was not sent yet.',
      lostTakes: 'You used all takes for this question, and the recording is not on this device any more. Please contact the person who invited you.',
      refused: (reason: string) =>
        fill('The recording you sent for this question could not be used ({reason}) and was deleted. Please record your answer again.', { reason }),
      recorderError: 'Recording failed. Check your camera, then try again.',
      textLabel: 'Your answer',
      textIntro: 'Type your answer below. Your draft is kept on this device as you type; it is sent when you press Submit answer.',
      chars: (n: number, max: number) => fill('{n} / {max} characters', { n: f.number(n), max: f.number(max) }),
      saving: 'Saving…',
      introTitle: 'Ready when you are',
      draftSaved: 'Draft saved on this device.',
      draftRestored: 'Your draft from earlier is back.',
      textPromptMissing: 'Written question',
      keyHint: 'Keyboard:',
      keySpace: 'Space',
      keyStop: 'stops recording',
      keyRecordNow: 'starts recording now',
      videoQuestion: 'This question is a video with captions: it plays first, then your thinking time starts. Turn your sound on.',
      watching: 'Watch the question',
      questionVideo: 'The question, as a video',
      captions: 'Captions',
      watched: (think: boolean): string => (think ? 'Start thinking time' : 'Start recording'),
      watchHint: 'Your thinking time starts when the video ends, or when you press this button.',
    },

    finish: {
      title: 'All questions answered',
      body: 'Thank you. Press Finish to send your interview. After that you cannot change your answers.',
      button: 'Finish',
      busy: 'Sending…',
    },

    done: {
      title: 'Thank you, your interview is sent',
      next: (org: string) => fill('{org} will review your answers. You will hear from them by email about the next steps. You can close this page.', { org }),
      survey: 'How was this experience?',
      surveyHelp: 'Optional. It helps make the interview better for the next candidates.',
      rating: 'Your rating, from 1 (poor) to 5 (great)',
      ratingValue: (n: number) => f.number(n),
      ratingName: (n: number) => ['', 'Poor', 'Fair', 'Good', 'Very good', 'Great'][n] ?? f.number(n),
      ratingLabel: (n: number, name: string) => fill('{n}: {name}', { n: f.number(n), name }),
      comment: 'Comments (optional)',
      send: 'Send feedback',
      sending: 'Sending…',
      thanks: 'Thank you for your feedback.',
    },

    submitted: {
      title: 'Your interview is already sent',
      body: (org: string) => fill('You have finished this interview. {org} will contact you by email about the next steps.', { org }),
      statusTitle: 'Where your application stands',
      steps: { submitted: 'Submitted', review: 'Under review', decision: 'Decision' },
      processing: 'Your answers are being prepared for the reviewers.',
      underReview: 'The team is reviewing your answers.',
      noDecision: (org: string) => fill('{org} will tell you the outcome by email.', { org }),
      decision: {
        advance: 'Good news: you move on to the next step. Expect an email with the details.',
        hold: 'Your application is on hold for now. You will hear more by email.',
        reject: 'Thank you for your time. The team decided not to move forward this time.',
      } satisfies Record<Decision, string>,
      done: 'done',
      current: 'current step',
      pending: 'not yet',
      refused: (n: number, reason: string, org: string) =>
        fill('Your recording for question {n} could not be used ({reason}) and was deleted. No take was left for it; {org} can see why it is missing.', {
          n: f.number(n),
          reason,
          org,
        }),
    },
  }
}

export type Strings = ReturnType<typeof en>
