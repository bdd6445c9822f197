"""Deadline phrases → windows, every form of the contract plus ranges, half-years and OCR spellings."""

from __future__ import annotations

import pytest

from normalizers.deadlines import find_deadline, parse_deadline

FORMS: list[tuple[str, str | None, str | None, str | None]] = [
    ("Từ Q1/2027", "2027-01-01", None, None),  # from a quarter on, no end
    ("Quý II/2026", "2026-04-01", "2026-06-30", None),
    ("Quý IV năm 2027", "2027-10-01", "2027-12-31", None),
    ("Tháng 2/2026", "2026-02-01", "2026-02-28", None),
    ("Tháng 2/2028", "2028-02-01", "2028-02-29", None),  # leap year: the real last day
    ("Q4/2025 – Q2/2026", "2025-10-01", "2026-06-30", None),
    ("Năm 2026", "2026-01-01", "2026-12-31", None),
    ("Cả năm 2027", "2027-01-01", "2027-12-31", None),
    ("6 tháng đầu năm 2026", "2026-01-01", "2026-06-30", None),
    ("6 tháng cuối năm 2025", "2025-07-01", "2025-12-31", None),
    ("Từ 2026 trở đi", "2026-01-01", None, None),
    ("Từ năm 2027", "2027-01-01", None, None),
    ("Hằng năm từ 2026", "2026-01-01", None, "annual"),
    ("Hàng năm, từ năm 2025", "2025-01-01", None, "annual"),
    ("Thường xuyên", None, None, "continuous"),
    ("trước ngày 10 tháng 12 hằng năm", None, None, "annual"),
    ("trước ngày 15 tháng 6 năm 2025", None, "2025-06-15", None),
    ("trước ngày 31/3/2026", None, "2026-03-31", None),
    ("tháng 9-11/2021", "2021-09-01", "2021-11-30", None),
    ("từ tháng 4 đến tháng 9/2024", "2024-04-01", "2024-09-30", None),
    ("Tháng 11/2025 - tháng 2/2026", "2025-11-01", "2026-02-28", None),
    ("Quý III-IV/2024", "2024-07-01", "2024-12-31", None),
    ("Q3-Q4/2026", "2026-07-01", "2026-12-31", None),
    ("Quý I - Quý II/2027", "2027-01-01", "2027-06-30", None),
    ("Sau khi có hướng dẫn của Bộ Tài chính", None, None, None),
    # OCR / unrestored spellings
    ("Quy 2/2026", "2026-04-01", "2026-06-30", None),
    ("QUÝ III/2026", "2026-07-01", "2026-09-30", None),
    ("Quy 11/2026", "2026-04-01", "2026-06-30", None),  # II read as 11
    ("Thang 10/2026", "2026-10-01", "2026-10-31", None),
    ("Hang nam tu 2026", "2026-01-01", None, "annual"),
    ("Thuong xuyen", None, None, "continuous"),
]


@pytest.mark.parametrize(("text", "start", "end", "recurrence"), FORMS)
def test_deadline_windows(text: str, start: str | None, end: str | None, recurrence: str | None) -> None:
    deadline = parse_deadline(text)
    assert deadline is not None
    assert (deadline.start, deadline.end, deadline.recurrence) == (start, end, recurrence)
    assert deadline.text == text


def test_year_less_forms_take_the_plan_year() -> None:
    deadline = parse_deadline("Quý III", plan_year=2027)
    assert deadline is not None and (deadline.start, deadline.end) == ("2027-07-01", "2027-09-30")
    # without a plan year the window stays unknown, the text is kept
    unknown = parse_deadline("Quý III")
    assert unknown is not None and unknown.start is None and unknown.text == "Quý III"


@pytest.mark.parametrize("text", ["", "   ", "-", "…"])
def test_empty_cells_have_no_deadline(text: str) -> None:
    assert parse_deadline(text) is None


def test_unrecognised_text_is_kept_without_dates() -> None:
    deadline = parse_deadline("Theo tiến độ dự án")
    assert deadline is not None and deadline.text == "Theo tiến độ dự án"
    assert (deadline.start, deadline.end, deadline.recurrence) == (None, None, None)


def test_find_deadline_in_prose_points_at_the_phrase() -> None:
    text = "- Hình thức: tổ chức hội thảo chuyên đề. Thời gian thực hiện: tháng 5-7/2025."
    found = find_deadline(text)
    assert found is not None
    assert text[found.start : found.end] == "tháng 5-7/2025"
    assert (found.deadline.start, found.deadline.end) == ("2025-05-01", "2025-07-31")


def test_a_year_named_in_passing_is_not_a_deadline() -> None:
    assert find_deadline("Căn cứ Kế hoạch số 12/KH-UBND năm 2024 của Ủy ban nhân dân tỉnh") is None
    reporting = find_deadline("định kỳ trước ngày 20 tháng 11 hằng năm báo cáo kết quả về Sở Nội vụ")
    assert reporting is not None and reporting.deadline.recurrence == "annual"
