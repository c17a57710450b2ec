import type { components } from '../shared/api-schema'
import { useLocale } from './locale'

type VideoLinks = components['schemas']['VideoLinks']

/** The recruiter's own welcome or closing video, captioned; it plays when the candidate starts it. */
export function GreetingVideo({ video, label, testId }: { video: VideoLinks; label: string; testId: string }) {
  const { t, lang } = useLocale()
  return (
    <figure className="greeting-video">
      <figcaption className="step-label">{label}</figcaption>
      <div className="stage">
        <video
          className="playback"
          controls
          playsInline
          preload="metadata"
          crossOrigin="anonymous"
          src={video.videoUrl}
          poster={video.posterUrl ?? undefined}
          aria-label={label}
          data-testid={testId}
        >
          {video.captionsUrl && <track kind="captions" src={video.captionsUrl} srcLang={lang} label={t.question.captions} default />}
        </video>
      </div>
    </figure>
  )
}
