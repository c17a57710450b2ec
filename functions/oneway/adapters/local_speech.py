"""Speech on this machine: pocketsphinx for the local stack.

``recognize`` stands in for Transcribe: it returns a transcript in
Transcribe's JSON shape and WebVTT captions, so everything downstream reads
local and AWS results alike. pocketsphinx's bundled English model is rough
(read speech comes out roughly three words in four right), but the timing of
words is good, which is what captions need. ``LocalSpeech`` starts such jobs
on the local media queue; ``local/media_worker.py`` runs them.

Languages: the wheel carries one model, US English. English interviews
(en-US, en-GB: the same words, an accent that costs some accuracy) use it, and
so does "auto": the recognizer cannot identify a language, and English is the
only one it can hear. An interview in any other language gets an empty
transcript and captions whose NOTE says why, not English words made up from
another language's sounds.
"""

from __future__ import annotations

import io
import threading
from typing import Any

import av

from ..config import Settings
from ..domain.languages import AUTO, DEFAULT
from ..domain.models import JobKind
from ..ports import JobState, TranscribeRequest
from .local_media import LocalJobs, local_clients

# The interview languages the bundled model transcribes ("auto" is transcribed as English).
RECOGNIZED_LANGUAGES = frozenset({"en-US", "en-GB", AUTO})
SAMPLE_RATE = 16_000
FRAMES_PER_SECOND = 100  # pocketsphinx's default frame rate
MAX_CUE_SECONDS = 7.0
MAX_CUE_WORDS = 10

_decoder_lock = threading.Lock()
_decoder: Any = None


def _shared_decoder() -> Any:
    """The model takes ~0.4 s to load: load it once per process, use it under the lock."""
    global _decoder  # noqa: PLW0603 (one model per process, loaded on first use)
    if _decoder is None:
        from pocketsphinx import Decoder

        _decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
    return _decoder


def read_pcm(src_path: str) -> bytes:
    """The recording's first audio stream as 16 kHz mono signed 16-bit PCM (empty if none)."""
    pcm = bytearray()
    with av.open(src_path) as container:
        if not container.streams.audio:
            return b""
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                pcm += bytes(out.planes[0])[: out.samples * 2]
        for out in resampler.resample(None):
            pcm += bytes(out.planes[0])[: out.samples * 2]
    return bytes(pcm)


def _words(pcm: bytes) -> list[list[tuple[str, float, float, float]]]:
    """Utterances (split where the voice pauses) of ``(word, start, end, confidence)``."""
    from pocketsphinx import Segmenter

    # Trailing silence (and a short last frame) make the segmenter close the last utterance.
    pcm += bytes(2 * SAMPLE_RATE + 2)
    utterances = []
    with _decoder_lock:
        decoder = _shared_decoder()
        for speech in Segmenter(sample_rate=SAMPLE_RATE).segment(io.BytesIO(pcm)):
            decoder.start_utt()
            decoder.process_raw(speech.pcm, full_utt=True)
            decoder.end_utt()
            words = []
            for seg in decoder.seg():
                word = seg.word
                if word.startswith(("<", "[")) or not word:  # <s>, </s>, <sil>, [NOISE]
                    continue
                word = word.split("(", 1)[0]  # "the(2)" is the second pronunciation of "the"
                start = speech.start_time + seg.start_frame / FRAMES_PER_SECOND
                end = speech.start_time + (seg.end_frame + 1) / FRAMES_PER_SECOND
                words.append((word, start, end, min(max(float(seg.prob), 0.0), 1.0)))
            if words:
                utterances.append(words)
    return utterances


