"""A provincial plan written for this test (its council, board and lenders appear nowhere else in the repository),
extracted through the `vnplan` command: bodies named by role and by the plan's own declarations.

- `<full name> (gọi tắt là <short name>)`: where the plan then uses the short name, the body is the full one, and a
  full name ending in its level takes the province;
- `phối hợp với các tổ chức <...> thực hiện`: after `các`, `tổ chức` is a noun, and the bodies cooperate;
- `phối hợp UBND tỉnh`: the issuing committee named as a partner in so many words cooperates;
- `gửi Sở X để tổng hợp`: a body a result is sent to is a recipient, not a partner;
- the management board of the province's zones named with no place is the province's;
- `cơ sở Y tế` (a facility) is no `Sở Y tế`;
- `UBND xã, phường` beside `UBND các xã, phường` is one set of committees;
- `... và hệ thống <...>` in a list of bodies: the system of stations is a body of its own; `tính` ending a name is
  a mistyped `tỉnh`;
- the unit in parentheses after a body (`Văn phòng UBND tỉnh (Trung tâm ...)`) is that body's own, no partner.
"""

from __future__ import annotations

import pytest

from tests.conftest import vnplan_extract

CLINIC_PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
Số: 77/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Giang, ngày 03 tháng 3 năm 2027

KẾ HOẠCH
Phát động phong trào thi đua nâng cấp trạm xá vùng cao năm 2027

I. MỤC ĐÍCH, YÊU CẦU
Nâng cấp các cơ sở Y tế tuyến xã vùng cao, bảo đảm khám chữa bệnh cho người dân.

II. NỘI DUNG
1. Xét khen thưởng
a) Trên cơ sở kết quả chấm điểm, Hội đồng Xét duyệt sáng kiến ngành Y tế tỉnh \
(gọi tắt là Hội đồng xét duyệt) xét chọn tập thể, cá nhân tiêu biểu.

III. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
a) Chủ trì, phối hợp với các tổ chức tín dụng vi mô thực hiện cho vay ưu đãi nâng cấp trạm xá.
b) Tổng hợp kết quả thực hiện, báo cáo định kỳ hằng quý, gửi Sở Tài chính để tổng hợp.
c) Hướng dẫn UBND xã, phường lập danh sách trạm xá cần nâng cấp trước ngày 30/4/2027.
2. Ban Quản lý các khu chế biến nông sản
a) Chủ trì phối hợp UBND tỉnh, Sở Y tế vận động doanh nghiệp trong các khu chế biến nông \
sản ủng hộ trang thiết bị cho trạm xá.
3. Báo Hà Giang, Trung tâm Truyền thông tính và hệ thống loa truyền thanh thôn bản
a) Đưa tin về phong trào thi đua trên các kênh của đơn vị, thực hiện thường xuyên.
4. Ủy ban nhân dân các xã, phường
a) Rà soát trạm xá xuống cấp trên địa bàn, báo cáo trước ngày 31/3/2027.
5. Văn phòng Ủy ban nhân dân tỉnh
a) Tiếp nhận hồ sơ đề nghị khen thưởng trực tuyến tại Văn phòng Ủy ban nhân dân tỉnh (Trung tâm Phục vụ hành \
chính công tỉnh).
6. Hội đồng xét duyệt
a) Tổ chức họp xét các cơ sở Y tế tuyến xã đạt chuẩn, đề nghị khen thưởng trước ngày 15/12/2027.

Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Vàng Seo Lử
"""

PLACE = "tỉnh Hà Giang"


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return vnplan_extract(tmp_path_factory.mktemp("province") / "clinic_plan.txt", CLINIC_PLAN)


def _task(record: dict, task_id: str) -> dict:
    return next(t for t in record["tasks"] if t["id"] == task_id)


def test_a_declared_short_name_is_the_full_name(plan: dict) -> None:
    council = _task(plan, "III.6.a")
    assert council["lead_agency"] == f"Hội đồng Xét duyệt sáng kiến ngành Y tế {PLACE}"
    # `các cơ sở Y tế tuyến xã` are facilities, not the department
    assert council["cooperating_agencies"] == []


def test_lenders_after_cac_cooperate_and_a_recipient_does_not(plan: dict) -> None:
    assert _task(plan, "III.1.a")["cooperating_agencies"] == ["Các tổ chức tín dụng vi mô"]
    assert _task(plan, "III.1.b")["cooperating_agencies"] == []


def test_a_zone_board_takes_the_province_and_the_issuer_named_as_partner_cooperates(plan: dict) -> None:
    board = _task(plan, "III.2.a")
    assert board["lead_agency"] == f"Ban Quản lý các khu chế biến nông sản {PLACE}"
    assert set(board["cooperating_agencies"]) == {"Sở Y tế", f"Ủy ban nhân dân {PLACE}"}


def test_the_same_committees_with_and_without_cac(plan: dict) -> None:
    assert _task(plan, "III.1.c")["cooperating_agencies"] == ["Ủy ban nhân dân các xã, phường"]


def test_a_system_of_stations_after_va_is_a_body_and_a_misread_level_is_the_province(plan: dict) -> None:
    news = _task(plan, "III.3.a")
    assert news["lead_agency"] == "Báo Hà Giang"
    assert news["cooperating_agencies"] == [f"Trung tâm Truyền thông {PLACE}", "Hệ thống loa truyền thanh thôn bản"]


def test_the_unit_in_parentheses_of_the_lead_does_not_cooperate(plan: dict) -> None:
    office = _task(plan, "III.5.a")
    assert office["lead_agency"] == f"Văn phòng Ủy ban nhân dân {PLACE}"
    assert office["cooperating_agencies"] == []


def test_the_plans_agencies(plan: dict) -> None:
    assert {a["name"] for a in plan["agencies"]} == {
        "Sở Y tế",
        "Các tổ chức tín dụng vi mô",
        f"Ban Quản lý các khu chế biến nông sản {PLACE}",
        f"Ủy ban nhân dân {PLACE}",
        f"Hội đồng Xét duyệt sáng kiến ngành Y tế {PLACE}",
        "Ủy ban nhân dân các xã, phường",
        "Báo Hà Giang",
        f"Trung tâm Truyền thông {PLACE}",
        "Hệ thống loa truyền thanh thôn bản",
        f"Văn phòng Ủy ban nhân dân {PLACE}",
    }
