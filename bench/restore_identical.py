"""Does restoration give the same text as another checkout? Byte for byte, on texts without their marks.

    .venv/bin/python bench/restore_identical.py OTHER_CHECKOUT [--corpus-dir ../shared/corpus] [--work DIR]

For a change that must not alter restoration (a speed-up): both checkouts restore the same texts, each
in its own process with its code first on PYTHONPATH (the same interpreter and model), and every output
is compared with the other's. The texts:
- the 40 k words `bench/startup.py` restores (the seeds 000–003 stripped, repeated), through
  `restore_text` as `vnplan restore` runs it;
- each of the real plans (`samples/real/text`), stripped, as its own text, and all of them as one text;
- the held-out sets' stripped texts (`heldout*/docs/*.stripped.txt`);
- with `--corpus-dir`, the held-out corpus documents `bench/restore_bench.py` scores, stripped;
- the ingest path: each stripped real plan and held-out text cut into pages of 45 lines through
  `normalize_pages` (restore_page per page, then the document's harmonize_pages), and each accented
  real plan the same way (pages that must stay as they are).
Prints one line per text (identical or where it first differs) and each checkout's CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_LINES = 45

# Runs in a child process whose PYTHONPATH puts one checkout first; reads texts/*.txt, writes out/*.txt.
WORKER = r"""
import json, sys, time
from pathlib import Path
from normalizers.restore import restore_text
from normalizers.text_repair import normalize_pages
from pipeline.model.pages import RawPage

texts, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
restore_text("khoi dong")  # the model loaded outside the timed part
seconds = {}
for path in sorted(texts.glob("*.txt")):
    text = path.read_text("utf-8")
    start = time.process_time()
    if path.name.startswith("pages-"):
        lines = text.split("\n")
        pages = ["\n".join(lines[i : i + PAGE_LINES]) for i in range(0, len(lines), PAGE_LINES)]
        done = normalize_pages([RawPage(k + 1, "text", page) for k, page in enumerate(pages)])
        result = "\f".join(f"{p.diacritics_restored}\n{p.text}\n{p.raw_offsets}" for p in done)
    else:
        result = restore_text(text)
    seconds[path.stem] = time.process_time() - start
    (out / path.name).write_text(result, "utf-8")
(out / "seconds.json").write_text(json.dumps(seconds), "utf-8")
""".replace("PAGE_LINES", str(PAGE_LINES))


def build_texts(folder: Path, corpus_dir: Path | None) -> None:
    """Every text to compare, as `folder/NAME.txt` (`pages-NAME.txt` for the ingest path)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from restore_bench import accented_lines, heldout_lines
    from startup import words_file

    from normalizers.restore.syllables import fold

    folder.mkdir(parents=True, exist_ok=True)
    words_file(folder, 40_000).rename(folder / "words-40k.txt")
    real = sorted((ROOT / "samples" / "real" / "text").glob("*.txt"))
    for path in real:
        stripped = fold("\n".join(accented_lines([path])))
        (folder / f"real-{path.stem}.txt").write_text(stripped, "utf-8")
        (folder / f"pages-real-{path.stem}.txt").write_text(stripped, "utf-8")
        (folder / f"pages-accented-{path.stem}.txt").write_text("\n".join(accented_lines([path])), "utf-8")
    (folder / "real-all-as-one.txt").write_text(fold("\n".join(accented_lines(real))), "utf-8")
    for path in sorted(ROOT.glob("heldout*/docs/*.stripped.txt")):
        name = path.name.removesuffix(".stripped.txt")
        (folder / f"heldout-{name}.txt").write_text(path.read_text("utf-8"), "utf-8")
        (folder / f"pages-heldout-{name}.txt").write_text(path.read_text("utf-8"), "utf-8")
    if corpus_dir is not None:
        (folder / "corpus-heldout.txt").write_text(fold("\n".join(heldout_lines(corpus_dir))), "utf-8")


def run_checkout(checkout: Path, texts: Path, out: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout), OMP_THREAD_LIMIT="1")
    subprocess.run([sys.executable, "-c", WORKER, str(texts), str(out)], env=env, check=True, cwd=tempfile.gettempdir())
    return json.loads((out / "seconds.json").read_text("utf-8"))


def first_difference(a: str, b: str) -> str:
    for n, (x, y) in enumerate(zip(a.split("\n"), b.split("\n"), strict=False)):
        if x != y:
            return f"line {n + 1}: {x[:90]!r} / {y[:90]!r}"
    return f"lengths {len(a)} / {len(b)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other checkout (e.g. `git archive main | tar -x -C DIR`)")
    parser.add_argument(
        "--corpus-dir", type=Path, help="the restorer's training corpus (*.xz), for its held-out documents"
    )
    parser.add_argument("--work", type=Path, help="where texts and outputs go (default: a new temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="vnplan-restore-identical-"))
    texts = work / "texts"
    build_texts(texts, args.corpus_dir)
    seconds = {
        name: run_checkout(c, texts, work / name) for name, c in (("other", args.other.resolve()), ("this", ROOT))
    }
    same = 0
    for path in sorted(texts.glob("*.txt")):
        a, b = ((work / name / path.name).read_text("utf-8") for name in ("other", "this"))
        if a == b:
            same += 1
            print(f"identical  {path.stem}")
        else:
            print(f"DIFFERENT  {path.stem}  {first_difference(a, b)}")
    total = len(list(texts.glob("*.txt")))
    print(f"\n{same} of {total} texts identical (outputs in {work})")
    for name in ("other", "this"):
        cpu = seconds[name]
        print(f"{name}: {sum(cpu.values()):.2f} s CPU in all; 40 k words {cpu['words-40k']:.2f} s")
    if same != total:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
