"""Plans of a Fatherland Front committee and of a university's units, written for this test (their bodies appear
nowhere else in the repository), extracted through the `vnplan` command: the bodies a list of posts names through
their heads, lexicon bodies and election committees after `phối hợp với`, the issuer named as whom a duty reports
to (not a cooperating body), a section on whom the plan covers (no duties), a committee `cùng cấp` (no body), a
subject after `Đối với ... thì` and a section's closing deadline; a heading naming a set of units by their plural,
several units as one duty's subject, and a counted set after `và`."""

from __future__ import annotations

import pytest

from tests.conftest import vnplan_extract

FRONT_PLAN = """ỦY BAN MTTQ VIỆT NAM
XÃ TÀ LÙNG
BAN THƯỜNG TRỰC
Số: 41/KH-MTTQ-BTT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tà Lùng, ngày 03 tháng 12 năm 2027

KẾ HOẠCH
Tham gia công tác bầu cử bổ sung đại biểu Hội đồng nhân dân xã năm 2028

Căn cứ Hướng dẫn số 12/HD-MTTQ-BTT ngày 20/11/2027 của Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh, Ban Thường trực
Ủy ban MTTQ Việt Nam xã Tà Lùng ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm cuộc bầu cử bổ sung dân chủ, đúng luật, an toàn và tiết kiệm.

II. ĐỐI TƯỢNG GIÁM SÁT
Ban Thường trực Ủy ban MTTQ Việt Nam xã giám sát hoạt động của Công an xã và các tổ chức phụ trách bầu cử.

III. NỘI DUNG, TIẾN ĐỘ THỰC HIỆN
1. Soạn thảo hướng dẫn hiệp thương giới thiệu người ứng cử bổ sung.
- Thời gian hoàn thành: Tháng 01/2028.
- Đơn vị chủ trì: Đồng chí Phó Chủ tịch Thường trực
- Đơn vị phối hợp: Các đ/c Phó Chủ tịch, Trưởng chi hội thôn, chuyên viên cơ quan MTTQ xã.
2. Phối hợp với Ủy ban bầu cử xã, Thường trực Hội đồng nhân dân xã, Ủy ban nhân dân xã bố trí nơi niêm yết danh sách
cử tri tại các khu vực bỏ phiếu.
- Thời gian hoàn thành: Tháng 02/2028.
- Đơn vị chủ trì: Đồng chí Phó Chủ tịch Thường trực
- Đơn vị phối hợp: Các đ/c Phó Chủ tịch, Trưởng chi hội thôn, chuyên viên cơ quan MTTQ xã.

IV. TRÁCH NHIỆM XÁC MINH Ý KIẾN CỬ TRI
1. Đối với ý kiến về nơi làm việc thì cơ quan, tổ chức, đơn vị quản lý người được đề cử có trách nhiệm xác minh và trả
lời bằng văn bản cho Ban Thường trực Ủy ban MTTQ Việt Nam cấp tổ chức hiệp thương.
2. Đối với ý kiến về nơi cư trú thì Ủy ban bầu cử có trách nhiệm xác minh và trả lời bằng văn bản.
3. Chậm nhất là ngày 10 tháng 3 năm 2028, việc xác minh và trả lời phải được hoàn thành.

V. THỜI GIAN THỰC HIỆN
1. Thời gian:
- Từ ngày 12/01/2028 - 15/01/2028: Ban Thường trực Ủy ban MTTQ Việt Nam xã trao đổi với các thôn về địa điểm niêm yết.

VI. TỔ CHỨC THỰC HIỆN
1. Hội Người cao tuổi xã
- Vận động hội viên đi bầu cử đầy đủ theo phân công của Ủy ban MTTQ Việt Nam xã.
- Kịp thời phản ánh tâm tư của hội viên với Ban Thường trực Ủy ban MTTQ Việt Nam xã.
2. Văn phòng Cơ quan Ủy ban MTTQ xã
- Chuẩn bị tài liệu cho các buổi hiệp thương và gửi hồ sơ người ứng cử đến Ban Thường trực Ủy ban MTTQ Việt Nam cùng
cấp nơi người đó cư trú.

Trên đây là Kế hoạch của Ban Thường trực Ủy ban MTTQ Việt Nam xã Tà Lùng./.

Nơi nhận:
- Lưu: VT.
TM. BAN THƯỜNG TRỰC
CHỦ TỊCH

Hà Thị Mỵ
"""

