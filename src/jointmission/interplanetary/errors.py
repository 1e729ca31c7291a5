"""The error of a transfer request the user can fix (unknown body, empty window, bad step ...): one
class for the windows, the grids and the optima of :mod:`jointmission.interplanetary`."""

from __future__ import annotations

__all__ = ["TransferError"]


class TransferError(ValueError):
    """A user mistake in a transfer request (unknown body, empty window, bad step ...)."""
