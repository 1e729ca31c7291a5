"""The ``jointmission`` command line: argument parsing and command handlers.

The only layer that prints to the terminal. :func:`main` is the console-script entry point.
"""

from .main import main

__all__ = ["main"]
