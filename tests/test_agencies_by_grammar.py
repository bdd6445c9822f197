"""Agencies recognized by grammar and role in a plan written for this test, whose bodies appear nowhere else in
the repository, extracted through the `vnplan` command: a name with commas of its own, an abbreviation the plan
spells out elsewhere, units named through their body, a body named by its level (it takes the province), and
fields listed after `Các Sở:` in a table cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from normalizers.agencies import header_places, split_agencies
from tests.conftest import vnplan_extract

ROOT = Path(__file__).resolve().parent.parent

RIVERBANK_PLAN = """ỦY BAN NHÂN DÂN
TỈNH BÌNH PHƯỚC
Số: 214/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Bình Phước, ngày 09 tháng 4 năm 2027

KẾ HOẠCH
Khảo sát nền đất yếu và kiểm định công trình ven sông năm 2027

Căn cứ Quyết định số 118/QĐ-UBND ngày 20/01/2027 của Ủy ban nhân dân tỉnh, UBND tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
Đánh giá kịp thời nền đất yếu dọc các tuyến sông, bảo đảm an toàn công trình.

II. TỔ CHỨC THỰC HIỆN
1. Viện Địa chất, Khoáng sản và Tài nguyên nước miền Trung
a) Khảo sát, lập bản đồ nền đất yếu dọc sông Bé, hoàn thành trước ngày 30/6/2027.
b) Chuyển giao dữ liệu khảo sát cho Sở Xây dựng trước ngày 31/8/2027.
2. Trung tâm Kiểm định chất lượng công trình
a) Kiểm định 12 cầu dân sinh ven sông, hoàn thành trong quý III/2027.
b) Báo cáo kết quả kiểm định cho Ủy ban nhân dân tỉnh trước ngày 15/10/2027.
3. Các đơn vị trực thuộc Bộ Chỉ huy Quân sự tỉnh
Phối hợp với Trung tâm KĐCLCT bảo đảm an toàn khu vực khảo sát trong suốt thời gian thực hiện.
4. Công an tỉnh
Phối hợp với Viện Địa chất, Khoáng sản và Tài nguyên nước miền Trung giữ trật tự tại điểm khảo sát, thường xuyên.

Nơi nhận:
- Như mục II;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trần Văn Lộc

PHỤ LỤC
DANH MỤC NHIỆM VỤ
| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
| 1 | Rà soát định mức chi phí khảo sát nền đất yếu | Trung tâm KĐCLCT | Các Sở: Xây dựng, Tài chính | Tháng 5/2027 |
| 2 | Cắm mốc cảnh báo sạt lở | Các đơn vị trực thuộc Bộ Chỉ huy Quân sự tỉnh | Công an tỉnh | Quý IV/2027 |
"""

COMMUNE_PLAN = """ỦY BAN NHÂN DÂN
XÃ TÂN HÒA ĐÔNG
Số: 27/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tân Hòa Đông, ngày 02 tháng 6 năm 2027

KẾ HOẠCH
Phòng, chống sạt lở bờ kênh mùa mưa năm 2027

I. MỤC ĐÍCH, YÊU CẦU
Chủ động ứng phó sạt lở bờ kênh, bảo đảm an toàn tính mạng và tài sản của Nhân dân.

II. TỔ CHỨC THỰC HIỆN
1. Công an xã
Bố trí lực lượng trực tại các điểm sạt lở, thường xuyên.
2. Ban công tác Mặt trận các ấp trên địa bàn xã
- Vận động Nhân dân di dời nhà ở ven kênh trước ngày 15/7/2027.

