"""A Government programme written for this test (its ministries, council and ports appear nowhere else in the
repository), extracted through the `vnplan` command: the constructions of central plans that the agencies
extractor reads by grammar and role.

- an appendix table whose header is printed on three lines (`Cơ quan` / `TT | Tên nhiệm vụ` / `chủ trì | phối
  hợp`): the cooperating column is read;
- a collective of ministries (`Các Bộ, ngành, địa phương`) leads as written, and cooperates with nobody in
  particular;
- a committee named by its field (`Hội đồng Quốc gia về ...`): `về` is part of its name; the same council
  shortened elsewhere (`Hội đồng quốc gia bãi đá ngầm ven bờ`) is the same body;
- the national broadcasters and news agency by their call signs (`VTV`, `TTXVN`);
- a capitalised `Và` joining a body and a hedge (`Bộ X Và các cơ quan ... liên quan`);
- the committees of the centrally-run cities only, a set of its own beside those of all provinces and cities;
- `Trên cơ sở đề xuất của <bodies>, <Bộ X> tổng hợp`: the subject is the body the verb follows;
- a collective heading whose second name shares the plural (`Các Cảng cá loại I, Cảng cá loại II và hiệp hội,
  doanh nghiệp liên quan`);
- lead cells listing fields (`Các Bộ: NN&MT, Tư pháp`) or running two bodies together (`Các Bộ, cơ quan Ủy ban
  nhân dân ...`); one set of committees written `tỉnh/thành phố` and `tỉnh, thành phố`; a collective joined by `và`;
- `Trong quá trình thực hiện, nếu có vướng mắc, ...`: a rule for what may arise, no duty.
"""

from __future__ import annotations

import pytest

from tests.conftest import vnplan_extract

REEF_PROGRAMME = """CHÍNH PHỦ
Số: 311/NQ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 14 tháng 5 năm 2027

CHƯƠNG TRÌNH HÀNH ĐỘNG
Bảo vệ các bãi đá ngầm ven bờ giai đoạn 2027 - 2031

I. MỤC TIÊU
Bảo vệ và phục hồi các bãi đá ngầm ven bờ, bảo đảm an toàn hàng hải.

II. TỔ CHỨC THỰC HIỆN
1. Bộ Hàng hải chủ trì, phối hợp với các Bộ, ngành, địa phương theo dõi, đôn đốc việc thực hiện Chương trình \
hành động, báo cáo Chính phủ hằng năm.
2. Trên cơ sở đề xuất của các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương, \
Bộ Thủy văn tổng hợp, trình cấp có thẩm quyền bố trí kinh phí hằng năm để thực hiện Chương trình hành động.
3. Các Cảng cá loại I, Cảng cá loại II và hiệp hội, doanh nghiệp liên quan
a) Lắp đặt phao đánh dấu các bãi đá ngầm trong vùng nước cảng, hoàn thành trong năm 2028.
b) Thu gom ngư cụ bị bỏ lại trên các bãi đá ngầm, thực hiện hằng năm.
4. Trong quá trình thực hiện, nếu có vướng mắc phát sinh, các Bộ, ngành, địa phương kịp thời báo cáo Bộ Hàng hải \
để tổng hợp, trình Chính phủ xem xét.

PHỤ LỤC
DANH MỤC NHIỆM VỤ
| | | Cơ quan | Cơ quan | Thời hạn |
| TT | Tên nhiệm vụ | | | |
| | | chủ trì | phối hợp | hoàn thành |
| 1. | Lập bản đồ các bãi đá ngầm ven bờ và công bố trên cổng thông tin | Bộ Hàng hải | Các Bộ, ngành, địa \
phương, Hội đồng Quốc gia về các bãi đá ngầm ven bờ, VTV, TTXVN | Năm 2028 |
| 2. | Tuyên truyền về bảo vệ các bãi đá ngầm trong cộng đồng ngư dân | Các Bộ, ngành, địa phương | Bộ Hàng hải \
| Thực hiện thường xuyên |
| 3. | Xây dựng quy chế khai thác hải sản gần các bãi đá ngầm | Bộ Hàng hải, Hội đồng quốc gia bãi đá ngầm ven \
bờ | Bộ Thủy văn Và các cơ quan, tổ chức liên quan | Quý II/2028 |
| 4. | Bố trí lực lượng tuần tra các bãi đá ngầm gần cảng | Ủy ban nhân dân các thành phố trực thuộc Trung \
ương | Bộ Thủy văn | Năm 2029 |
| 5. | Khảo sát độ sâu quanh các bãi đá ngầm | Các Bộ: NN&MT, Tư pháp | Bộ Thủy văn | Năm 2030 |
| 6. | Chia sẻ dữ liệu quan trắc các bãi đá ngầm | Các Bộ, cơ quan Ủy ban nhân dân các tỉnh, thành phố | | \
Thường xuyên |
| 7. | Diễn tập cứu hộ tàu cá gặp nạn trên bãi đá ngầm | Ủy ban nhân dân các tỉnh/thành phố | Bộ Hàng hải | \
Năm 2029 |
| 8. | Bố trí kinh phí thả phao tiêu | Các Bộ, ngành và địa phương | Bộ Thủy văn | Hằng năm |

Nơi nhận:
- Lưu: VT.
TM. CHÍNH PHỦ
THỦ TƯỚNG

Lê Minh Khoa
"""

