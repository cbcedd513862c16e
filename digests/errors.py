"""Errors whose message is safe and useful to show a user as one line."""

from __future__ import annotations


class UserFacingError(Exception):
    """Bad input or an unknown name: the message is shown to the user as it is."""


class InputRejected(UserFacingError):
    """The input cannot be parsed at all (binary, empty, too large)."""


class NotFound(UserFacingError):
    """Nothing matches; `suggestions` are close names the user may have meant."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        self.suggestions = list(suggestions or [])
        if self.suggestions:
            message = f"{message} Did you mean: {', '.join(self.suggestions[:5])}?"
        super().__init__(message)