def transcript_document(
    job_name: str, utterances: list[list[tuple[str, float, float, float]]], note: str | None = None
) -> dict[str, Any]:
    """A transcript in Transcribe's output shape; each utterance becomes a sentence. A ``note`` says
    why there is none (a language the local recognizer does not know)."""
    items: list[dict[str, Any]] = []
    text_parts: list[str] = []
    for words in utterances:
        for position, (word, start, end, confidence) in enumerate(words):
            content = "I" if word == "i" else (word.capitalize() if position == 0 else word)
            items.append(
                {
                    "id": len(items),
                    "type": "pronunciation",
                    "alternatives": [{"confidence": f"{confidence:.4f}", "content": content}],
                    "start_time": f"{start:.3f}",
                    "end_time": f"{end:.3f}",
                }
            )
            text_parts.append(content)
        items.append({"id": len(items), "type": "punctuation", "alternatives": [{"confidence": "0.0", "content": "."}]})
        text_parts[-1] += "."
    document = {
        "jobName": job_name,
        "accountId": "000000000000",
        "status": "COMPLETED",
        "results": {"transcripts": [{"transcript": " ".join(text_parts)}], "items": items},
    }
    return {**document, "note": note} if note else document


def _timestamp(seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(
    items: list[dict[str, Any]], max_seconds: float = MAX_CUE_SECONDS, max_words: int = MAX_CUE_WORDS, note: str | None = None
) -> str:
    """WebVTT captions from Transcribe-shaped ``items``: cues of a few words, in time order.

    A cue ends at a sentence's end, after ``max_words`` words, or before it would
    last longer than ``max_seconds``. Cues never overlap and never go back in time.
    A ``note`` becomes a NOTE block (a comment players do not show).
    """
    cues: list[tuple[float, float, str]] = []
    words: list[str] = []
    start = end = 0.0

    def close() -> None:
        nonlocal words
        if words:
            begin = max(start, cues[-1][1] if cues else 0.0)
            cues.append((begin, max(end, begin + 0.001), " ".join(words)))
            words = []

    for item in items:
        content = item["alternatives"][0]["content"]
        if item["type"] == "punctuation":
            if words:
                words[-1] += content
                if content in ".?!":
                    close()
            continue
        w_start, w_end = float(item["start_time"]), float(item["end_time"])
        if words and (len(words) >= max_words or w_end - start > max_seconds):
            close()
        if not words:
            start = w_start
        words.append(content)
        end = w_end
    close()

    blocks = ["WEBVTT", ""] + ([f"NOTE {note}", ""] if note else [])
    for number, (begin, finish, text) in enumerate(cues, start=1):
        blocks += [str(number), f"{_timestamp(begin)} --> {_timestamp(finish)}", text, ""]
    return "\n".join(blocks)


def recognize(src_path: str, job_name: str = "local", language: str = DEFAULT) -> tuple[dict[str, Any], str]:
    """Transcribe a recording offline: ``(transcript JSON in Transcribe's shape, WebVTT text)``.

    A recording without audio, or without speech, gives an empty transcript and
    a valid, empty WebVTT file; so does a language the bundled model does not know,
    with a note that says so.
    """
    if language not in RECOGNIZED_LANGUAGES:
        note = (
            f"No transcript: this interview's language is {language}, and the local speech recognizer "
            "knows English only. On AWS, Amazon Transcribe transcribes it."
        )
        return transcript_document(job_name, [], note=note), webvtt([], note=note)
    document = transcript_document(job_name, _words(read_pcm(src_path)))
    return document, webvtt(document["results"]["items"])


class LocalSpeech:
    """``Speech`` for the local stack: the recognition runs in ``local/media_worker.py``."""

    def __init__(self, sqs: Any, s3: Any, settings: Settings):
        self.jobs = LocalJobs(sqs, s3, settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalSpeech:
        return cls(*local_clients(settings), settings)

    def start_transcription(self, request: TranscribeRequest) -> str:
        return self.jobs.start(JobKind.speech, request, {})

    def job_state(self, job_id: str) -> JobState:
        return self.jobs.state(job_id)

    def delete_transcription(self, job_id: str) -> bool:
        return self.jobs.delete(job_id)
