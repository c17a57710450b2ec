"""The base of Oneway's own pydantic models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    # Each model's validator is built when the model is first used, not at import:
    # a cold start builds only the models its request touches.
    model_config = ConfigDict(defer_build=True)
