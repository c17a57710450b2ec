"""The local media work on real recordings made on the spot: PyAV transcode, pocketsphinx recognize."""

from __future__ import annotations

import itertools
import struct
from pathlib import Path

import av
import pytest

from oneway.adapters.local_media import fit_within, transcode
from oneway.adapters.local_speech import recognize
from oneway.adapters.mediaconvert import POSTER_MAX_HEIGHT, POSTER_MAX_WIDTH
from oneway.domain.transcript import transcript_text
from tests.fixtures.media.captions import parse_cues as cues
from tests.fixtures.media.synth import make_speech_webm, make_webm

POSTER_BOX = (POSTER_MAX_WIDTH, POSTER_MAX_HEIGHT)


@pytest.fixture(scope="module")
def recordings(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("recordings")
    return {
        "vga": make_webm(d / "vga.webm", width=640, height=480, seconds=2.5, codec="libvpx"),
        "full_hd": make_webm(d / "full_hd.webm", width=1920, height=1080, seconds=2.0, codec="libvpx-vp9"),
        "tiny": make_webm(d / "tiny.webm", width=320, height=240, seconds=2.0, codec="libvpx-vp9"),
        "portrait": make_webm(d / "portrait.webm", width=480, height=1280, seconds=1.0, codec="libvpx"),
        "silent_film": make_webm(d / "silent_film.webm", width=320, height=240, seconds=1.5, audio=False),
        "speech": make_speech_webm("thank you for the question. i have worked on many projects.", d / "speech.webm"),
    }


def top_level_atoms(path: Path) -> list[str]:
    data, atoms, i = path.read_bytes(), [], 0
    while i < len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        if size == 1:
            size = struct.unpack(">Q", data[i + 8 : i + 16])[0]
        atoms.append(kind.decode())
        i += size or len(data)
    return atoms


def run(recordings, name, tmp_path) -> tuple[float, Path, Path]:
    mp4, jpg = tmp_path / f"{name}.mp4", tmp_path / f"{name}.jpg"
    return transcode(recordings[name], mp4, jpg), mp4, jpg


def test_chrome_webm_has_no_duration_to_trust(recordings):
    with av.open(str(recordings["vga"])) as c:
        assert c.duration is None  # like Chrome's MediaRecorder output


@pytest.mark.parametrize(
    ("name", "size", "seconds"),
    [
        ("vga", (640, 480), 2.5),
        ("full_hd", (864, 486), 2.0),  # scaled down into the 486-line box
        ("tiny", (320, 240), 2.0),  # never scaled up
        ("portrait", (182, 486), 1.0),  # fits by height
    ],
)
def test_transcode_gives_a_progressive_h264_aac_mp4_and_a_poster(recordings, tmp_path, name, size: tuple[int, int], seconds: float):
    duration, mp4, jpg = run(recordings, name, tmp_path)

    assert duration == pytest.approx(seconds, abs=0.1)
    atoms = top_level_atoms(mp4)
    assert atoms.index("moov") < atoms.index("mdat")  # plays while it downloads
    with av.open(str(mp4)) as c:
        video, audio = c.streams.video[0], c.streams.audio[0]
        assert (video.codec_context.name, video.codec_context.pix_fmt) == ("h264", "yuv420p")
        assert (video.width, video.height) == size
        assert (audio.codec_context.name, audio.rate, audio.channels) == ("aac", 48000, 2)
        assert c.duration is not None and c.duration / 1e6 == pytest.approx(seconds, abs=0.1)
        # A constant frame rate: every frame lasts 1/30 s.
        pts = sorted(p.pts for p in c.demux(video) if p.pts is not None)
        steps = {b - a for a, b in itertools.pairwise(pts)}
        assert video.time_base is not None
        assert len(steps) == 1 and float(steps.pop() * video.time_base) == pytest.approx(1 / 30)

    poster = jpg.read_bytes()
    assert poster[:3] == b"\xff\xd8\xff" and poster[-2:] == b"\xff\xd9"
    with av.open(str(jpg)) as c:  # the poster fits its own, smaller box (as on MediaConvert)
        assert (c.streams.video[0].width, c.streams.video[0].height) == fit_within(*size, *POSTER_BOX)


def test_a_recording_without_sound_gives_a_video_only_mp4(recordings, tmp_path):
    duration, mp4, _ = run(recordings, "silent_film", tmp_path)
    assert duration == pytest.approx(1.5, abs=0.1)
    with av.open(str(mp4)) as c:
        assert len(c.streams.video) == 1 and len(c.streams.audio) == 0


def test_a_corrupt_recording_raises(tmp_path):
    bad = tmp_path / "bad.webm"
    bad.write_bytes(b"\x1a\x45\xdf\xa3" + b"not really a webm" * 100)
    with pytest.raises(av.FFmpegError):
        transcode(bad, tmp_path / "bad.mp4", tmp_path / "bad.jpg")


@pytest.mark.parametrize(("w", "h", "fit"), [(1920, 1080, (864, 486)), (1280, 720, (864, 486)), (864, 486, (864, 486)), (641, 481, (640, 480)), (1080, 1920, (272, 486))])
def test_fit_within(w, h, fit):
    assert fit_within(w, h) == fit


def test_recognize_speech_gives_words_and_ordered_cues(recordings):
    document, vtt = recognize(str(recordings["speech"]), "oneway.o1.i1.c1.q1.t1.0a1b2c3d")
    text = transcript_text(document)
    assert document["jobName"] == "oneway.o1.i1.c1.q1.t1.0a1b2c3d"
    assert len(text.split()) >= 3
    words = [i for i in document["results"]["items"] if i["type"] == "pronunciation"]
    starts = [float(w["start_time"]) for w in words]
    assert starts == sorted(starts) and all(float(w["end_time"]) > float(w["start_time"]) for w in words)
    found = cues(vtt)
    assert found
    assert all(end > start for start, end, _ in found)
    assert all(b[0] >= a[1] for a, b in itertools.pairwise(found))
    with av.open(str(recordings["speech"])) as c:
        length = max(float(s.duration * s.time_base) if s.duration and s.time_base else 0 for s in c.streams) or 10.0
    assert found[-1][1] <= length + 1.0


@pytest.mark.parametrize("name", ["silent_film", "tiny"])
def test_no_speech_gives_an_empty_transcript_and_valid_captions(recordings, name):
    document, vtt = recognize(str(recordings[name]))
    assert transcript_text(document) == ""
    assert vtt.startswith("WEBVTT") and cues(vtt) == []