UNIVERSITY_PLAN = """BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
TRƯỜNG ĐẠI HỌC THỦY VĂN CỬU LONG
Số: 95/KH-ĐHTV
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Cần Thơ, ngày 14 tháng 8 năm 2027

KẾ HOẠCH
Kiểm định vật liệu phòng thí nghiệm năm học 2027 - 2028

Căn cứ Quyết định số 77/QĐ-ĐHTV ngày 02/8/2027 của Trường Đại học Thủy văn Cửu Long, Nhà trường ban hành Kế hoạch như
sau:

1. Mục đích
Bảo đảm vật liệu phòng thí nghiệm an toàn, đúng chuẩn trước năm học mới.

2. Phân công trách nhiệm
2.1. Phòng Quản trị cơ sở vật chất
- Phối hợp với Phòng Khảo thí và 03 khoa liên quan lập danh mục vật liệu cần kiểm định.
- Tổng hợp kết quả kiểm định, báo cáo Ban Giám hiệu trước ngày 30/9/2027.
2.2. Các khoa tham gia kiểm định
- Khoa Cơ điện, Khoa Ngoại ngữ và Khoa Hóa phân tích phối hợp kiểm kê vật liệu tại phòng thí nghiệm của khoa.
- Cử cán bộ đầu mối làm việc với Phòng Quản trị cơ sở vật chất trong suốt đợt kiểm định.

3. Đối tượng, phạm vi và thời gian kiểm định
3.1. Đối tượng kiểm định
Vật liệu hóa chất, mẫu đất và thiết bị đo của các phòng thí nghiệm.
3.2. Thời gian kiểm định
Thời gian kiểm định: từ ngày 05/9/2027 đến ngày 20/9/2027.

4. Quy trình thực hiện
- Bước 1: Phòng Khảo thí cung cấp danh mục phòng thí nghiệm cho các khoa.
- Bước 2: Phòng Quản trị cơ sở vật chất lập lịch kiểm định từng phòng thí nghiệm.
- Bước 3: Khoa niêm yết lịch kiểm định tại phòng thí nghiệm của mình.
- Bước 4: Các khoa phối hợp bàn giao mẫu vật liệu cho tổ kiểm định đúng lịch.

5. Tiến độ thực hiện
| TT | Nội dung công việc | Thời gian thực hiện | Đơn vị chủ trì |
| 1 | Lập danh mục vật liệu cần kiểm định | Trước ngày 01/9/2027 | Phòng Khảo thí |
| 2 | Kiểm định vật liệu tại phòng thí nghiệm | 05/9/2027 - 20/9/2027 | Phòng Quản trị cơ sở vật chất |

6. Tổ chức thực hiện
- Phòng Quản trị cơ sở vật chất là đầu mối theo dõi, đôn đốc việc kiểm định; báo cáo Ban Giám hiệu khi có vướng mắc.
- Trong quá trình thực hiện nếu có vướng mắc, các đơn vị gửi ý kiến về Phòng Khảo thí để tổng hợp.

Nơi nhận:
- Lưu: VT.
KT. HIỆU TRƯỞNG
PHÓ HIỆU TRƯỞNG

Lâm Quốc Vĩnh
"""


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return vnplan_extract(tmp_path_factory.mktemp("front") / "ke_hoach_mttq.txt", FRONT_PLAN)


