"""Typed exceptions: each carries the one-line message a user sees and the exit code.

Like OCRmyPDF's exceptions.py: the CLI catches VnplanError, prints `message` on one line and
exits with `exit_code`; the batch flow records `stage`, the class name and `message`.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    bad_args = 2
    input_file = 3  # missing, empty, unreadable
    unsupported_type = 4
    corrupt = 5  # truncated/corrupt/random bytes
    encrypted = 6
    no_content = 7  # nothing readable on any page
    ocr_failed = 8
    output_error = 9
    internal = 15


class VnplanError(Exception):
    exit_code: ExitCode = ExitCode.internal
    stage: str = "process"

    def __init__(self, message: str, *, stage: str | None = None) -> None:
        super().__init__(message)
        self.message = " ".join(str(message).split())  # always one line
        if stage is not None:
            self.stage = stage


class InputFileError(VnplanError):
    exit_code = ExitCode.input_file
    stage = "ingest"


class UnsupportedTypeError(VnplanError):
    exit_code = ExitCode.unsupported_type
    stage = "ingest"


class CorruptFileError(VnplanError):
    exit_code = ExitCode.corrupt
    stage = "ingest"


class EncryptedPdfError(VnplanError):
    exit_code = ExitCode.encrypted
    stage = "ingest"


class EncryptedDocumentError(EncryptedPdfError):
    """A password-protected Word (or other Office) document."""


class MissingProgramError(VnplanError):
    """A program needed for this kind of file is not installed (e.g. LibreOffice for .doc)."""

    exit_code = ExitCode.unsupported_type
    stage = "ingest"


class NoContentError(VnplanError):
    exit_code = ExitCode.no_content
    stage = "ingest"


class OcrError(VnplanError):
    exit_code = ExitCode.ocr_failed
    stage = "ocr"


class OutputError(VnplanError):
    exit_code = ExitCode.output_error
    stage = "write"


class OrchestrationError(VnplanError):
    """The Prefect API the flows report to, or the Dask scheduler they send documents to, cannot be
    reached or started."""

    exit_code = ExitCode.internal
    stage = "orchestrate"


class ServeError(VnplanError):
    """The API server cannot start (address in use, bad host, missing dataset)."""

    exit_code = ExitCode.bad_args
    stage = "serve"
