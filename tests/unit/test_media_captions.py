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
    for (start, end, text), following in zip(found, found[1:] + [None]):
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
    ((start, end, _),) = cues(webvtt(doc["results"]["items"]))
    assert start == 3725.25
    assert webvtt(doc["results"]["items"]).split("\n")[3].startswith("01:02:05.250 --> ")