@pytest.fixture(scope="module")
def university(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return vnplan_extract(tmp_path_factory.mktemp("university") / "ke_hoach_truong.txt", UNIVERSITY_PLAN)


def _task(doc: dict, opening: str) -> dict:
    return next(t for t in doc["tasks"] if t["text"].startswith(opening))


def _agencies(doc: dict) -> set[str]:
    return {a["name"] for a in doc["agencies"]}


def test_a_post_heading_another_body_names_that_body(front: dict) -> None:
    task = _task(front, "Soạn thảo hướng dẫn hiệp thương")
    assert task["lead_agency"] == "Ủy ban Mặt trận Tổ quốc Việt Nam xã Tà Lùng"
    # deputies and staff are the lead body's own; the heads of the village branches stand for them
    assert task["cooperating_agencies"] == ["Các chi hội thôn"]


def test_bodies_after_phoi_hop_voi_are_cooperating_with_the_communes_name(front: dict) -> None:
    task = _task(front, "Phối hợp với Ủy ban bầu cử xã")
    assert {
        "Ủy ban bầu cử xã Tà Lùng",
        "Thường trực Hội đồng nhân dân xã Tà Lùng",
        "Ủy ban nhân dân xã Tà Lùng",
    } <= set(task["cooperating_agencies"])
    assert not any(name.endswith("bầu") for name in _agencies(front))


def test_the_issuer_a_duty_reports_to_is_no_cooperating_body(front: dict) -> None:
    for opening in ("Vận động hội viên", "Kịp thời phản ánh"):
        task = _task(front, opening)
        assert task["lead_agency"] == "Hội Người cao tuổi xã Tà Lùng"
        assert task["cooperating_agencies"] == []


def test_a_scope_section_and_a_committee_of_the_same_level_assign_nothing(front: dict) -> None:
    assert not any(t["text"].startswith("Ban Thường trực Ủy ban MTTQ Việt Nam xã giám sát") for t in front["tasks"])
    names = _agencies(front)
    assert not any(name.startswith("Công an") for name in names)
    # `... cùng cấp`, `... cấp tổ chức hiệp thương`: no committee of the province
    assert not any(name.endswith(" tỉnh") for name in names)


def test_the_subject_after_doi_voi_thi_leads_by_the_sections_deadline(front: dict) -> None:
    first = _task(front, "Đối với ý kiến về nơi làm việc")
    assert first["lead_agency"] == "Cơ quan, tổ chức, đơn vị quản lý người được đề cử"
    second = _task(front, "Đối với ý kiến về nơi cư trú")
    assert second["lead_agency"] == "Ủy ban bầu cử"
    for task in (first, second):
        assert task["deadline"]["end"] == "2028-03-10"


def test_a_heading_naming_units_by_their_plural_leads_its_duties(university: dict) -> None:
    task = _task(university, "Cử cán bộ đầu mối")
    assert task["lead_agency"] == "Các khoa tham gia kiểm định"


def test_several_units_as_the_subject_lead_and_cooperate(university: dict) -> None:
    task = _task(university, "Khoa Cơ điện, Khoa Ngoại ngữ")
    assert task["lead_agency"] == "Khoa Cơ điện"
    assert {"Khoa Ngoại ngữ", "Khoa Hóa phân tích"} <= set(task["cooperating_agencies"])


def test_a_counted_set_after_va_ends_the_cooperating_names(university: dict) -> None:
    task = _task(university, "Phối hợp với Phòng Khảo thí")
    assert task["lead_agency"] == "Phòng Quản trị cơ sở vật chất"
    assert task["cooperating_agencies"] == ["Phòng Khảo thí"]
    assert "Phòng Khảo thí và 03 khoa liên quan" not in _agencies(university)


def test_a_window_from_tu_ngay_dates_the_duty(front: dict) -> None:
    task = _task(front, "Từ ngày 12/01/2028 - 15/01/2028")
    assert (task["deadline"]["start"], task["deadline"]["end"]) == ("2028-01-12", "2028-01-15")


def test_a_step_whose_subject_supplies_is_its_duty(university: dict) -> None:
    task = _task(university, "Bước 1: Phòng Khảo thí cung cấp")
    assert task["lead_agency"] == "Phòng Khảo thí"


def test_scope_items_and_a_table_heading_are_no_tasks(university: dict) -> None:
    texts = [t["text"] for t in university["tasks"]]
    assert not any("Thời gian kiểm định" in text for text in texts)
    assert not any(text.startswith("Tiến độ thực hiện") for text in texts)
    row = _task(university, "Kiểm định vật liệu tại phòng thí nghiệm")
    assert row["lead_agency"] == "Phòng Quản trị cơ sở vật chất"


def test_bullets_of_an_implementation_section_without_items(university: dict) -> None:
    task = _task(university, "Phòng Quản trị cơ sở vật chất là đầu mối")
    assert task["lead_agency"] == "Phòng Quản trị cơ sở vật chất"
    assert not any(t["text"].startswith("Trong quá trình thực hiện") for t in university["tasks"])
    assert not any(name.startswith("Các đơn vị") for name in _agencies(university))


def test_the_bare_noun_of_a_set_of_units_is_that_set(university: dict) -> None:
    for opening in ("Bước 3: Khoa niêm yết", "Bước 4: Các khoa phối hợp"):
        assert _task(university, opening)["lead_agency"] == "Các khoa tham gia kiểm định"
