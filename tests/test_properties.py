"""Property tests: random Vietnamese-like text and random bytes never crash the normalizers or the
extractors, and every extracted span lies inside its page's text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalizers.restore import restore_page, restore_text
from normalizers.text_repair import normalize_pages
from pipeline.convert import convert_file
from pipeline.model.errors import VnplanError
from pipeline.model.pages import RawPage

# Pieces plan documents are made of, so random draws hit the extractors' cues.
FRAGMENTS = [
    "KẾ HOẠCH",
    "Số: 52/KH-UBND",
    "ngày 06 tháng 02 năm 2026",
    "Căn cứ Quyết định số 569/QĐ-TTg",
    "I. MỤC TIÊU",
    "1.",
    "a)",
    "-",
    "|",
    "Sở KH&CN",
    "UBND tỉnh",
    "Quý II/2026",
    "Thường xuyên",
    "đạt trên 30%",
    "12,5 tỷ đồng",
    "63.569,9 triệu đồng",
    "Trong đó:",
    "Phụ lục",
    "STT",
    "Nhiệm vụ",
    "Cơ quan chủ trì",
    "hằng năm",
    "trước ngày 10 tháng 12",
    "\n",
    "\n\n",
    "  ",
    "\f",
    "Thue hién",
    "s6",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Nguyễn Văn A",
    "doanh nghiệp",
    "năm 2030",
    "ít nhất 05",
]
vietnamese_like = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(alphabet="aăâeêioôơuưyđAĐàáảãạèéẹìíòóọùúụỳýỵ 0123456789.,;:/-%()|", max_size=20),
    ),
    max_size=60,
).map(" ".join)

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(vietnamese_like)
def test_restoration_keeps_lines_and_tokens(text: str) -> None:
    for restored in (restore_text(text), restore_page(text)[0]):
        assert len(restored.split("\n")) == len(text.split("\n"))
        assert [len(line.split()) for line in restored.split("\n")] == [len(line.split()) for line in text.split("\n")]


@PROPERTY_SETTINGS
@given(st.lists(vietnamese_like, min_size=1, max_size=3))
def test_repair_maps_every_character_back_to_the_raw_text(pages: list[str]) -> None:
    raw = [RawPage(number=i + 1, origin="plain", text=t) for i, t in enumerate(pages)]
    for page in normalize_pages(raw):
        assert len(page.raw_offsets) == len(page.text) + 1
        assert all(0 <= o <= len(page.raw) for o in page.raw_offsets)


def _spans(document: object) -> list[tuple[str, object]]:
    found = []
    for name in ("legal_basis", "budgets", "targets", "tasks"):
        for item in getattr(document, name):
            found.append((name, item.span))
    found += [("warnings", w.span) for w in document.warnings if w.span is not None]  # type: ignore[attr-defined]
    return found


@PROPERTY_SETTINGS
@given(vietnamese_like)
def test_extraction_never_crashes_and_spans_lie_inside_their_page(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.txt"
        path.write_text(text, "utf-8")
        try:
            result = convert_file(path)
        except VnplanError:
            return  # a clear, typed refusal (e.g. nothing readable) is fine; a crash is not
    pages = {p.number: p.text for p in result.pages}
    for name, span in _spans(result.document):
        assert span.page in pages, name
        assert 0 <= span.start <= span.end <= len(pages[span.page]), (name, span)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([".pdf", ".txt", ".png", ".tif", ".jpg", ""]))
def test_random_bytes_get_a_typed_error_or_a_document(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"junk{suffix}"
        path.write_bytes(data)
        try:
            result = convert_file(path)
        except VnplanError as exc:
            assert exc.message and "\n" not in exc.message
            return
    assert result.document.doc_id
