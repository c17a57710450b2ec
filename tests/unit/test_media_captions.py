"""Captions and transcripts from recognized words (the local stand-in for Transcribe)."""

from __future__ import annotations

from oneway.adapters.local_speech import transcript_document, webvtt
from oneway.domain.transcript import transcript_text
from tests.fixtures.media.captions import parse_cues as cues


def utterance(words: str, start: float, step: float = 0.4) -> list[tuple[str, float, float, float]]:
    return [(w, start + i * step, start + i * step + step * 0.9, 0.8) for i, w in enumerate(words.split())]


def test_the_transcript_has_transcribes_shape():
    doc = transcript_document("job-1", [utterance("hello there", 0.5), utterance("i am ready", 3.0)])
    assert doc["jobName"] == "job-1"
    assert transcript_text(doc) == "Hello there. I am ready."
    items = doc["results"]["items"]
    words = [i for i in items if i["type"] == "pronunciation"]
    assert [w["alternatives"][0]["content"] for w in words] == ["Hello", "there", "I", "am", "ready"]
    assert all(set(w) >= {"start_time", "end_time", "alternatives"} for w in words)
    assert all(isinstance(w["start_time"], str) and float(w["end_time"]) > float(w["start_time"]) for w in words)
    assert [i["alternatives"][0]["content"] for i in items if i["type"] == "punctuation"] == [".", "."]


def test_cues_are_short_ordered_and_never_overlap():
    long_sentence = " ".join(f"word{i}" for i in range(34))
    doc = transcript_document("j", [utterance(long_sentence, 0.2, step=0.3), utterance("and then a pause", 14.0)])
    found = cues(webvtt(doc["results"]["items"]))
    assert len(found) >= 5
    for (start, end, text), following in zip(found, [*found[1:], None], strict=False):
        assert end > start
        assert end - start <= 7.0 + 1e-6
        assert len(text.split()) <= 10
        if following:
            assert following[0] >= end
    assert " ".join(t for _, _, t in found).split() == transcript_text(doc).split()


def test_a_sentence_end_closes_a_cue():
    doc = transcript_document("j", [utterance("one two", 0.0), utterance("three four", 1.0)])
    assert [t for _, _, t in cues(webvtt(doc["results"]["items"]))] == ["One two.", "Three four."]


def test_no_words_gives_a_valid_empty_file():
    doc = transcript_document("j", [])
    assert transcript_text(doc) == ""
    assert webvtt(doc["results"]["items"]) == "WEBVTT\n"
    assert cues(webvtt([])) == []


def test_timestamps_are_hours_minutes_seconds_millis():
    doc = transcript_document("j", [utterance("late words", 3725.25)])
    ((start, _end, _),) = cues(webvtt(doc["results"]["items"]))
    assert start == 3725.25
    assert webvtt(doc["results"]["items"]).split("\n")[3].startswith("01:02:05.250 --> ")


# --- the interview's language: what the bundled (US English) model may hear -------------------------


def heard(monkeypatch) -> list[str]:
    """Stand in for the recognizer: every recording "says" the same words; returns which files were heard."""
    from oneway.adapters import local_speech

    calls: list[str] = []

    def read_pcm(path: str) -> bytes:
        calls.append(path)
        return b"\0\0"

    monkeypatch.setattr(local_speech, "read_pcm", read_pcm)
    monkeypatch.setattr(local_speech, "_words", lambda pcm: [utterance("i have worked on many projects", 0.5)])
    return calls


def test_english_and_automatic_interviews_are_heard_with_the_english_model(monkeypatch):
    from oneway.adapters.local_speech import recognize

    calls = heard(monkeypatch)
    for language in ("en-US", "en-GB", "auto"):
        document, vtt = recognize("answer.webm", "j", language)
        assert transcript_text(document) == "I have worked on many projects." and cues(vtt) and "note" not in document
    assert calls == ["answer.webm"] * 3


def test_other_languages_get_no_made_up_english_but_a_note_that_says_why(monkeypatch):
    from oneway.adapters.local_speech import RECOGNIZED_LANGUAGES, recognize
    from oneway.domain.languages import LANGUAGES

    calls = heard(monkeypatch)
    for language in sorted(set(LANGUAGES) - RECOGNIZED_LANGUAGES):
        document, vtt = recognize("answer.webm", "j", language)
        assert transcript_text(document) == "" and document["results"]["items"] == []
        assert language in document["note"] and "English only" in document["note"]
        assert vtt.startswith("WEBVTT\n\nNOTE ") and cues(vtt) == [] and "-->" not in vtt
    assert calls == [], "nothing is recognized in a language the model does not know"
    assert {"en-US", "en-GB"} == set(LANGUAGES) & RECOGNIZED_LANGUAGES
