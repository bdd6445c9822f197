"""Layouts of duties real plans use, on plans invented for the test and run through the command a user runs:
items whose bullets label their fields, agency headings whose names hold commas, abbreviations the plan coins,
one column for lead and cooperating bodies, date ranges written with a dash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import draw_plan_pdf, vnplan_extract

ROOT = Path(__file__).resolve().parent.parent

FIELD_PLAN = """TRƯỜNG CAO ĐẲNG KỸ THUẬT SÔNG LAM
Số: 41/KH-CĐSL
KẾ HOẠCH
Kiểm kê thiết bị thực hành năm 2027
I. MỤC ĐÍCH
Bảo đảm thiết bị thực hành được kiểm kê đầy đủ, đúng thời hạn.
II. NỘI DUNG, TIẾN ĐỘ, PHÂN CÔNG THỰC HIỆN
1. Kiểm kê xưởng cơ khí
1.1. Lập danh mục thiết bị của các xưởng thực hành gò hàn
- Yêu cầu: đầy đủ, chính xác, có mã số từng thiết bị.
- Thời gian hoàn thành: Quý IV/2027 và Quý I/2028;
- Đơn vị chủ trì: Đồng chí Phó Hiệu trưởng phụ trách cơ sở vật chất
- Đơn vị phối hợp: Phòng Thiết bị vật tư
- Kết quả: Danh mục thiết bị.
2. Thanh lý thiết bị hỏng
2.1. Đánh giá hiện trạng máy phay cũ
2.2. Đề xuất danh mục máy phay thanh lý
- Thời gian thực hiện: Từ tháng 12/2027 đến quý I/2028.
- Đơn vị chủ trì: Phòng Thiết bị vật tư
- Kết quả: Tờ trình thanh lý.
III. TỔ CHỨC THỰC HIỆN
1. Viện Cơ khí, Chế tạo và Tự động hóa Miền Trung
a) Cử chuyên gia hướng dẫn đánh giá hiện trạng máy tiện điều khiển số.
b) Cập nhật thường xuyên tài liệu kỹ thuật của từng máy tiện.
2. Trung tâm Đào tạo lái xe
- Kiểm đếm xe tập lái, lập biên bản bàn giao cho Trung tâm Đào tạo lái xe cơ sở 2.
3. Các khoa chuyên môn
- Đồng chí Trưởng khoa phân công giảng viên tham gia kiểm kê.
Nơi nhận:
- Lưu: VT.
HIỆU TRƯỞNG
Hồ Sĩ Lam
"""


def _extract(path: Path) -> dict[str, Any]:
    return vnplan_extract(path)


def _task(document: dict[str, Any], start: str) -> dict[str, Any]:
    found = [t for t in document["tasks"] if t["text"].startswith(start)]
    assert len(found) == 1, [t["text"][:40] for t in document["tasks"]]
    return found[0]


def _window(task: dict[str, Any]) -> tuple[Any, Any, Any]:
    d = task["deadline"] or {}
    return d.get("start"), d.get("end"), d.get("recurrence")


def test_items_whose_bullets_label_time_and_bodies(tmp_path: Path) -> None:
    plan = tmp_path / "kiem_ke.txt"
    plan.write_text(FIELD_PLAN, encoding="utf-8")
    document = _extract(plan)
    listing = _task(document, "Lập danh mục thiết bị của các ")
    # the lead is a person's post: the duty is the issuing body's
    assert listing["lead_agency"] and listing["lead_agency"] == document["metadata"]["issuer"]
    assert _window(listing) == ("2027-10-01", "2028-03-31", None)
    assert listing["output"] == "Danh mục thiết bị"
    assert "Phòng Thiết bị vật tư" in listing["cooperating_agencies"]
    # two items over one block of fields share it
    for start in ("Đánh giá hiện trạng máy phay c", "Đề xuất danh mục máy phay thanh"):
        assert _task(document, start)["lead_agency"] == "Phòng Thiết bị vật tư"
        assert _window(_task(document, start)) == ("2027-12-01", "2028-03-31", None)
    # the labelled bullets are fields, not duties
    assert not any(t["text"].startswith(("Thời gian", "Đơn vị", "Kết quả")) for t in document["tasks"])


def test_agency_headings_with_commas_and_people(tmp_path: Path) -> None:
    plan = tmp_path / "kiem_ke.txt"
    plan.write_text(FIELD_PLAN, encoding="utf-8")
    document = _extract(plan)
    institute = "Viện Cơ khí, Chế tạo và Tự động hóa Miền Trung"
    assert _task(document, "Cử chuyên gia hướng dẫn đánh g")["lead_agency"] == institute
    updating = _task(document, "Cập nhật thường xuyên tài liệu")
    assert updating["lead_agency"] == institute
    assert updating["deadline"] is None  # `thường xuyên` qualifies the verb, it does not date the duty
    assert _task(document, "Kiểm đếm xe tập lái, lập biên ")["lead_agency"] == "Trung tâm Đào tạo lái xe"
    # a person's duty is no body's task
    assert not any(t["text"].startswith("Đồng chí") for t in document["tasks"])


def test_one_column_for_lead_and_cooperating_bodies_in_a_pdf(tmp_path: Path) -> None:
    rows = [
        ["TT", "Nội dung công việc", "Thời gian thực hiện", "Đơn vị chủ trì/phối hợp"],
        [
            "1",
            "Khảo sát mức độ hài lòng của học viên về ký túc xá",
            "29/6/2027 - 09/7/2027",
            "Trung tâm QLĐT; Phòng Công tác học viên",
        ],
        ["2", "Tổng hợp phiếu khảo sát, lập báo cáo kết quả", "Trước ngày 20/7/2027", "Trung tâm QLĐT"],
    ]
    paragraphs: list[str | list[list[str]]] = [
        "HỌC VIỆN THỦY SẢN MIỀN TÂY",
        "KẾ HOẠCH",
        "Khảo sát ký túc xá năm 2027",
        "1. Phân công thực hiện",
        "1.1. Trung tâm Quản lý đào tạo",
        "- Chủ trì thiết kế phiếu khảo sát và hướng dẫn học viên trả lời phiếu.",
        "2. Tiến độ thực hiện",
        rows,
    ]
    pdf = draw_plan_pdf(tmp_path / "khao_sat.pdf", [paragraphs])
    document = _extract(pdf)
    survey = _task(document, "Khảo sát mức độ hài lòng")
    # the abbreviation the plan coins is spelled out by the name it states in a heading
    assert survey["lead_agency"] == "Trung tâm Quản lý đào tạo"
    assert survey["cooperating_agencies"] == ["Phòng Công tác học viên"]
    assert _window(survey) == ("2027-06-29", "2027-07-09", None)
    report = _task(document, "Tổng hợp phiếu khảo sát, ")
    assert report["lead_agency"] == "Trung tâm Quản lý đào tạo" and _window(report) == (None, "2027-07-20", None)


ROUNDS_PLAN = """ỦY BAN MTTQ VIỆT NAM
PHƯỜNG HẠ LONG TÂY
BAN THƯỜNG TRỰC
KẾ HOẠCH
Giám sát việc cấp phát tem phiếu hỗ trợ ngư dân năm 2027
I. MỤC ĐÍCH
Bảo đảm tem phiếu đến đúng người.
II. NỘI DUNG GIÁM SÁT
1. Giám sát việc lập danh sách hộ ngư dân được hỗ trợ
- Số hộ, số tàu thuyền được lập danh sách.
* Thời gian thực hiện:
+ Đợt 1: Trong khoảng thời gian từ ngày 02/3/2027 đến ngày 10/3/2027.
+ Đợt 2: Trong khoảng thời gian từ ngày 05/6/2027 đến 17 giờ 00, ngày 12/6/2027.
2. Giám sát việc phát tem phiếu tại các tổ dân phố
- Thái độ phục vụ của cán bộ phát tem phiếu.
* Thời gian thực hiện: Trong khoảng thời gian từ ngày 14/6/2027 đến ngày 20/6/2027.
III. TỔ CHỨC CÁC BUỔI ĐỐI THOẠI
Các buổi đối thoại với ngư dân được tổ chức trong khoảng từ ngày 01/7/2027 đến ngày 05/7/2027, cụ thể như sau:
1. Mời dự đối thoại
- Hội Nông dân phường gửi thư mời đến các hộ ngư dân có tên trong danh sách.
IV. TỔ CHỨC THỰC HIỆN
1. Đề nghị Ủy ban nhân dân phường phối hợp
- Bố trí hội trường, loa đài phục vụ các buổi đối thoại với ngư dân.
Nơi nhận:
- Lưu: VT.
TM. BAN THƯỜNG TRỰC
CHỦ TỊCH
Đàm Thị Sen
"""


def test_rounds_section_windows_and_subjects(tmp_path: Path) -> None:
    plan = tmp_path / "giam_sat_tem_phieu.txt"
    plan.write_text(ROUNDS_PLAN, encoding="utf-8")
    document = _extract(plan)
    listing = _task(document, "Giám sát việc lập danh sách hộ ngư dân")
    # two rounds: from the first day of the first to the last day of the second (the hour does not count)
    assert _window(listing) == ("2027-03-02", "2027-06-12", None)
    assert _window(_task(document, "Giám sát việc phát tem phiếu")) == ("2027-06-14", "2027-06-20", None)
    # a body the lexicon knows is the subject whatever its verb; the section's opening paragraph dates it
    invite = _task(document, "Hội Nông dân phường gửi thư mời")
    assert invite["lead_agency"].startswith("Hội Nông dân")
    assert _window(invite) == ("2027-07-01", "2027-07-05", None)
    # `Đề nghị Ủy ban nhân dân phường phối hợp`: the heading's verb is not part of the name
    hall = _task(document, "Bố trí hội trường")
    assert hall["lead_agency"].startswith("Ủy ban nhân dân phường") and "phối hợp" not in hall["lead_agency"]
