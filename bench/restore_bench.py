"""Diacritic restoration benchmark: our restorer vs pyvi's add_accents vs leaving text as is.

Run:  .venv/bin/python bench/restore_bench.py --corpus-dir CORPUS_DIR [--ocr-lines 150]

Test text the model never saw:
  (a) stripped text: held-out corpus documents (every 25th document of each corpus file, listed
      in normalizers/restore/model/holdout.json) and the accented seeds 000–003 (never trained on);
  (b) held-out corpus lines drawn with DejaVu Serif and read by Tesseract `eng`;
  (c) seed 004's body against samples/reference/laocai_nq57_2026_ocr_004.accented.txt, when present;
  (d) accented seeds 000–003 through restore_page: share of syllables left unchanged.
Syllable accuracy is case-sensitive, over reference tokens whose core is a Vietnamese syllable, on
lines whose token count the system kept. Prints a markdown table, writes bench/results/restore.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalizers.restore import restore_page, restore_text  # noqa: E402
from normalizers.restore.corpus import clean_document, doc_digest, iter_documents  # noqa: E402
from normalizers.restore.lexer import core_kind, split_token  # noqa: E402
from normalizers.restore.ocr_channel import render_and_read  # noqa: E402
from normalizers.restore.syllables import fold  # noqa: E402
from normalizers.restore.train import MODEL_DIR  # noqa: E402
from normalizers.tone import normalize_tone_style  # noqa: E402

SEEDS = ROOT / "samples" / "seeds"
REFERENCE_004 = ROOT / "samples" / "reference" / "laocai_nq57_2026_ocr_004.accented.txt"
MAX_HELDOUT_SYLLABLES = 30_000


@dataclass
class Score:
    syllables: int = 0
    correct: int = 0
    lines: int = 0
    lines_exact: int = 0
    seconds: float = 0.0
    input_syllables: int = 0
    errors: int = 0  # lines the system raised on or whose token count changed

    def row(self) -> tuple[str, str, str]:
        acc = 100 * self.correct / self.syllables if self.syllables else 0.0
        exact = 100 * self.lines_exact / self.lines if self.lines else 0.0
        speed = f"{self.input_syllables / self.seconds:,.0f}" if self.seconds > 0.05 else "—"
        return f"{acc:.2f}%", f"{exact:.1f}%", speed


def _is_syllable_token(token: str) -> bool:
    return core_kind(split_token(token)[1]) == "syl"


def score_lines(refs: list[str], outs: list[str], score: Score) -> None:
    for ref, out in zip(refs, outs, strict=True):
        r_toks, o_toks = ref.split(), out.split()
        idx = [i for i, t in enumerate(r_toks) if _is_syllable_token(t)]
        if not idx:
            continue
        score.lines += 1
        score.syllables += len(idx)
        if len(r_toks) != len(o_toks):
            score.errors += 1
            continue
        ok = sum(split_token(r_toks[i])[1] == split_token(o_toks[i])[1] for i in idx)
        score.correct += ok
        score.lines_exact += ok == len(idx)


def pyvi_lines(lines: list[str]) -> list[str]:
    from pyvi import ViUtils

    out = []
    for line in lines:
        try:
            out.append(ViUtils.add_accents(line) if line.strip() else line)
        except Exception:  # pyvi raises KeyError on some lines: count the line as unrestored
            out.append(line)
    return out


def run_system(fn: Callable[[list[str]], list[str]], refs: list[str], inputs: list[str]) -> Score:
    score = Score(input_syllables=sum(1 for t in "\n".join(inputs).split() if _has_letter(t)))
    start = time.process_time()  # CPU time: fair on a machine shared with other jobs
    outs = fn(inputs)
    score.seconds = time.process_time() - start
    score_lines(refs, outs, score)
    return score


def _has_letter(token: str) -> bool:
    return any(ch.isalpha() for ch in token)


def ours(lines: list[str]) -> list[str]:
    return restore_text("\n".join(lines)).split("\n")


SYSTEMS: dict[str, Callable[[list[str]], list[str]]] = {
    "vnplan restore": ours,
    "pyvi add_accents": pyvi_lines,
    "as is": lambda lines: list(lines),
}


def heldout_lines(corpus_dir: pathlib.Path) -> list[str]:
    manifest = json.loads((MODEL_DIR / "holdout.json").read_text(encoding="utf-8"))
    wanted = {(h["file"], h["doc_index"]): h["sha16"] for h in manifest["held_out"]}
    lines: list[str] = []
    n_syl = 0
    for path in sorted(corpus_dir.glob("*.xz")):
        for i, doc in enumerate(iter_documents(path)):
            if (path.name, i) not in wanted:
                continue
            if doc_digest(doc) != wanted[(path.name, i)]:
                raise SystemExit(f"held-out document {path.name}#{i} changed; retrain or fix the list")
            per_doc = 0
            for para in clean_document(doc):
                for line in para:
                    lines.append(line)
                    per_doc += len(line.split())
                if per_doc > MAX_HELDOUT_SYLLABLES // 40:
                    break
    for line in lines:
        n_syl += len(line.split())
        if n_syl > MAX_HELDOUT_SYLLABLES:
            return lines[: lines.index(line)]
    return lines


def accented_lines(paths: list[pathlib.Path]) -> list[str]:
    """The lines of accented reference texts, in the model's tone style."""
    out: list[str] = []
    for path in paths:
        out.extend(normalize_tone_style(path.read_text(encoding="utf-8")).split("\n"))
    return out