Nơi nhận:
- Như mục II;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Lê Thị Cẩm Vân
"""


def _extract(tmp_path: Path, name: str, text: str) -> dict:
    return vnplan_extract(tmp_path / name, text)


def test_bodies_outside_the_lexicon_are_named_whole(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "khao_sat_nen_dat_yeu.txt", RIVERBANK_PLAN)
    tasks = {t["id"]: t for t in doc["tasks"]}
    institute = "Viện Địa chất, Khoáng sản và Tài nguyên nước miền Trung"  # its commas do not cut it
    centre = "Trung tâm Kiểm định chất lượng công trình"
    units = "Các đơn vị trực thuộc Bộ Chỉ huy Quân sự tỉnh Bình Phước"  # units named through their body
    police = "Công an tỉnh Bình Phước"  # named by its level: the plan's province is added
    assert tasks["II.1.a"]["lead_agency"] == institute
    assert tasks["II.1.b"]["cooperating_agencies"] == ["Sở Xây dựng"]
    assert tasks["II.2.a"]["lead_agency"] == centre
    # `Trung tâm KĐCLCT`: the abbreviation written out as the plan writes the name
    assert tasks["II.3"]["lead_agency"] == units and tasks["II.3"]["cooperating_agencies"] == [centre]
    # a cooperating body named in prose after `phối hợp với` keeps its whole name
    assert tasks["II.4"]["lead_agency"] == police and tasks["II.4"]["cooperating_agencies"] == [institute]
    rows = [t for t in doc["tasks"] if t["text"].startswith(("Rà soát định mức", "Cắm mốc"))]
    assert [(t["lead_agency"], t["cooperating_agencies"]) for t in rows] == [
        (centre, ["Sở Xây dựng", "Sở Tài chính"]),  # `Các Sở: Xây dựng, Tài chính`: one department per field
        (units, [police]),
    ]
    assert {a["name"]: a["roles"] for a in doc["agencies"]} == {
        institute: ["lead", "cooperate"],
        "Sở Xây dựng": ["cooperate"],
        centre: ["lead", "cooperate"],
        units: ["lead"],
        police: ["lead", "cooperate"],
        "Sở Tài chính": ["cooperate"],
    }


def test_a_communes_bodies_take_the_communes_name(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "xa_sat_lo_bo_kenh.txt", COMMUNE_PLAN)
    assert [t["lead_agency"] for t in doc["tasks"]] == [
        "Công an xã Tân Hòa Đông",
        "Ban công tác Mặt trận các ấp trên địa bàn xã",
    ]  # a place named by `trên địa bàn` is not its level


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("UBND các xã /phường", ["Ủy ban nhân dân các xã/phường"]),  # either level, as written
        ("Phòng Quản trị thiết bị và 03 tổ chuyên môn", ["Phòng Quản trị thiết bị"]),  # a count is no name
        ("Viện Hải dương, Sinh thái và Nguồn lợi ven bờ", ["Viện Hải dương, Sinh thái và Nguồn lợi ven bờ"]),
        ("Các đơn vị thuộc Sở Tài chính, Sở Y tế", ["Các đơn vị thuộc Sở Tài chính", "Sở Y tế"]),
        ("Các Sở: NN&MT, Tư pháp", ["Sở Nông nghiệp và Môi trường", "Sở Tư pháp"]),
        ("Trạm Quan trắc lún đất ven biển tổng hợp số liệu, báo cáo", ["Trạm Quan trắc lún đất ven biển"]),
    ],
)
def test_cells_name_bodies_by_grammar(cell: str, names: list[str]) -> None:
    assert split_agencies(cell) == names


def test_one_body_at_two_levels_is_two_agencies() -> None:
    assert split_agencies("UBND cấp huyện và cấp xã; Sở Y tế") == [
        "Ủy ban nhân dân cấp huyện",
        "Ủy ban nhân dân cấp xã",
        "Sở Y tế",
    ]


def test_the_header_names_the_issuers_place() -> None:
    header = (
        "ĐẢNG BỘ TỈNH ĐỒNG NAI\nĐẢNG ỦY XÃ PHÚ LÝ THƯỢNG\n*\nSố 09-KH/ĐU\n"
        "Phú Lý Thượng, ngày 3 tháng 5 năm 2027\nKẾ HOẠCH\n"
    )
    assert header_places(header) == {"xã": "Phú Lý Thượng"}  # spelled as the plan writes it, not in capitals
    assert header_places("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\nKẾ HOẠCH\n") == {}  # the province is metadata's
