"""How errors reach people: a user's problem as its own message, a bug as a bug."""

from __future__ import annotations

from supervision_desktop.errors import UserError


def describe(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    return (
        f"Something went wrong inside Supervision Desktop ({type(exc).__name__}). "
        "Nothing you saved is lost. Please report this to your IT service desk."
    )
