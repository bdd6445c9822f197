"""Tasks from task tables, from `Tổ chức thực hiện`, from dated items; agencies gathered from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract_all
from extractors.context import Context
from extractors.tasks import extract
from pipeline.model.contract import Metadata
from pipeline.model.doctext import DocText
from pipeline.model.pages import PageText
from pipeline.structure.document import find_tables
from tests.conftest import draw_plan_pdf, vnplan_extract

PLAN = """KẾ HOẠCH
Ứng dụng trí tuệ nhân tạo trong cơ quan nhà nước tỉnh năm 2027
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao hiệu quả quản lý; hoàn thành trong năm 2027 các mục tiêu đề ra.
II. NHIỆM VỤ
1. Xây dựng hạ tầng
1.1. Khảo sát nhu cầu ứng dụng
a) Lập phiếu khảo sát các cơ quan
- Nội dung: thiết kế 03 mẫu phiếu.
- Thời gian thực hiện: tháng 3-4/2027.
b) Tổng hợp kết quả khảo sát
- Hình thức: phối hợp với Sở Nội vụ tổng hợp, báo cáo.
- Thời gian thực hiện: Quý II/2027.
1.2. Đào tạo cán bộ
Giao Sở Giáo dục và Đào tạo chủ trì mở 05 lớp tập huấn. Thời gian thực hiện: 6 tháng cuối năm 2027.
III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ
- Chủ trì, phối hợp với Sở Tài chính, UBND cấp xã triển khai Kế hoạch.
- Tổng hợp, báo cáo UBND tỉnh kết quả thực hiện.
2. Sở Tài chính: Hằng năm tham mưu bố trí kinh phí thực hiện Kế hoạch.
3. Các sở, ban, ngành tỉnh, UBND cấp xã
Căn cứ chức năng, nhiệm vụ chủ động triển khai các nội dung liên quan.
Căn cứ Kế hoạch này, các cơ quan, đơn vị có liên quan, UBND cấp xã định kỳ trước ngày 15 tháng 11 hằng năm \
báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ để tổng hợp./.
Nơi nhận:
- Bộ Khoa học và Công nghệ;
- Lưu: VT.
"""


def _ctx(text: str, plan_year: int | None = 2027) -> Context:
    doc = DocText([PageText(number=1, origin="plain", raw=text, text=text)])
    return Context(doc=doc, metadata=Metadata(), plan_year=plan_year, tables=find_tables(doc))


def _window(task) -> tuple:  # type: ignore[no-untyped-def]
    d = task.deadline
    return (d.start, d.end, d.recurrence) if d else (None, None, None)


def test_agency_duties_become_tasks_with_lead_and_cooperators() -> None:
    tasks = {t.id: t for t in extract(_ctx(PLAN))}
    # one task per duty: each bullet under the agency heading is the heading agency's
    kh = tasks["III.1-1"]
    assert kh.lead_agency == "Sở Khoa học và Công nghệ"
    assert kh.cooperating_agencies == ["Sở Tài chính", "Ủy ban nhân dân cấp xã"]  # UBND tỉnh is not one
    assert kh.text.startswith("Chủ trì, phối hợp") and "Tổng hợp" not in kh.text
    assert tasks["III.1-2"].lead_agency == "Sở Khoa học và Công nghệ"
    assert tasks["III.1-2"].text.startswith("Tổng hợp, báo cáo")
    assert "III.1" not in tasks  # the heading only names who does the duties below it
    assert tasks["III.2"].lead_agency == "Sở Tài chính" and _window(tasks["III.2"]) == (None, None, "annual")
    assert tasks["III.3"].lead_agency == "Các sở, ban, ngành tỉnh"
    assert tasks["III.3"].cooperating_agencies == ["Ủy ban nhân dân cấp xã"]
    assert "Căn cứ Kế hoạch này" not in tasks["III.3"].text  # the closing paragraph is its own duty


def test_closing_reporting_duty_is_a_task_of_the_section() -> None:
    duty = {t.id: t for t in extract(_ctx(PLAN))}["III"]
    assert duty.lead_agency == "Ủy ban nhân dân cấp xã"  # named after the generic "cơ quan liên quan"
    assert _window(duty) == (None, None, "annual")
    assert duty.deadline is not None and duty.deadline.text == "trước ngày 15 tháng 11 hằng năm"
    assert "Nơi nhận" not in duty.text


def test_dated_items_are_tasks_with_outline_ids() -> None:
    tasks = {t.id: t for t in extract(_ctx(PLAN))}
    assert _window(tasks["1.1.a"]) == ("2027-03-01", "2027-04-30", None)
    assert _window(tasks["1.1.b"]) == ("2027-04-01", "2027-06-30", None)
    assert tasks["1.1.b"].lead_agency == "Sở Khoa học và Công nghệ"  # the plan's coordinator
    assert tasks["1.1.b"].cooperating_agencies == ["Sở Nội vụ"]
    assert tasks["1.2"].lead_agency == "Sở Giáo dục và Đào tạo"  # "Giao X chủ trì"
    assert _window(tasks["1.2"]) == ("2027-07-01", "2027-12-31", None)
    assert "1" not in [t.id for t in tasks.values() if t.text.startswith("Nâng cao")]  # aims are not tasks


def test_spans_point_at_the_task() -> None:
    ctx = _ctx(PLAN)
    for task in extract(ctx):
        first_word = ctx.doc.span_text(task.span).split()[0]
        assert first_word in {f"{task.id}.", f"{task.id.split('.')[-1]})", task.text.split()[0]}


def test_task_table_rows_continued_across_pages() -> None:
    head = "| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Sản phẩm |"
    page1 = (
        "PHỤ LỤC\n" + head + "\n| I | Công tác chỉ đạo | | | | |\n"
        "| 1. | Ban hành quy chế dữ liệu | VP UBND tỉnh | Sở KH&CN, Sở Tư pháp | Q4/2026 – Q1/2027 | Quy chế |\n"
        "| 2. | Xây dựng cổng dữ liệu mở | Sở KH&CN | Các sở, ngành | Hằng năm từ 2027 | Cổng dữ liệu |"
    )
    page2 = "| | của tỉnh | | HHDN | | |\n| 3. | Đánh giá an toàn thông tin | Công an tỉnh | | Thường xuyên | |"
    doc = DocText(
        [
            PageText(number=1, origin="native", raw=page1, text=page1),
            PageText(number=2, origin="native", raw=page2, text=page2),
        ]
    )
    ctx = Context(doc=doc, metadata=Metadata(), plan_year=2027, tables=find_tables(doc))
    tasks = extract(ctx)
    assert [t.id for t in tasks] == ["1", "2", "3"]
    one, two, three = tasks
    assert one.lead_agency == "Văn phòng Ủy ban nhân dân tỉnh"
    assert one.cooperating_agencies == ["Sở Khoa học và Công nghệ", "Sở Tư pháp"]
    assert _window(one) == ("2026-10-01", "2027-03-31", None) and one.output == "Quy chế"
    assert two.text == "Xây dựng cổng dữ liệu mở của tỉnh"
    assert two.cooperating_agencies == ["Các sở, ban, ngành tỉnh", "Hiệp hội Doanh nghiệp tỉnh"]
    assert _window(two) == ("2027-01-01", None, "annual")
    assert three.lead_agency == "Công an tỉnh" and _window(three) == (None, None, "continuous")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "KẾ HOẠCH\nTuyên truyền về chuyển đổi số\nI. MỤC ĐÍCH\nNâng cao nhận thức của người dân năm 2027.",
        "| a | b |\n| c | d |",
    ],
)
def test_documents_without_tasks_give_empty_lists(text: str) -> None:
    doc = DocText([PageText(number=1, origin="plain", raw=text, text=text)])
    result = extract_all(doc)
    assert result.tasks == [] and result.agencies == []


def test_extract_all_lists_every_agency_named_in_a_task() -> None:
    doc = DocText([PageText(number=1, origin="plain", raw=PLAN, text=PLAN)])
    result = extract_all(doc)
    named = {n for t in result.tasks for n in [t.lead_agency, *t.cooperating_agencies] if n}
    assert named == {a.name for a in result.agencies}
    assert "Ủy ban nhân dân tỉnh" not in named


@pytest.mark.slow
def test_born_digital_plan_with_task_table(tmp_path: Path) -> None:
    from pipeline.convert import convert_file

    rows = [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"],
        ["1", "Số hóa hồ sơ lưu trữ của các sở", "Sở Nội vụ", "Sở KH&CN", "Quý III/2027"],
        ["2", "Xây dựng bản đồ số nông nghiệp", "Sở NN&MT", "UBND cấp xã", "Tháng 9/2027"],
    ]
    pdf = draw_plan_pdf(tmp_path / "plan.pdf", [["KẾ HOẠCH", "Chuyển đổi số năm 2027", "PHỤ LỤC", rows]])
    document = convert_file(pdf, ocr_workers=1).document
    tasks = {t.id: t for t in document.tasks}
    assert tasks["1"].lead_agency == "Sở Nội vụ" and tasks["1"].cooperating_agencies == ["Sở Khoa học và Công nghệ"]
    assert tasks["2"].deadline is not None and tasks["2"].deadline.end == "2027-09-30"
    assert {a.name for a in document.agencies} >= {
        "Sở Nội vụ",
        "Sở Nông nghiệp và Môi trường",
        "Ủy ban nhân dân cấp xã",
    }


ORGANIZATION = """KẾ HOẠCH
Phát triển thương mại điện tử tỉnh năm 2028
I. NHIỆM VỤ
1. Xây dựng sàn giao dịch
Hoàn thiện sàn giao dịch của tỉnh.
II. TỔ CHỨC THỰC HIỆN
1. Sở Công Thương (cơ quan thường trực):
- Chủ trì xây dựng quy chế vận hành sàn giao dịch, trình ban hành trong Quý III/2028.
- Tổ chức hội chợ thương mại điện tử hằng năm.
- Tổng hợp kết quả thực hiện.
2. Sở TT&TT, Đài PT-TH Bình Định, Báo Bình Định:
Thường xuyên tuyên truyền về lợi ích của thương mại điện tử.
3. Sở TC:
Chủ trì, phối hợp với Sở KH&ĐT tham mưu bố trí kinh phí trước ngày 30/11/2028.
4. Các sở, ban, ngành, UBND các huyện, thị xã, thành phố:
Căn cứ chức năng, nhiệm vụ chủ động phối hợp với Sở Công Thương triển khai Kế hoạch.
Nơi nhận:
- Như trên;
"""


def test_bullets_with_their_own_deadlines_are_tasks_of_their_own() -> None:
    tasks = {t.id: t for t in extract(_ctx(ORGANIZATION, 2028))}
    assert {"II.1-1", "II.1-2", "II.1-3"} <= set(tasks) and "II.1" not in tasks
    assert all(tasks[k].lead_agency == "Sở Công Thương" for k in ("II.1-1", "II.1-2", "II.1-3"))
    assert _window(tasks["II.1-1"]) == ("2028-07-01", "2028-09-30", None)
    assert _window(tasks["II.1-2"]) == (None, None, "annual")
    assert tasks["II.1-3"].deadline is None
    assert tasks["II.1-2"].text == "Tổ chức hội chợ thương mại điện tử hằng năm."
    ctx = _ctx(ORGANIZATION, 2028)
    spans = {t.id: ctx.doc.span_text(t.span) for t in extract(ctx)}
    assert spans["II.1-2"].startswith("Tổ chức hội chợ") and "Tổng hợp" not in spans["II.1-2"]


def test_undated_bullets_are_duties_of_their_own() -> None:
    tasks = {t.id: t for t in extract(_ctx(PLAN))}
    assert [
        t.id for t in tasks.values() if t.lead_agency == "Sở Khoa học và Công nghệ" and t.id.startswith("III.1")
    ] == ["III.1-1", "III.1-2"]


def test_heading_naming_several_agencies_leads_with_the_first() -> None:
    tasks = {t.id: t for t in extract(_ctx(ORGANIZATION, 2028))}
    media = tasks["II.2"]
    assert media.lead_agency == "Sở Thông tin và Truyền thông"
    assert media.cooperating_agencies == ["Đài Phát thanh và Truyền hình Bình Định", "Báo Bình Định"]
    assert _window(media) == (None, None, "continuous")


def test_abbreviated_heading_and_prose_cooperation() -> None:
    tasks = {t.id: t for t in extract(_ctx(ORGANIZATION, 2028))}
    assert tasks["II.3"].lead_agency == "Sở Tài chính"
    assert tasks["II.3"].cooperating_agencies == ["Sở Kế hoạch và Đầu tư"]
    assert _window(tasks["II.3"]) == (None, "2028-11-30", None)
    assert tasks["II.4"].lead_agency == "Các sở, ban, ngành tỉnh"
    assert tasks["II.4"].cooperating_agencies == ["Ủy ban nhân dân các huyện, thị xã, thành phố", "Sở Công Thương"]


def test_every_agency_of_a_multi_agency_heading_is_listed() -> None:
    doc = DocText([PageText(number=1, origin="plain", raw=ORGANIZATION, text=ORGANIZATION)])
    names = {a.name for a in extract_all(doc).agencies}
    assert {"Đài Phát thanh và Truyền hình Bình Định", "Báo Bình Định", "Sở Tài chính"} <= names
    assert not any("TT&TT" in n or n.endswith(" TC") for n in names)


HEADINGS = """KẾ HOẠCH
Chuyển đổi số tỉnh năm 2028
III. TỔ CHỨC THỰC HIỆN
1. Đối với Sở Khoa học và Công nghệ:
Chủ trì theo dõi việc thực hiện Kế hoạch; tổng hợp báo cáo trước ngày 15/12/2028.
2. Trách nhiệm của Sở TC
Tham mưu bố trí kinh phí hằng năm.
3. Các sở, ban, ngành tỉnh; UBND cấp xã:
a) Sở Y tế: triển khai hồ sơ sức khỏe điện tử, hoàn thành Quý IV/2028.
b) Công an tỉnh: bảo đảm an ninh mạng thường xuyên.
4. Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh:
Tuyên truyền, vận động hội viên tham gia.
Nơi nhận:
"""


def test_headings_introduced_by_doi_voi_trach_nhiem_de_nghi() -> None:
    tasks = {t.id: t for t in extract(_ctx(HEADINGS, 2028))}
    assert tasks["III.1"].lead_agency == "Sở Khoa học và Công nghệ"
    assert _window(tasks["III.1"]) == (None, "2028-12-15", None)
    assert tasks["III.2"].lead_agency == "Sở Tài chính" and _window(tasks["III.2"]) == (None, None, "annual")
    assert tasks["III.4"].lead_agency == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    assert tasks["III.4"].cooperating_agencies == ["Các tổ chức chính trị - xã hội tỉnh"]


def test_lettered_duties_of_each_agency_under_a_group_heading() -> None:
    tasks = {t.id: t for t in extract(_ctx(HEADINGS, 2028))}
    assert "III.3" not in tasks  # the heading only groups the duties below it
    assert tasks["III.3.a"].lead_agency == "Sở Y tế"
    assert _window(tasks["III.3.a"]) == ("2028-10-01", "2028-12-31", None)
    assert tasks["III.3.b"].lead_agency == "Công an tỉnh"
    assert _window(tasks["III.3.b"]) == (None, None, "continuous")


SLASH_PLAN = """KẾ HOẠCH
Phát triển dữ liệu số thành phố năm 2027
Phần I. NHIỆM VỤ
Mục 1. Dữ liệu dùng chung
1/ Xây dựng kho dữ liệu mở của thành phố.
Phần II. TỔ CHỨC THỰC HIỆN
1/ Sở Tư pháp: Chủ trì số hóa sổ hộ tịch; báo cáo kết quả trước ngày 20 tháng 11 hằng năm.
2/ Văn phòng UBND thành phố: Phối hợp với Sở Tư pháp kết nối dữ liệu hộ tịch với hệ thống một cửa.
3/ Các trường đại học, cao đẳng trên địa bàn: Phối hợp đào tạo nhân lực dữ liệu.
4/ Đề nghị Tỉnh Đoàn vận động thanh niên tham gia phong trào bình dân học vụ số./.
"""


def test_slash_numbered_duties_of_a_city_plan() -> None:
    ctx = _ctx(SLASH_PLAN)
    ctx.metadata = Metadata(province="Đà Nẵng")
    tasks = {t.id: t for t in extract(ctx)}
    assert tasks["II.1"].lead_agency == "Sở Tư pháp" and "số hóa sổ hộ tịch" in tasks["II.1"].text
    assert tasks["II.2"].lead_agency == "Văn phòng Ủy ban nhân dân thành phố"  # a city, not a province
    assert tasks["II.3"].lead_agency == "Các trường đại học, cao đẳng trên địa bàn thành phố"
    assert tasks["II.4"].lead_agency == "Đoàn Thanh niên Cộng sản Hồ Chí Minh thành phố"
    assert "thanh niên" in tasks["II.4"].text


def test_a_province_keeps_its_provincial_names() -> None:
    ctx = _ctx(SLASH_PLAN.replace("thành phố", "tỉnh"))
    ctx.metadata = Metadata(province="Nghệ An")
    tasks = {t.id: t for t in extract(ctx)}
    assert tasks["II.2"].lead_agency == "Văn phòng Ủy ban nhân dân tỉnh"


AGENCY_HEADINGS = """KẾ HOẠCH
Cải cách thủ tục hành chính năm 2027
2. NHIỆM VỤ CỤ THỂ
2.1. Sở Nội vụ
+ Chủ trì chuẩn hóa quy trình nội bộ của 40 thủ tục. Thời gian thực hiện: Quý I/2027.
+ Phối hợp với Sở Tư pháp rà soát văn bản quy phạm. Thời gian thực hiện: thường xuyên.
2.2. Sở Xây dựng
Chủ trì số hóa hồ sơ cấp phép xây dựng; hoàn thành trong 6 tháng đầu năm 2027.
2.3. Bảo hiểm xã hội tỉnh
Phối hợp với Sở Nội vụ chi trả trợ cấp qua tài khoản.
3. TỔ CHỨC THỰC HIỆN
3.1. Sở Nội vụ
Theo dõi, đôn đốc thực hiện Kế hoạch.
3.2. UBND các huyện, thị xã, thành phố
Căn cứ Kế hoạch này, chỉ đạo bộ phận một cửa cấp huyện triển khai; báo cáo trước ngày 30 tháng 11 hằng năm.
Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan phản ánh về Sở Nội vụ để tổng hợp./.
"""


def test_an_agency_heading_owns_the_duties_under_it() -> None:
    tasks = {t.id: t for t in extract(_ctx(AGENCY_HEADINGS))}
    # each dated bullet is a duty of its own, with its own time
    assert _window(tasks["2.1.1"]) == ("2027-01-01", "2027-03-31", None)
    assert tasks["2.1.2"].deadline and tasks["2.1.2"].deadline.recurrence == "continuous"
    assert tasks["2.1.1"].lead_agency == tasks["2.1.2"].lead_agency == "Sở Nội vụ"
    assert "Sở Tư pháp" in tasks["2.1.2"].cooperating_agencies
    assert tasks["2.2"].lead_agency == "Sở Xây dựng"
    assert tasks["2.3"].lead_agency == "Bảo hiểm xã hội tỉnh"
    # a heading that is only a name: its first line is its duty, not the section's closing
    district = tasks["3.2"]
    assert district.lead_agency == "Ủy ban nhân dân các huyện, thị xã, thành phố"
    assert district.text.startswith("Căn cứ Kế hoạch này") and "vướng mắc" not in district.text
    assert not any(t.id == "3" for t in tasks.values())  # no closing duty made of the item


def test_ocr_misread_row_numbers_in_a_task_table() -> None:
    text = """KẾ HOẠCH
| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Sản phẩm |
| 1 | Hạ tầng số | | | | |
| 1 | Lắp đặt trạm 5G vùng biên | Sở Xây dựng | Công an tỉnh | Quý II/2027 | Trạm phát sóng |
| 2 | Kết nối mạng các xã | Sở Tài chính | Sở Nội vụ | Quý III/2027 | Đường truyền |
| b | Đo kiểm chất lượng mạng | Sở Y tế | Sở Nội vụ | Quý IV/2027 | Báo cáo đo kiểm |
"""
    doc = DocText([PageText(number=1, origin="ocr", raw=text, text=text)])
    ctx = Context(doc=doc, metadata=Metadata(), plan_year=2027, tables=find_tables(doc))
    tasks = extract(ctx)
    # the group heading (`I` read as `1`) assigns nobody; the row numbered `b` (a misread `3`) is a task
    assert [(t.id, t.lead_agency) for t in tasks] == [("1", "Sở Xây dựng"), ("2", "Sở Tài chính"), ("3", "Sở Y tế")]


# An invented plan (bodies and duties written for this test): a district-level issuer, an implementation
# section titled otherwise (`PHÂN CÔNG TRÁCH NHIỆM`), agency headings the lexicon does not know, lettered
# duties and bullets, a collective body named as written, and a schedule table with its own column names.
INVENTED_PLAN = """ỦY BAN NHÂN DÂN
HUYỆN SA ĐÉC
Số: 41/KH-UBND
KẾ HOẠCH
Phục hồi rạn san hô ven đảo năm 2029
I. MỤC ĐÍCH, YÊU CẦU
Bảo tồn hệ sinh thái biển, nâng cao nhận thức của ngư dân.
II. NỘI DUNG
1. Khảo sát rạn san hô
Khảo sát hiện trạng các rạn san hô ven đảo.
III. PHÂN CÔNG TRÁCH NHIỆM
1. Trạm Kiểm ngư vùng 4
a) Tuần tra vùng rạn san hô, lập biên bản các tàu khai thác trái phép.
b) Thường xuyên phối hợp với Hợp tác xã Thủy sản Bãi Dài hướng dẫn ngư dân thả phao neo.
2. Trung tâm Nghiên cứu Sinh vật biển
- Nuôi cấy 3 loại san hô giống tại vườn ươm.
- Chậm nhất là ngày 15/9/2029, bàn giao quy trình cấy ghép cho ngư dân.
3. UBND các xã, thị trấn ven biển
Vận động ngư dân ký cam kết không khai thác san hô.
IV. LỊCH THỰC HIỆN
| STT | Nội dung công việc | Đơn vị phụ trách | Tiến độ |
| 1 | Thả 200 khối rạn nhân tạo | Ban Quản lý Khu bảo tồn biển Hòn Cau | Quý II/2029 |
| 2 | Tập huấn lặn an toàn cho ngư dân | Lãnh đạo Trạm Kiểm ngư vùng 4 | Tháng 7/2029 |
Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lâm Văn Tư
"""


def test_an_invented_plan_through_the_cli(tmp_path: Path) -> None:
    """Bodies nobody listed, one task per duty, a table whose columns carry other names: extracted by the
    `vnplan extract` command a user runs."""

    document = vnplan_extract(tmp_path / "ran_san_ho.txt", INVENTED_PLAN)
    tasks = {t["text"][:25].strip(): t for t in document["tasks"]}
    patrol = tasks["Tuần tra vùng rạn san hô,"]
    assert patrol["lead_agency"] == "Trạm Kiểm ngư vùng 4"  # an unknown body, kept as written
    guide = tasks["Thường xuyên phối hợp với"]
    assert guide["lead_agency"] == "Trạm Kiểm ngư vùng 4" and guide["deadline"]["recurrence"] == "continuous"
    culture = tasks["Nuôi cấy 3 loại san hô gi"]
    assert culture["lead_agency"] == "Trung tâm Nghiên cứu Sinh vật biển"
    handover = tasks["Chậm nhất là ngày 15/9/20"]
    assert handover["deadline"]["end"] == "2029-09-15"
    assert tasks["Vận động ngư dân ký cam k"]["lead_agency"] == "Ủy ban nhân dân các xã, thị trấn ven biển"
    reefs = tasks["Thả 200 khối rạn nhân tạo"]
    assert reefs["lead_agency"] == "Ban Quản lý Khu bảo tồn biển Hòn Cau"
    assert (reefs["deadline"]["start"], reefs["deadline"]["end"]) == ("2029-04-01", "2029-06-30")
    assert tasks["Tập huấn lặn an toàn cho"]["lead_agency"] == "Trạm Kiểm ngư vùng 4"  # its leadership: the body
    names = {a["name"] for a in document["agencies"]}
    assert {
        "Trạm Kiểm ngư vùng 4",
        "Trung tâm Nghiên cứu Sinh vật biển",
        "Ban Quản lý Khu bảo tồn biển Hòn Cau",
    } <= names


def test_rows_whose_number_is_centred_in_the_row() -> None:
    """A born-digital table whose text layer gives one line per cell line and prints each row's number in
    the middle of the row: the lines above the number belong to the row too (invented rows)."""
    text = """KẾ HOẠCH
