/** A manager saves one answer's video (audited): the API signs a short-lived URL that downloads it by name. */
import { useMutation } from '@tanstack/react-query'
import { call } from '../../shared/api'
import { ErrorMessage } from '../../shared/ui'
import { useSession } from '../context'
import { t } from '../strings'

/** `audio`: a sound-only answer, saved as its sound (.m4a), and said so. */
export function DownloadAnswer({ candidateId, questionId, index, audio = false }: { candidateId: string; questionId: string; index: number; audio?: boolean }) {
  const { api } = useSession()
  const download = useMutation({
    mutationFn: () =>
      call(api.POST('/api/candidates/{candidateId}/answers/{questionId}/download', { params: { path: { candidateId, questionId } } })),
    onSuccess: ({ url, filename }) => {
      const link = document.createElement('a')
      link.href = url
      link.download = filename
      link.click()
    },
  })
  return (
    <>
      <button
        type="button"
        className="button secondary small"
        onClick={() => download.mutate()}
        disabled={download.isPending}
        aria-label={audio ? t.candidate.downloadAudioOf(index) : t.candidate.downloadVideoOf(index)}
        data-testid="download-answer"
      >
        {download.isPending ? t.candidate.downloadingVideo : audio ? t.candidate.downloadAudio : t.candidate.downloadVideo}
      </button>
      <ErrorMessage error={download.error} />
    </>
  )
}
