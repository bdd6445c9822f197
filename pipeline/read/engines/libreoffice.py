"""LibreOffice (headless), for legacy Word files (.doc): converted to .docx, then read as one.

Each conversion runs `soffice --headless --convert-to docx` with its own throw-away user profile,
so conversions in parallel processes never wait on one profile's lock. Without LibreOffice
installed a .doc gets one clear error naming the package to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.compute.cpu_turn import waiting
from pipeline.model.errors import CorruptFileError, MissingProgramError
from pipeline.read.richtext import Block

CONVERT_TIMEOUT_S = 180
_PROGRAMS = ("soffice", "libreoffice")
INSTALL_HINT = "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui; `make demo` installs it)"


def soffice() -> str | None:
    return next((found for name in _PROGRAMS if (found := shutil.which(name))), None)


def read_doc_blocks(path: Path) -> list[Block]:
    from pipeline.read.engines import word

    program = soffice()
    if program is None:
        raise MissingProgramError(f"{path.name}: reading a legacy Word file (.doc) needs LibreOffice; {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="vnplan-doc-") as work:
        folder = Path(work)
        source = folder / "in.doc"  # a plain name: LibreOffice names its output after its input
        shutil.copyfile(path, source)
        command = [
            program,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            with waiting():  # another document in flight may compute while LibreOffice converts
                proc = subprocess.run(
                    command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_S, stdin=subprocess.DEVNULL
                )
        except subprocess.TimeoutExpired as exc:
            raise CorruptFileError(f"{path.name}: LibreOffice did not convert it within {CONVERT_TIMEOUT_S} s") from exc
        except OSError as exc:
            raise MissingProgramError(f"{path.name}: LibreOffice cannot be started ({exc}); {INSTALL_HINT}") from exc
        converted = folder / "out" / "in.docx"
        if proc.returncode != 0 or not converted.exists() or converted.stat().st_size == 0:
            said = (proc.stderr or "") + "\n" + (proc.stdout or "")
            errors = [line for line in said.splitlines() if "error" in line.lower()]  # not its java notice
            detail = " ".join(" ".join(errors).split())[:200]
            raise CorruptFileError(
                f"{path.name}: LibreOffice cannot read it as a Word document (damaged or "
                f"password-protected){': ' + detail if detail else ''}"
            )
        return word.read_blocks(converted)