PHỤ LỤC
| STT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
| I. Bảo tồn rạn san hô | | | | |
| | Khoanh vùng rạn | Trạm Kiểm | | |
| 1. | san hô ven đảo | ngư vùng 4 | Hạt Kiểm lâm | Quý II/2029 |
| | bằng phao neo | | | |
| | Ươm san hô giống | | | |
| 2. | tại vườn ươm | Trung tâm Sinh vật biển | | Tháng 9/2029 |
"""
    doc = DocText([PageText(number=1, origin="native", raw=text, text=text)])
    tasks = extract(Context(doc=doc, metadata=Metadata(), plan_year=2029, tables=find_tables(doc)))
    assert [(t.id, t.text, t.lead_agency) for t in tasks] == [
        ("1", "Khoanh vùng rạn san hô ven đảo bằng phao neo", "Trạm Kiểm ngư vùng 4"),
        ("2", "Ươm san hô giống tại vườn ươm", "Trung tâm Sinh vật biển"),
    ]
    assert _window(tasks[0]) == ("2029-04-01", "2029-06-30", None)


def test_an_implementation_section_without_duties_is_a_warning_with_its_span() -> None:
    """Bad input: `Tổ chức thực hiện` that assigns nobody, and a task table with no rows, yield no task and a
    warning a reviewer can open at the right place."""
    text = """KẾ HOẠCH
Trồng rừng ngập mặn năm 2029
I. MỤC ĐÍCH
Phục hồi 50 ha rừng ngập mặn.
II. TỔ CHỨC THỰC HIỆN
Kế hoạch được triển khai theo tiến độ chung của tỉnh.
PHỤ LỤC
| STT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn |
"""
    doc = DocText([PageText(number=1, origin="plain", raw=text, text=text)])
    result = extract_all(doc)
    assert result.tasks == []
    codes = {w.code: w for w in result.warnings}
    section = codes["implementation_without_tasks"]
    assert section.span is not None and doc.span_text(section.span).startswith("II. TỔ CHỨC THỰC HIỆN")
    table = codes["table_without_tasks"]
    assert table.span is not None and doc.span_text(table.span).startswith("| STT | Nhiệm vụ")