COUNCIL = "Hội đồng Quốc gia về các bãi đá ngầm ven bờ"


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return vnplan_extract(tmp_path_factory.mktemp("central") / "reef_programme.txt", REEF_PROGRAMME)


def _task(record: dict, text_start: str) -> dict:
    return next(t for t in record["tasks"] if t["text"].startswith(text_start))


def test_a_table_header_on_three_lines_gives_the_cooperating_column(programme: dict) -> None:
    charting = _task(programme, "Lập bản đồ các bãi đá ngầm")
    assert charting["lead_agency"] == "Bộ Hàng hải"
    # the collective of all ministries and localities cooperates with nobody in particular; the council keeps
    # `về` in its name; the call signs are the national broadcaster and news agency
    assert charting["cooperating_agencies"] == [COUNCIL, "Đài Truyền hình Việt Nam", "Thông tấn xã Việt Nam"]
    assert charting["deadline"]["start"] == "2028-01-01"


def test_a_collective_of_ministries_leads_as_written(programme: dict) -> None:
    outreach = _task(programme, "Tuyên truyền về bảo vệ")
    assert outreach["lead_agency"] == "Các Bộ, ngành, địa phương"
    assert outreach["cooperating_agencies"] == ["Bộ Hàng hải"]
    # in prose, `phối hợp với các Bộ, ngành, địa phương` names no cooperating body either
    assert _task(programme, "Bộ Hàng hải chủ trì")["cooperating_agencies"] == []


def test_a_shortened_name_and_a_capital_va(programme: dict) -> None:
    rules = _task(programme, "Xây dựng quy chế khai thác")
    assert rules["lead_agency"] == "Bộ Hàng hải"
    assert set(rules["cooperating_agencies"]) == {COUNCIL, "Bộ Thủy văn"}


def test_the_committees_of_the_cities_are_a_set_of_their_own(programme: dict) -> None:
    assert _task(programme, "Bố trí lực lượng tuần tra")["lead_agency"] == (
        "Ủy ban nhân dân các thành phố trực thuộc Trung ương"
    )
    # the provinces' and cities' committees are named only in a fronted `Trên cơ sở đề xuất của ...` clause: whose
    # proposals, not a body the duty is given to (the gold conventions: cooperating bodies come from `phối hợp`)
    owners = _task(programme, "Trên cơ sở đề xuất")
    assert owners["lead_agency"] == "Bộ Thủy văn"
    assert "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương" not in owners["cooperating_agencies"]


def test_the_subject_after_a_clause_naming_who_proposes(programme: dict) -> None:
    assert _task(programme, "Trên cơ sở đề xuất")["lead_agency"] == "Bộ Thủy văn"


def test_a_second_name_shares_the_plural_of_a_collective_heading(programme: dict) -> None:
    buoys = _task(programme, "Lắp đặt phao đánh dấu")
    assert buoys["lead_agency"] == "Các Cảng cá loại I"
    assert buoys["cooperating_agencies"] == ["Các Cảng cá loại II"]


def test_a_lead_cell_that_lists_fields_or_runs_two_bodies_together(programme: dict) -> None:
    survey = _task(programme, "Khảo sát độ sâu")
    # `Các Bộ: NN&MT, Tư pháp`: the first field's ministry leads, the others cooperate
    assert survey["lead_agency"] == "Bộ Nông nghiệp và Môi trường"
    assert survey["cooperating_agencies"] == ["Bộ Thủy văn", "Bộ Tư pháp"]
    # a wrapped cell's lines run together without a comma: two bodies
    sharing = _task(programme, "Chia sẻ dữ liệu")
    assert sharing["lead_agency"] == "Các Bộ, cơ quan"
    assert sharing["cooperating_agencies"] == ["Ủy ban nhân dân các tỉnh, thành phố"]


def test_one_set_of_committees_or_collective_however_joined(programme: dict) -> None:
    # `tỉnh/thành phố` beside `tỉnh, thành phố` in the same plan: the same committees
    assert _task(programme, "Diễn tập cứu hộ")["lead_agency"] == "Ủy ban nhân dân các tỉnh, thành phố"
    # `Các Bộ, ngành và địa phương` is the collective `Các Bộ, ngành, địa phương`
    assert _task(programme, "Bố trí kinh phí thả phao")["lead_agency"] == "Các Bộ, ngành, địa phương"


def test_a_rule_for_what_may_arise_is_no_duty(programme: dict) -> None:
    assert not [t for t in programme["tasks"] if t["text"].startswith("Trong quá trình thực hiện")]


def test_the_programmes_agencies(programme: dict) -> None:
    assert {a["name"] for a in programme["agencies"]} == {
        "Bộ Hàng hải",
        "Bộ Thủy văn",
        "Các Cảng cá loại I",
        "Các Cảng cá loại II",
        COUNCIL,
        "Đài Truyền hình Việt Nam",
        "Thông tấn xã Việt Nam",
        "Các Bộ, ngành, địa phương",
        "Ủy ban nhân dân các thành phố trực thuộc Trung ương",
        "Bộ Nông nghiệp và Môi trường",
        "Bộ Tư pháp",
        "Các Bộ, cơ quan",
        "Ủy ban nhân dân các tỉnh, thành phố",
    }
