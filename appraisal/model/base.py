"""Shared pydantic configuration: immutable values that reject unknown keys."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Numbers must be numbers in the file: "3" or true are errors, not silently coerced.
Number = Annotated[float, Field(strict=True, allow_inf_nan=True)]
# Likewise true/false: "yes", "no", 0 and 1 are errors, not silently read as booleans.
Flag = Annotated[bool, Field(strict=True)]
# Field(pattern=...) rather than StringConstraints: importing pydantic.types costs ~20 ms of start-up.
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


class Frozen(BaseModel):
    # defer_build: a schema is built on first validation, so start-up pays only for what a command uses.
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)