def seed004_body() -> tuple[list[str], list[str]] | None:
    """(OCR lines, reference lines) for seed 004's body, aligned by line, when the reference exists."""
    if not REFERENCE_004.exists():
        return None
    ref = normalize_tone_style(REFERENCE_004.read_text(encoding="utf-8")).split("\n")
    ocr = (SEEDS / "laocai_nq57_2026_ocr_004.txt").read_text(encoding="utf-8").split("\n")
    body = [ln for ln in ocr if ln.strip()]
    ref_body = [ln for ln in ref if ln.strip()]
    if len(body) != len(ref_body):
        n = min(len(body), len(ref_body))
        body, ref_body = body[:n], ref_body[:n]
    return body, ref_body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus-dir",
        type=pathlib.Path,
        required=True,
        help="the accented corpus the model was trained on (*.xz; normalizers/restore/model/MODEL.md)",
    )
    parser.add_argument("--ocr-lines", type=int, default=150)
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    restore_text("khoi dong")  # load the model outside the timed runs

    held = heldout_lines(args.corpus_dir)
    seeds = accented_lines(sorted(SEEDS.glob("*_00[0-3].txt")))
    conditions: list[tuple[str, list[str], list[str]]] = [
        ("(a) held-out corpus, stripped", held, [fold(x) for x in held]),
        ("(a) seeds 000–003, stripped", seeds, [fold(x) for x in seeds]),
    ]
    # The real development set: plans nobody here wrote, never trained on.
    real = accented_lines(sorted((ROOT / "samples" / "real" / "text").glob("*.txt")))
    conditions.append(("(a) real plans (samples/real/text), stripped", real, [fold(x) for x in real]))
    ocr_src = [ln for ln in held if 6 <= len(ln.split()) <= 14][: args.ocr_lines]
    ocr_read = render_and_read(ocr_src, seed=2026)
    kept = [(r, o) for r, o in zip(ocr_src, ocr_read, strict=True) if o is not None]
    conditions.append(("(b) held-out, eng-OCR'd render", [r for r, _ in kept], [o for _, o in kept]))
    s004 = seed004_body()
    if s004 is not None:
        conditions.append(("(c) seed 004 body (eng OCR)", s004[1], s004[0]))

    rows = [
        "| text | system | syllable acc. | line exact | syll/s (CPU) | lines token-count changed |",
        "|---|---|---|---|---|---|",
    ]
    for name, refs, inputs in conditions:
        for system, fn in SYSTEMS.items():
            sc = run_system(fn, refs, inputs)
            acc, exact, speed = sc.row()
            rows.append(f"| {name} | {system} | {acc} | {exact} | {speed} | {sc.errors} |")
            print(rows[-1], flush=True)

    # (d) correct Vietnamese must stay as it is.
    unchanged = total = 0
    for path in sorted(SEEDS.glob("*_00[0-3].txt")):
        text = normalize_tone_style(path.read_text(encoding="utf-8"))
        out, _ = restore_page(text)
        for a, b in zip(text.split(), out.split(), strict=True):
            if _is_syllable_token(a):
                total += 1
                unchanged += a == b
    rows.append(
        f"| (d) accented seeds 000–003 via restore_page | vnplan restore | "
        f"{100 * unchanged / total:.2f}% unchanged | | | |"
    )
    table = "\n".join(rows)
    header = (
        f"# Diacritic restoration benchmark\n\nCommand: `.venv/bin/python bench/restore_bench.py`"
        f" · {time.strftime('%Y-%m-%d')} · held-out corpus: {len(held)} lines; "
        f"OCR render: {len(kept)} of {len(ocr_src)} lines read back line-aligned.\n\n"
    )
    print(table)
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "restore.md").write_text(header + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
