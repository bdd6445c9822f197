"""Vietnamese diacritic restoration for text that lost its marks or was OCR'd with an English model.

Public API (used by `vnplan restore` / `vnplan train-restorer` and the normalizer):
    restore_text(text) -> str                 always restore
    restore_page(text) -> (str, bool)         restore only lines that need it
    train(corpus, out_dir=None, extra=()) -> Path

Both restore functions keep the line count and the whitespace-separated tokens (count, order,
and the whitespace itself); only letters inside word tokens change. They never raise.
The model (model/lm.npz, see model/MODEL.md) is loaded lazily, once per process.
"""

from __future__ import annotations

import pathlib
import threading
from collections.abc import Iterable

from normalizers.restore import detect
from normalizers.restore.engine import OCR_CHANNEL_FILE, VIE_CHANNEL_FILE
from normalizers.restore.train import MODEL_DIR, train_vie_channel
from normalizers.restore.train import train as _train

_lock = threading.Lock()
_engine: object | None = None


def _get_engine():
    """The process-wide restorer engine (model loaded on first use)."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                from normalizers.restore.engine import Engine

                _engine = Engine.load(MODEL_DIR)
    return _engine


def load_in_background() -> None:
    """Start loading the model in a thread, e.g. while a scan's pages are OCR'd in other
    processes: its correction then finds the model ready instead of waiting 1–2 s for it."""
    if _engine is None:
        threading.Thread(target=_get_engine, name="restorer-model", daemon=True).start()


def restore_text(text: str) -> str:
    """Restore diacritics in every line of `text` (plain-stripped or English-OCR'd)."""
    try:
        return _get_engine().restore(text, decide=False)[0]
    except Exception:  # never raise: a restorer failure must not lose the user's text
        return text


def restore_page(text: str) -> tuple[str, bool]:
    """Restore only the lines that lack diacritics or show OCR noise; (text, changed_any).

    The model (1–2 s to load) is loaded only once a page needs it: accented pages never do."""
    try:
        _, todo, _ = detect.lines_to_restore(text, True, (MODEL_DIR / OCR_CHANNEL_FILE).exists())
        if not any(todo):
            return text, False
        return _get_engine().restore(text, decide=True)
    except Exception:
        return text, False


def harmonize_pages(pages: list[str], restored: list[bool]) -> list[str]:
    """A document's pages with each phrase of a restored page spelled the way the document spells it
    most often (normalizers.restore.consistency); same tokens; never raises."""
    from normalizers.restore.consistency import harmonize
    from normalizers.restore.names import written_name_line

    try:
        lines = [line for page in pages for line in page.split("\n")]
        # A line that is only a name (a signer line) keeps the reading the name model gave it.
        editable = [
            flag and not written_name_line(line)
            for page, flag in zip(pages, restored, strict=True)
            for line in page.split("\n")
        ]
        out = iter(harmonize(lines, editable, _get_engine().restorer.text_logp))
        return ["\n".join(next(out) for _ in page.split("\n")) for page in pages]
    except Exception:
        return pages


def split_bare_glued(text: str, apart: set[str] | frozenset[str] = frozenset()) -> tuple[str, list[int]]:
    """A page printed without marks, with the bare words its OCR ran together set apart where the
    model says so (normalizers.restore.bare_glue; `apart`: the document's runs of words written apart,
    from `document_phrases`); and the index of each character in `text` (an inserted space points at
    the letter after it), plus one for the end. Any other page comes back as it is; never raises."""
    unchanged = (text, list(range(len(text) + 1)))
    try:
        if not detect.page_is_bare(text):
            return unchanged
        from normalizers.restore.bare_glue import glue_cuts, insert_spaces

        cuts = glue_cuts(_get_engine().restorer, text, apart)
        return insert_spaces(text, cuts) if cuts else unchanged
    except Exception:
        return unchanged


def page_is_bare(text: str) -> bool:
    """A page printed or typed without marks (normalizers.restore.detect)."""
    return detect.page_is_bare(text)


def document_phrases(texts: Iterable[str]) -> set[str]:
    """Runs of two and three words a document writes apart (folded): `split_bare_glued`'s evidence."""
    from normalizers.restore.bare_glue import apart_phrases

    return apart_phrases(texts)


def correct_ocr_page(text: str) -> tuple[str, bool]:
    """A page Tesseract `vie` read, with mislaid marks corrected where the learned OCR channel
    and the syllable LM agree; (text, changed_any). Same lines and tokens; never raises. A page
    an English model read (restore_page's business) or without a `vie` channel is left alone."""
    try:
        if (MODEL_DIR / VIE_CHANNEL_FILE).exists() and not detect.looks_ocr_garbled(text):
            return _get_engine().correct_ocr(text)
    except Exception:
        pass
    return text, False


def train_names(corpus: list[pathlib.Path], out_dir: pathlib.Path | None = None) -> pathlib.Path:
    """Learn the name model (model/names.json) from the corpus's training documents; returns the folder."""
    from normalizers.restore.names import train_names as _train_names
    from normalizers.restore.train import is_holdout

    folder = pathlib.Path(out_dir) if out_dir is not None else MODEL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    _train_names([pathlib.Path(p) for p in corpus], folder, is_holdout)
    return folder


def train(
    corpus: list[pathlib.Path], out_dir: pathlib.Path | None = None, extra: Iterable[pathlib.Path] = ()
) -> pathlib.Path:
    """Train the restorer's model from accented corpus files; returns the model directory."""
    return _train(list(corpus), out_dir, list(extra))


__all__ = [
    "correct_ocr_page",
    "document_phrases",
    "harmonize_pages",
    "load_in_background",
    "page_is_bare",
    "restore_page",
    "restore_text",
    "split_bare_glued",
    "train",
    "train_names",
    "train_vie_channel",
]
