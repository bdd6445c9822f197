"""Vietnamese numbers, money amounts and plain dates."""

from __future__ import annotations

import pytest

from normalizers.numbers import amount_to_vnd, canonical_doc_number, find_money, parse_vn_number
from normalizers.vndates import find_date, fold_keep_length, parse_date


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("63.569,9", 63569.9),
        ("3.000", 3000),
        ("02", 2),
        ("37,6", 37.6),
        ("1.250.000", 1250000),
        ("12,5", 12.5),
        ("100", 100),
    ],
)
def test_vietnamese_number_separators(printed: str, value: float) -> None:
    assert parse_vn_number(printed) == value


@pytest.mark.parametrize("printed", ["", "abc", "1.2.3", "12,", "3.00"])
def test_not_a_number(printed: str) -> None:
    assert parse_vn_number(printed) is None


@pytest.mark.parametrize(
    ("number", "unit", "vnd"),
    [
        ("63.569,9", "triệu đồng", 63_569_900_000),
        ("12,5", "tỷ đồng", 12_500_000_000),
        ("850", "nghìn đồng", 850_000),
        ("1.200.000", "đồng", 1_200_000),
        ("4,75", "tỉ đồng", 4_750_000_000),
        ("3.000,0", "triệu VNĐ", 3_000_000_000),
    ],
)
def test_amount_in_dong(number: str, unit: str, vnd: int) -> None:
    assert amount_to_vnd(number, unit) == vnd


def test_money_found_in_running_text_with_offsets() -> None:
    text = (
        "Tổng dự toán năm 2027 là 18.420,5 triệu đồng, trong đó vốn địa phương 2,3 tỷ đồng; "
        "hỗ trợ mỗi sáng kiến 500.000 đồng. Hai đồng chí phụ trách, đồng bộ 3 đồng hồ."
    )
    found = find_money(text)
    assert [v for _, _, v in found] == [18_420_500_000, 2_300_000_000, 500_000]
    start, end, _ = found[0]
    assert text[start:end] == "18.420,5 triệu đồng"


def test_money_in_unaccented_scan_needs_a_scale_word() -> None:
    # `dong` alone is đóng/động in a scan without accents; `trieu dong` is money.
    text = "dong gop 6 dong luc; kinh phi 250 trieu dong"
    assert [v for _, _, v in find_money(text)] == [250_000_000]


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("ngày 06 tháng 02 năm 2026", "2026-02-06"),
        ("31/3/2021", "2021-03-31"),
        ("tháng 8 năm 2021", "2021-08"),
        ("Điện Biên, ngày     tháng 11 năm 2025", "2025-11"),
        ("ngay 15 thang 7 nam 2024", "2024-07-15"),
        ("ngày 10 tháng 8 năm 2018 của Thủ tướng", "2018-08-10"),
        ("08.03.2021", "2021-03-08"),
    ],
)
def test_plain_dates_to_iso(printed: str, iso: str) -> None:
    assert parse_date(printed) == iso


@pytest.mark.parametrize("printed", ["năm 2026", "Quý II/2026", "tháng 13 năm 2025", ""])
def test_no_date(printed: str) -> None:
    assert parse_date(printed) is None


def test_impossible_day_keeps_only_what_is_sure() -> None:
    assert parse_date("ngày 31 tháng 2 năm 2025") == "2025-02"


def test_first_date_wins_and_offsets_index_the_text() -> None:
    text = "Quyết định số 12/QĐ-UBND ngày 05/01/2024, sửa đổi ngày 20 tháng 6 năm 2024"
    start, end, iso = find_date(text)
    assert iso == "2024-01-05"
    assert text[start:end] == "05/01/2024"


def test_folding_keeps_length() -> None:
    text = "Đề án số 06-ĐA/TU, Ủy ban nhân dân tỉnh Điện Biên"
    folded = fold_keep_length(text)
    assert folded == "De an so 06-DA/TU, Uy ban nhan dan tinh Dien Bien"
    assert len(folded) == len(text)


def test_document_numbers_get_their_canonical_codes() -> None:
    assert canonical_doc_number("15/2020/ND-CP") == "15/2020/NĐ-CP"
    assert canonical_doc_number("1290/QD-TTG") == "1290/QĐ-TTg"
    assert canonical_doc_number("06-ĐÐA/TU") == "06-ĐA/TU"
    assert canonical_doc_number("41/SKHDT-TH") == "41/SKHĐT-TH"
    # Already canonical, unknown or ambiguous codes stay as printed (HD: Hướng dẫn or Hội đồng).
    for kept in ("57-NQ/TW", "1926/BKHCN-KHTC", "3/HD-UBND", "12/HĐ-UBND", "5/XYZ-ABC"):
        assert canonical_doc_number(kept) == kept
