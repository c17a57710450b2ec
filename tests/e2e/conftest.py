"""The local stack and headless Chromium with a fake camera fed a known video and speech."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.support.stack import ROOT, start_stack

ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SPEECH = "Hello, my name is Ada. I built a data pipeline that processed video interviews for many teams."


def make_y4m(path: Path, seconds: int = 4, fps: int = 15, size: tuple[int, int] = (640, 480)) -> Path:
    """A YUV4MPEG2 clip (Chromium's fake camera format): moving bars on a grey field."""
    w, h = size
    with path.open("wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        u = np.full((h // 2, w // 2), 90, np.uint8).tobytes()
        v = np.full((h // 2, w // 2), 160, np.uint8).tobytes()
        for i in range(seconds * fps):
            y = np.full((h, w), 110, np.uint8)
            x = (i * 12) % w
            y[:, x : x + 60] = 235
            y[h // 3 : h // 3 + 40, :] = 40 + (i * 3) % 180
            f.write(b"FRAME\n" + y.tobytes() + u + v)
    return path


def make_speech(path: Path, text: str = SPEECH) -> Path:
    subprocess.run(["espeak-ng", "-s", "140", "-w", str(path), text], check=True)
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    site = ROOT / "web" / "dist"
    assert (site / "index.html").exists() and (site / "c" / "index.html").exists(), "build the web site first: make web"
    st = start_stack(tmp_path_factory.mktemp("stack"), site_dir=site, reconcile_every=5)
    yield st
    st.stop()


@pytest.fixture(scope="session")
def fake_media(tmp_path_factory):
    d = tmp_path_factory.mktemp("camera")
    return make_y4m(d / "camera.y4m"), make_speech(d / "speech.wav")


@pytest.fixture(scope="session")
def browser(fake_media):
    from playwright.sync_api import sync_playwright

    video, audio = fake_media
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
                f"--use-file-for-fake-audio-capture={audio}",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield b
        b.close()
