"""Plans written for this test, with counted things and issuers found nowhere else in the repository,
extracted through the `vnplan` command: units come from grammar, issuers from the header's shape."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import vnplan_extract

ROOT = Path(__file__).resolve().parent.parent

PARTY_PROGRAM = """ĐẢNG BỘ TỈNH QUẢNG TRỊ
HUYỆN ỦY HƯỚNG HÓA
*
Số: 15 -CTr/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Hướng Hóa, ngày 12 tháng 3 năm 2027

CHƯƠNG TRÌNH HÀNH ĐỘNG
Phát triển du lịch sinh thái gắn với bảo vệ rừng đầu nguồn giai đoạn 2027 - 2030

Thực hiện Nghị quyết số 08-NQ/TU ngày 05/01/2027 của Tỉnh ủy về phát triển du lịch sinh thái, Ban Thường vụ
Huyện ủy xây dựng Chương trình hành động như sau:

I. MỤC TIÊU
1. Giai đoạn 2027 - 2028
- Xây dựng 05 điểm du lịch cộng đồng tại các xã vùng cao.
- Hoàn thành 3 khu xử lý chất thải rắn trên địa bàn huyện.
2. Giai đoạn 2029 - 2030
- Trồng mới ít nhất 120 ha rừng phòng hộ đầu nguồn.
- Thu hút từ 3 - 5 nhà đầu tư vào chế biến lâm sản.
- Doanh thu từ du lịch tăng gấp 2 lần so với năm 2026.
- Dành 2% tổng chi ngân sách huyện cho bảo tồn đa dạng sinh học.
- Tỷ lệ hộ làm du lịch có thu nhập khá tăng 1,5-2% mỗi năm.
- Tỷ lệ hộ nghèo vùng đồng bào giảm nhanh và bền vững.

II. NHIỆM VỤ, GIẢI PHÁP
1. Các tổ chức cơ sở đảng lãnh đạo thực hiện Chương trình; hằng năm báo cáo Ban Thường vụ Huyện ủy.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC

Hồ Văn Lâm
"""

DEPARTMENT_PLAN = """UBND TỈNH KON TUM
SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
Số: 27 /KH-SNNMT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Kon Tum, ngày 09 tháng 4 năm 2027

KẾ HOẠCH
Phát triển vùng nguyên liệu sâm dưới tán rừng năm 2027

Căn cứ Quyết định số 310/QĐ-UBND ngày 02/02/2027 của Ủy ban nhân dân tỉnh về vùng dược liệu;
Sở Nông nghiệp và Môi trường ban hành Kế hoạch như sau:

I. MỤC TIÊU CỤ THỂ
- Hình thành 4 chuỗi liên kết tiêu thụ dược liệu.
- Cấp 12 mã số vùng trồng cho các hợp tác xã.
- Sản lượng củ sâm thu hoạch đạt 45.000 trong năm.

II. TỔ CHỨC THỰC HIỆN
Các phòng chuyên môn thuộc Sở triển khai Kế hoạch này./.

Nơi nhận:
- UBND tỉnh;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Y Nhăn Mlô
"""


def _extract(tmp_path: Path, name: str, text: str) -> dict:
    return vnplan_extract(tmp_path / name, text)


def test_a_party_committee_program_read_by_grammar(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "huyen_uy_du_lich.txt", PARTY_PROGRAM)
    meta = doc["metadata"]
    assert (meta["doc_type"], meta["doc_number"], meta["issued_date"]) == (
        "Chương trình hành động",
        "15-CTr/HU",
        "2027-03-12",
    )
    assert meta["issuer"] == "Huyện ủy Hướng Hóa"
    assert (meta["signer_title"], meta["signer_name"]) == ("Phó Bí thư Thường trực", "Hồ Văn Lâm")
    got = [(t["value"], t["comparator"], t["unit"], t["year"]) for t in doc["targets"]]
    assert got == [
        (5, "=", "điểm du lịch", 2028),  # a count of a thing no list names; the year of its phase
        (3, "=", "khu xử lý", 2028),
        (120, ">=", "ha", 2030),  # a unit of measure
        (3, ">=", "nhà đầu tư", 2030),  # a range: its lower bound, at least
        (2, "=", "lần", 2030),  # a multiple
        (2, "=", "%", 2030),  # a share of a budget
        (1.5, ">=", "%", None),  # a range of shares, recurring every year: no due year
    ]
    for target in doc["targets"]:
        assert str(target["value"]).split(".")[0] in target["text"].replace(",", ".")
    warned = [(w["code"], w["message"]) for w in doc["warnings"]]
    assert any(code == "target_without_number" and "hộ nghèo" in message for code, message in warned)


def test_a_department_plan_and_a_number_without_a_unit(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "so_nong_nghiep_sam.txt", DEPARTMENT_PLAN)
    meta = doc["metadata"]
    assert (meta["doc_number"], meta["issuer"], meta["province"]) == (
        "27/KH-SNNMT",
        "Sở Nông nghiệp và Môi trường",
        "Kon Tum",
    )
    assert (meta["signer_title"], meta["signer_name"]) == ("Phó Giám đốc", "Y Nhăn Mlô")
    got = [(t["value"], t["unit"], t["year"]) for t in doc["targets"]]
    assert got == [(4, "chuỗi liên kết", 2027), (12, "mã số", 2027)]
    (warning,) = [w for w in doc["warnings"] if w["code"] == "target_number_unparsed"]
    assert "45.000" in warning["message"] and warning["span"]["page"] == 1


# A commune-level command's plan: its title names no year, it is issued in December and its schedule runs
# into the next year; its goals include a time limit counted from an event; its appendix states a goal only
# in the results column of the task table.
RESCUE_PLAN = """UBND HUYỆN BẮC YÊN
BAN CHỈ HUY PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN
Số: 41/KH-BCH

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Bắc Yên, ngày 15 tháng 12 năm 2027

