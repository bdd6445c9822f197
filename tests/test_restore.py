"""Diacritic restoration through the public API, with the committed model."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.restore import restore_page, restore_text
from normalizers.restore.lexer import core_kind, split_token
from normalizers.restore.syllables import fold
from normalizers.tone import normalize_tone_style

SEEDS = pathlib.Path(__file__).resolve().parents[1] / "samples" / "seeds"


def _shape(text: str) -> list[list[str]]:
    """Per line, the whitespace skeleton: tokens replaced by their length class is too strict
    (OCR tokens may change length), so compare token counts and the whitespace itself."""
    return [[len(line.split())] + [ch for ch in line if ch.isspace()] for line in text.split("\n")]


def _syllable_accuracy(ref: str, out: str) -> float:
    pairs = [(a, b) for a, b in zip(ref.split(), out.split(), strict=True) if core_kind(split_token(a)[1]) == "syl"]
    return sum(a == b for a, b in pairs) / len(pairs)


def test_stripped_paragraph_is_restored() -> None:
    ref = (
        "Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện nhiệm vụ phát triển khoa học, "
        "công nghệ và đổi mới sáng tạo năm 2026 như sau:\n"
        "1. Mục đích, yêu cầu: nâng cao năng lực quản lý nhà nước về khoa học và công nghệ; "
        "đẩy mạnh ứng dụng tiến bộ kỹ thuật vào sản xuất nông nghiệp."
    )
    out = restore_text(fold(ref))
    assert _shape(out) == _shape(fold(ref))
    assert _syllable_accuracy(ref, out) >= 0.95


def test_codes_numbers_and_case_are_kept() -> None:
    src = "Thuc hien Nghi quyet so 57-NQ/TW ngay 22/12/2024, Ke hoach 52/KH-UBND cua So KH&CN (ISO 9001:2015)"
    out = restore_text(src)
    for code in ("57-NQ/TW", "22/12/2024,", "52/KH-UBND", "KH&CN", "(ISO", "9001:2015)"):
        assert code in out.split()
    assert out.split()[0] == "Thực" and out.split()[2] == "Nghị"
    assert restore_text("NQ/TU ngay 16/01/2026").split()[0] == "NQ/TU"
    # Agency abbreviations are context: Sở (department) before KH&CN, số (number) before a code.
    assert restore_text("| So KH&CN | So 52/KH-UBND |") == "| Sở KH&CN | Số 52/KH-UBND |"


def test_accented_seed_is_left_as_is() -> None:
    text = normalize_tone_style((SEEDS / "laocai_khcn_2023_000.txt").read_text(encoding="utf-8"))
    out, _changed = restore_page(text)
    assert out.count("\n") == text.count("\n")
    a, b = text.split(), out.split()
    assert len(a) == len(b)
    unchanged = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    assert unchanged >= 0.999


def test_restore_page_restores_only_lines_that_lost_marks() -> None:
    text = "Kế hoạch này được ban hành.\nUy ban nhan dan tinh chi dao cac so, nganh thuc hien."
    out, changed = restore_page(text)
    first, second = out.split("\n")
    assert changed and first == "Kế hoạch này được ban hành."
    assert second.startswith("Ủy ban nhân dân tỉnh chỉ đạo")


def test_accented_pages_do_not_load_the_model_and_stripped_ones_do() -> None:
    # A fresh interpreter: in this one another test may have loaded the model already.
    script = (
        "import normalizers.restore as r\n"
        "text, changed = r.restore_page('Kế hoạch ứng dụng khoa học và công nghệ trong sản xuất nông nghiệp "
        "của tỉnh năm 2025 được Ủy ban nhân dân tỉnh ban hành')\n"
        "print(changed, r._engine is None)\n"
        "text, changed = r.restore_page('Ke hoach ung dung khoa hoc va cong nghe')\n"
        "print(changed, r._engine is None, text)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=pathlib.Path(__file__).resolve().parents[1],
    )
    assert run.stdout.splitlines() == ["False True", "True False Kế hoạch ứng dụng khoa học và công nghệ"]


def test_vietnamese_text_with_a_typo_is_not_treated_as_english_ocr() -> None:
    text = "Thực hiện Nghị quyêt số 57-NQ/TW của Bộ Chính trị về phát triển khoa học, công nghệ"
    assert restore_page(text) == (text, False)


def test_restore_page_leaves_english_lines_alone() -> None:
    text = "The data pipeline writes the parquet files to disk.\nKe hoach nay duoc ban hanh."
    out, changed = restore_page(text)
    assert changed
    assert out.split("\n") == ["The data pipeline writes the parquet files to disk.", "Kế hoạch này được ban hành."]


def test_english_ocr_line_is_repaired_token_for_token() -> None:
    src = "Thue hién Nghi quyét s6 57-NQ/TW ngay 22/12/2024 ciia B§ Chinh tri vé"
    out = restore_text(src)
    assert len(out.split()) == len(src.split())
    want = ["Thực", "hiện", "Nghị", "quyết", "số", "57-NQ/TW", "ngày", "22/12/2024", "của", "Bộ", "Chính", "trị", "về"]
    assert sum(a == b for a, b in zip(out.split(), want, strict=True)) >= len(want) - 1


def test_bad_input_never_raises() -> None:
    junk = bytes(range(256)).decode("latin-1")
    long_line = "phat trien kinh te xa hoi " * 4000
    for text in (
        "",
        "\n\n",
        junk,
        "\x00\x01 abc \ufffd",
        "Hello world, the data pipeline is ready",
        long_line,
        "a" * 10_000,
        "🙂 lao cai 🙂",
    ):
        out = restore_text(text)
        assert out.count("\n") == text.count("\n")
        assert len(out.split()) == len(text.split())
        page, _ = restore_page(text)
        assert len(page.split()) == len(text.split())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Thuc",
                "hien",
                "KH&CN",
                "52/KH-UBND",
                "so",
                "(Lao",
                "Cai),",
                "nam",
                "2026.",
                "-",
                "|",
                "  ",
                "\n",
                "ciia",
                "B§",
                "UBND",
                "tỉnh",
                "x",
                "é",
                "\t",
                "Ð",
                "ǅ",
                "ﬁ",
                "İ",
            ]
        ),
        max_size=40,
    )
)
def test_lines_and_tokens_are_preserved(parts: list[str]) -> None:
    text = " ".join(parts)
    for out in (restore_text(text), restore_page(text)[0]):
        assert out.count("\n") == text.count("\n")
        for a, b in zip(text.split("\n"), out.split("\n"), strict=True):
            assert len(a.split()) == len(b.split())
            assert [c for c in a if c.isspace()] == [c for c in b if c.isspace()]


def test_ocr_channel_learned_english_ocr_confusions() -> None:
    from normalizers.restore import _get_engine

    engine = _get_engine()
    channel = engine.channel
    assert channel is not None
    assert channel.score("s6", "số") > channel.score("s6", "sáu") + 5
    assert channel.score("hién", "hiện") > channel.score("hién", "hiến") - 1
    assert channel.score("ciia", "của") > channel.score("ciia", "cửa") - 1


def test_train_writes_a_model_that_restores(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The public train(): tiny corpus in, a loadable model (LM + OCR channel learned by
    rendering lines and reading them with Tesseract) out."""
    import lzma

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # its unpacked copy stays out of the user's cache

    from normalizers.restore import train
    from normalizers.restore.engine import Engine

    doc = "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành thực hiện kế hoạch.\n" * 12
    corpus = tmp_path / "tiny.txt.xz"
    with lzma.open(corpus, "wt", encoding="utf-8") as fh:
        fh.write(doc + "\f\n" + doc)
    out = train([corpus], tmp_path / "model")
    assert {"lm.npz", "holdout.json", "ocr_channel.json"} <= {p.name for p in out.iterdir()}
    engine = Engine.load(out)
    restored, changed = engine.restore("So Khoa hoc va Cong nghe chu tri thuc hien ke hoach.", decide=False)
    assert changed and restored == "Sở Khoa học và Công nghệ chủ trì thực hiện kế hoạch."


def test_a_short_unmarked_line_on_an_accented_page_is_left_alone() -> None:
    # A hard wrap can leave a place name's tail alone on a line; with no context it must not be "restored".
    page = (
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch phát triển khoa học và công nghệ trên địa bàn tỉnh Lào\n"
        "Cai.\n"
        "Các sở, ban, ngành và địa phương tổ chức triển khai thực hiện nghiêm túc, hiệu quả các nhiệm vụ."
    )
    assert restore_page(page) == (page, False)
    # the same unmarked line in a stripped page is restored with its neighbours
    stripped = "Uy ban nhan dan tinh ban hanh ke hoach phat trien khoa hoc va cong nghe\nnam 2026."
    assert restore_page(stripped)[0].startswith("Ủy ban nhân dân tỉnh ban hành kế hoạch")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(0, 1 << 40), min_size=0, max_size=300, unique=True),
    st.lists(st.integers(0, 1 << 40), min_size=1, max_size=200),
)
def test_key_index_finds_what_the_hash_finds_before_and_after_the_switch(table: list[int], asked: list[int]) -> None:
    """The binary search a short input gets and the hash a long one gets answer alike."""
    from normalizers.restore.lm import HashIndex, KeyIndex

    keys = np.array(sorted(table), np.int64)
    wanted = np.array(asked + table[:50], np.int64)
    index = KeyIndex(keys)
    index.HASH_AFTER = wanted.size  # first call searches, the second builds the hash
    searched, hashed = index.find(wanted), index.find(wanted)
    assert index._hash is not None
    expected = HashIndex(keys).find(wanted)
    assert searched.tolist() == expected.tolist() == hashed.tolist()


def test_capital_runs_in_codes_get_their_letters_back_as_the_corpus_spells_them() -> None:
    from normalizers.restore import code_letters

    corpus = ["Quyết định số 12/2020/QĐ-UBND của HĐND tỉnh; Sở XD và Ban QLDA."] * 30 + ["QD viết tắt"]
    table = code_letters.learn(corpus)
    assert table == {"HDND": "HĐND", "QD": "QĐ"}  # XD, QLDA: never accented; TỈNH-like words: not codes
    assert code_letters.restore("(66/2018/QD-UBND),", table) == "(66/2018/QĐ-UBND),"
    assert code_letters.restore("HDNDX", table) == "HDNDX"  # only whole runs
    assert code_letters.restore("QĐ-UBND", table) == "QĐ-UBND"


def test_vnplan_restore_puts_back_codes_and_words_joined_by_slashes() -> None:
    stripped = "Theo Quyet dinh so 66/2018/QD-UBND va Nghi quyet cua HDND tinh, quan trac 2 dot/nam.\n"
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "restore"], input=stripped, capture_output=True, text=True, check=True
    )
    assert "66/2018/QĐ-UBND" in run.stdout and "HĐND" in run.stdout
    assert "đợt/năm" in run.stdout
    assert len(run.stdout.split()) == len(stripped.split())


def test_segments_stepped_together_choose_what_the_position_by_position_decoder_chooses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The decoder steps all independent segments of a lattice at once when float64 holds every path
    sum exactly; otherwise it walks position by position. Both must restore a text alike: plain
    stripped text, a page with stray marks (extra channel scores), and OCR'd lines (sentence ends cut)."""
    from normalizers.restore import _get_engine
    from normalizers.restore.decode import _Lattice

    seeds = "\n".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*_00[0-1].txt")))
    stripped = fold(seeds)
    stray = stripped.replace(" cua ", " cửa ").replace(" nam ", " nấm ")  # marks that sway some choices
    ocr = seeds.replace("ệ", "ê").replace("ọ", "o").replace("ằ", "à")
    engine = _get_engine()
    texts = [stripped, stray, "Thuc hien Nghi quyet so 57-NQ/TW cua Bo Chinh tri"]
    together = [engine.restore(t, decide=False)[0] for t in texts] + [engine.correct_ocr(ocr)[0]]
    monkeypatch.setattr(_Lattice, "sums_exact", lambda *_: False)
    in_order = [engine.restore(t, decide=False)[0] for t in texts] + [engine.correct_ocr(ocr)[0]]
    assert together == in_order
    assert together[0] != stripped and together[3] != ocr  # the texts did get restored


def test_vnplan_restore_unpacks_the_model_once_into_the_cache_and_survives_a_broken_copy(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first `vnplan restore` leaves an unpacked copy of the model in the user's cache; later runs
    map it and restore alike; a copy cut short (a full disk, a killed run) is unpacked again."""
    import os

    from normalizers.restore.lm import NgramModel, _unpack
    from normalizers.restore.train import MODEL_DIR

    stripped = "Ke hoach thuc hien nhiem vu phat trien khoa hoc va cong nghe nam 2026 cua tinh.\n"
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path), OMP_THREAD_LIMIT="1")

    def restore() -> str:
        command = [sys.executable, "-m", "pipeline", "restore"]
        return subprocess.run(command, input=stripped, capture_output=True, text=True, check=True, env=env).stdout

    first = restore()
    (copy,) = (tmp_path / "vnplan").glob("lm-*.unpacked")
    assert first.startswith("Kế hoạch thực hiện nhiệm vụ phát triển khoa học và công nghệ năm 2026 của tỉnh.")
    assert restore() == first
    whole = copy.read_bytes()
    copy.write_bytes(whole[: len(whole) // 2])
    assert restore() == first
    assert copy.read_bytes() == whole  # written again, whole
    # The mapped arrays are the model's, value for value.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    mapped = NgramModel.load(MODEL_DIR / "lm.npz")
    unpacked = _unpack(MODEL_DIR / "lm.npz")
    for name in ("uni_lp", "uni_bow", "bi_keys", "bi_lp", "bi_bow", "tri_keys", "tri_lp", "tri_contexts"):
        assert (
            np.array_equal(getattr(mapped, name), unpacked[name])
            and getattr(mapped, name).dtype == unpacked[name].dtype
        )
    assert mapped.vocab == bytes(unpacked["vocab"]).decode("utf-8").split("\n")
    # A retrained model (another file state) gets a new copy, and the old copy goes.
    model = tmp_path / "lm.npz"
    model.write_bytes((MODEL_DIR / "lm.npz").read_bytes())
    NgramModel.load(model)
    os.utime(model, ns=(1, 1))
    NgramModel.load(model)
    assert len(list((tmp_path / "vnplan").glob("lm-*.unpacked"))) == 2  # the packaged model's and this one's
    # A model file that is gone (a test's, a removed checkout's) loses its copy at the next unpacking.
    other = tmp_path / "other" / "lm.npz"
    other.parent.mkdir()
    other.write_bytes(model.read_bytes())
    NgramModel.load(other)
    other.unlink()
    os.utime(model, ns=(2, 2))
    NgramModel.load(model)
    assert len(list((tmp_path / "vnplan").glob("lm-*.unpacked"))) == 2


def test_texts_scored_in_one_batch_score_as_each_alone() -> None:
    """The name reader scores all readings of a name in one batch: the same numbers, to the bit, as
    scoring each reading alone (its choice must not depend on the batching)."""
    from normalizers.restore import _get_engine

    restorer = _get_engine().restorer
    lines = [line.split() for line in SEEDS.joinpath("laocai_khcn_2023_000.txt").read_text("utf-8").split("\n")[:60]]
    lines += [[], ["Giang", "Thi", "Dung"], ["UBND", "(tỉnh)", "2024;"]]
    assert restorer.texts_logp(lines) == [restorer.text_logp(tokens) for tokens in lines]


def test_a_restorer_that_starts_its_token_memos_afresh_restores_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The restorer keeps what it worked out per distinct token, up to a bound (a long batch of documents
    must not grow it without end); starting afresh changes no output."""
    from normalizers.restore import _get_engine, decode

    engine = _get_engine()
    text = fold(SEEDS.joinpath("laocai_khcn_2023_000.txt").read_text("utf-8"))
    kept = engine.restore(text, decide=False)[0]
    monkeypatch.setattr(decode, "MAX_KEPT_TOKENS", 10)
    assert engine.restore(text, decide=False)[0] == kept
    assert engine.restore("Thuc hien ke hoach", decide=False)[0] == "Thực hiện kế hoạch"
    assert len(engine.restorer._pieces) == 4  # the document's tokens were forgotten before this line
