"""The lexicon's required-word prefilter skips regexes but never changes what is found."""

from __future__ import annotations

from pathlib import Path

import pytest

import normalizers.agencies as agencies

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"


def _texts() -> list[str]:
    texts = [
        "Sở KH&CN chủ trì, phối hợp với Sở TC, Sở KH và ĐT, UBND các huyện, thị xã, thành phố.",
        "Giao Sở Khoa học và Công nghệ; Sở Nông nghiệp và Môi trường; Đài PT-TH tỉnh; Hội LHPN tỉnh.",
        "S0 Khoa hoc va Cong nghe | 8¢ Tai chinh | Ngân hàng Nhà nước chi nhánh tỉnh Gia Lai",
    ]
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text("utf-8")
        texts += [text[i : i + 600] for i in range(0, len(text), 2500)]  # snippets, as extractors pass them
    return texts


@pytest.mark.parametrize("fragments", [False, True])
def test_prefilter_finds_exactly_what_the_full_scan_finds(fragments: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    filtered = [agencies.find_agencies(t, fragments) for t in texts]
    full = [(e, p, ()) for e, p, _ in agencies._matchers()]
    monkeypatch.setattr(agencies, "_matchers", lambda: full)
    assert [agencies.find_agencies(t, fragments) for t in texts] == filtered
    assert any(filtered)


def test_required_words_are_only_words_every_match_contains() -> None:
    assert agencies.required_words(r"(?:so|s[0o6])\s+khoa\s+hoc(?:\s+va\s+|\s*&\s*)cong\s+nghe") == (
        "khoa",
        "hoc",
        "cong",
        "nghe",
    )
    assert agencies.required_words(r"ban\s+quan\s+lys?\s+(?:cac\s+)?khu") == ("ban", "quan", "ly", "khu")
    assert agencies.required_words(r"doan\s+tn|thanh\s+doan") == ()  # top-level alternatives