KẾ HOẠCH
Ứng phó sạt lở đất và lũ ống tại các bản vùng cao Tà Xùa

Căn cứ Quyết định số 112/QĐ-UBND ngày 02/11/2027 của Ủy ban nhân dân huyện Bắc Yên;

I. MỤC TIÊU

- Bảo đảm người bị nạn tại vùng sạt lở được đưa ra khỏi khu vực nguy hiểm trong 48 giờ đầu kể từ khi xảy ra sự cố.
- Dựng mới 14 chòi canh lũ ống tại các suối đầu nguồn.
- Trang bị 09 xuồng cứu sinh cho các bản ven suối.

II. TỔ CHỨC THỰC HIỆN

1. Đợt 1: diễn tập từ ngày 05/01/2028 đến ngày 20/01/2028.

2. Đợt 2: tổng kết trước ngày 30/3/2028.

Nơi nhận:
- UBND huyện;
- Lưu: VT.

TM. BAN CHỈ HUY
TRƯỞNG BAN

Quàng Văn Pấng

PHỤ LỤC
NHIỆM VỤ CỤ THỂ

| STT | Nội dung nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Kết quả, sản phẩm | Thời gian hoàn thành |
|---|---|---|---|---|---|
| 1 | Kiểm tra điểm sạt lở | Phòng Nông nghiệp | UBND các xã | Bảo đảm 100% bản vùng cao được kiểm tra. | Tháng 4/2028 |
| 2 | Tổ chức diễn tập cứu nạn | Ban Chỉ huy Quân sự huyện | Công an huyện | Báo cáo kết quả diễn tập | Tháng 5/2028 |
"""


def test_a_time_limit_a_schedule_horizon_and_a_goal_in_a_results_column(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "ban_chi_huy_sat_lo.md", RESCUE_PLAN)
    got = [(t["comparator"], t["value"], t["unit"], t["year"]) for t in doc["targets"]]
    assert got == [
        ("<=", 48, "giờ", None),  # within 48 hours of each event: at most, and no due year
        ("=", 14, "chòi canh", 2028),  # the title names no year: the plan runs to its schedule's end
        ("=", 9, "xuồng cứu sinh", 2028),
        ("=", 100, "%", 2028),  # `Bảo đảm 100% ...` in the results cell, due with its row
    ]
    meta = doc["metadata"]
    assert (meta["doc_number"], meta["issued_date"]) == ("41/KH-BCH", "2027-12-15")
    assert meta["issuer"].lower() == "ban chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn"
    assert (meta["signer_title"], meta["signer_name"]) == ("Trưởng ban", "Quàng Văn Pấng")


# A boarding school's plan as a scanner's text layer left it: the two issuer lines run together, the
# receiving office's stamp printed across the title, no signature block.
SCHOOL_PLAN = """SỞ GIÁO DỤC VÀ ĐÀO TẠO
TRƯỜNG PHỔ THÔNG DÂN TỘC NỘI TRÚ MÙ CANG CHẢI
Số: 19/KH-PTDTNT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Mù Cang Chải, ngày 04 tháng 9 năm 2027

KẾ HOẠCH
ĐẾN Ngày 0609 Tổ chức ngày hội khèn Mông Chuyển: ........... cho học sinh năm học 2027 - 2028

I. MỤC TIÊU
- Có ít nhất 30 đội khèn học sinh tham gia.

II. TỔ CHỨC THỰC HIỆN
Các tổ chuyên môn triển khai thực hiện.
"""


def test_a_school_issuer_under_its_department_and_a_stamp_across_the_title(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "truong_noi_tru_khen.txt", SCHOOL_PLAN)
    meta = doc["metadata"]
    assert meta["issuer"].lower() == "trường phổ thông dân tộc nội trú mù cang chải"
    assert meta["title"] == "Tổ chức ngày hội khèn Mông cho học sinh năm học 2027 - 2028"
    # no signature block: the header's names are the issuer's, nobody signs
    assert (meta["signer_name"], meta["signer_title"]) == (None, None)
    assert [(t["comparator"], t["value"], t["unit"]) for t in doc["targets"]] == [(">=", 30, "đội khèn")]


def test_a_type_line_whose_stacked_mark_ocr_read_as_a_second_letter_is_still_the_plan_heading(tmp_path: Path) -> None:
    """OCR of a scanned header reads `KẾ HOẠCH` as `KÉẺ HOẠCH`: the plan's type, title and horizon are
    still found (invented plan; the type word garbled as a scan garbles it)."""
    text = "\n".join(
        [
            "ỦY BAN NHÂN DÂN",
            "HUYỆN VÂN THẠCH",
            "Số: 41/KH-UBND",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Vân Thạch, ngày 03 tháng 4 năm 2027",
            "KÉẺ HOẠCH",
            "Phục hồi rừng ngập mặn ven đầm Lạc Thủy giai đoạn 2027 - 2029",
            "I. MỤC TIÊU",
            "Phấn đấu đến năm 2029 trồng mới 35 ha rừng ngập mặn.",
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Phòng Nông nghiệp và Môi trường huyện chủ trì, hoàn thành trước ngày 30/12/2027.",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Lò Văn Quảng",
        ]
    )
    doc = _extract(tmp_path, "van_thach.txt", text)
    meta = doc["metadata"]
    assert meta["doc_type"] == "Kế hoạch"
    assert meta["title"].startswith("Phục hồi rừng ngập mặn")
    assert [(t["value"], t["unit"], t["year"]) for t in doc["targets"]] == [(35.0, "ha", 2029)]
