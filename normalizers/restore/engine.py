"""The restorer engine: model + candidate generators + the per-line decision, over whole texts."""

from __future__ import annotations

import pathlib
from dataclasses import dataclass, field

from normalizers.restore import code_letters, detect
from normalizers.restore.consistency import harmonize
from normalizers.restore.corpus import paragraphs
from normalizers.restore.decode import CandidateFn, Choice, Restorer, split_keep_space
from normalizers.restore.lm import NgramModel
from normalizers.restore.names import FILE as NAMES_FILE
from normalizers.restore.names import NameModel, name_line, read_name
from normalizers.restore.ocr_case import repair_case_lines
from normalizers.restore.ocr_channel import OcrChannel
from normalizers.restore.ocr_digits import repair_digits
from normalizers.restore.ocr_foreign import keep_foreign_phrases
from normalizers.restore.ocr_items import repair_item_letters, settle_d_items
from normalizers.restore.vie_channel import VieChannel

MAX_RUN_TOKENS = 3000  # longer paragraphs are decoded in pieces
MAX_BATCH_TOKENS = 20000  # paragraphs decoded together in one lattice (bounded memory)
OCR_CHANNEL_FILE = "ocr_channel.json"
VIE_CHANNEL_FILE = "vie_channel.json"


@dataclass
class Engine:
    restorer: Restorer
    channel_path: pathlib.Path | None
    vie_channel_path: pathlib.Path | None = None
    _channel: OcrChannel | None = None
    _vie_channel: VieChannel | None = None
    _ocr_memo: dict[str, Choice | None] = field(default_factory=dict)
    names: NameModel | None = None

    @classmethod
    def load(cls, model_dir: pathlib.Path) -> Engine:
        restorer = Restorer(NgramModel.load(model_dir / "lm.npz"), code_letters.load(model_dir / code_letters.FILE))
        channel_path = model_dir / OCR_CHANNEL_FILE
        vie_path = model_dir / VIE_CHANNEL_FILE
        names_path = model_dir / NAMES_FILE
        return cls(
            restorer,
            channel_path if channel_path.exists() else None,
            vie_path if vie_path.exists() else None,
            names=NameModel.load(names_path) if names_path.exists() else None,
        )

    @property
    def vie_channel(self) -> VieChannel | None:
        """The Tesseract `vie` channel, built on the first OCR'd page."""
        if self._vie_channel is None and self.vie_channel_path is not None:
            self._vie_channel = VieChannel.load(self.vie_channel_path, self.restorer)
        return self._vie_channel

    @property
    def channel(self) -> OcrChannel | None:
        """The OCR channel, built on the first OCR'd page (most inputs never need it)."""
        if self._channel is None and self.channel_path is not None:
            self._channel = OcrChannel.load(self.channel_path, self.restorer)
        return self._channel

    # -- candidate generators --------------------------------------------------------------
    def _ocr_choice(self, core: str) -> Choice | None:
        if core in self._ocr_memo:
            return self._ocr_memo[core]
        choice = self.channel.choices(core) if self.channel is not None else None
        if choice is None:
            choice = self.restorer.plain_choice(core)
        self._ocr_memo[core] = choice
        return choice

    # -- whole texts -----------------------------------------------------------------------
    def restore(self, text: str, decide: bool) -> tuple[str, bool]:
        if not isinstance(text, str) or not text.strip():
            return text, False
        lines, todo, ocr_page = detect.lines_to_restore(text, decide, self.channel_path is not None)
        choose: CandidateFn = self._ocr_choice if ocr_page else self.restorer.plain_choice
        if not ocr_page and detect.page_is_bare(text):
            choose = self.restorer.stray_mark_choice  # its few marks are strays: restore them too
        out = list(lines)
        for group in _runs(lines, todo):
            self._restore_group(group, lines, out, choose)
        named = self._read_names(lines, todo, out)
        # A name read by the name model keeps its reading: a document's `Trường` (of its schools) is not
        # the signer's `Trương`.
        editable = [flag and i not in named for i, flag in enumerate(todo)]
        out = settle_d_items(harmonize(out, editable, self.restorer.text_logp), todo)
        changed = any(a != b for a, b in zip(lines, out, strict=True))
        return "\n".join(out), changed

    def _read_names(self, lines: list[str], todo: list[bool], out: list[str]) -> set[int]:
        """Lines that are nothing but a name without marks (a signer line) read with the name model;
        returns their indexes."""
        named: set[int] = set()
        if self.names is None:
            return named
        for i, line in enumerate(lines):
            if todo[i] and name_line(line):
                parts = split_keep_space(line)
                words = iter(read_name(self.restorer, self.names, line.split()))
                out[i] = "".join(p if p.isspace() else next(words) for p in parts)
                named.add(i)
        return named

    def correct_ocr(self, text: str) -> tuple[str, bool]:
        """Text read by Tesseract `vie`, with the syllables whose marks the OCR most likely lost or
        swapped corrected in context; every other character stays as it is."""
        channel = self.vie_channel
        if channel is None or not isinstance(text, str) or not text.strip():
            return text, False
        original = text.split("\n")
        # Case (`tẾ`, `VỚI`), digits read as letters (`2l`) and item letters (`©)` for `e)`) first, then marks.
        lines = repair_item_letters([repair_digits(line) for line in repair_case_lines(original)])
        out = list(lines)
        group = [i for i, line in enumerate(lines) if line.strip()]
        if group:
            self._restore_group(group, lines, out, channel.choices, cut_ends=True)
        out = [keep_foreign_phrases(line, fixed) for line, fixed in zip(lines, out, strict=True)]
        return "\n".join(out), any(a != b for a, b in zip(original, out, strict=True))

    def _restore_group(
        self, group: list[int], lines: list[str], out: list[str], choose: CandidateFn, cut_ends: bool = False
    ) -> None:
        parts = {i: split_keep_space(lines[i]) for i in group}
        # Tokens and whitespace alternate in `parts`: a line's tokens are every other part.
        first = {i: int(bool(parts[i]) and parts[i][0].isspace()) for i in group}
        texts = {i: " ".join(parts[i][first[i] :: 2]) for i in group}
        by_text: dict[int, list[int]] = {}
        # Paragraphs over the group's lines (hard wraps joined) are the decoding units.
        cursor = 0
        for para in paragraphs("\n".join(texts[i] for i in group)):
            members: list[int] = []
            for line in para:
                while cursor < len(group) and texts[group[cursor]].strip() != line:
                    cursor += 1
                if cursor < len(group):
                    members.append(group[cursor])
                    cursor += 1
            if members:
                by_text[members[0]] = members
        runs: list[list[str]] = []
        run_spans: list[list[int]] = []
        for members in by_text.values():
            tokens: list[str] = []
            for i in members:
                tokens.extend(parts[i][first[i] :: 2])
            # A paragraph is one decoding run; giant ones are cut so the lattice stays small.
            for start in range(0, len(tokens), MAX_RUN_TOKENS):
                runs.append(tokens[start : start + MAX_RUN_TOKENS])
            run_spans.append(members)
        restored: list[str] = []
        batch: list[list[str]] = []
        for run in [*runs, None]:
            if run is None or sum(map(len, batch)) + len(run) > MAX_BATCH_TOKENS:
                for r in self.restorer.restore_runs(batch, choose, cut_ends) if batch else []:
                    restored.extend(r)
                batch = []
            if run is not None:
                batch.append(run)
        pos = 0
        for members in run_spans:
            for i in members:
                n = (len(parts[i]) - first[i] + 1) // 2
                parts[i][first[i] :: 2] = restored[pos : pos + n]
                pos += n
                out[i] = "".join(parts[i])


def _runs(lines: list[str], todo: list[bool]) -> list[list[int]]:
    """Maximal runs of consecutive lines to restore (blank lines stay inside a run)."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, flag in enumerate(todo):
        if flag and lines[i].strip():
            cur.append(i)
        elif not lines[i].strip():
            continue
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs
