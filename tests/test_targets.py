"""Targets: quantified goals with comparator, unit, year and baseline; one record per number."""

from __future__ import annotations

from extractors import metadata, targets
from extractors.context import Context
from pipeline.model.doctext import DocText
from pipeline.model.pages import PageText
from pipeline.structure.document import find_tables


def _ctx(text: str) -> Context:
    doc = DocText([PageText(number=1, origin="plain", raw=text, text=text)])
    meta = metadata.extract(doc)
    return Context(doc=doc, metadata=meta, plan_year=metadata.plan_year(doc, meta), tables=find_tables(doc))


HEAD = """KẾ HOẠCH
Phát triển khoa học, công nghệ và đổi mới sáng tạo năm 2027

Căn cứ Quyết định số 75/QĐ-UBND ngày 10/01/2027 của UBND tỉnh Thái Bình về hỗ trợ 40 doanh nghiệp;
Ủy ban nhân dân tỉnh Thái Bình ban hành Kế hoạch như sau:

"""


def _keys(found: list) -> list[tuple]:
    return [(t.comparator, t.value, t.unit, t.year, t.baseline) for t in found]


def test_goals_section_comparators_units_years_baselines() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
1. Mục tiêu cụ thể
- Đến năm 2030, tỷ lệ doanh nghiệp ứng dụng công nghệ số đạt trên 45%; số sáng chế được cấp tăng
12% so với giai đoạn 2021 - 2025.
- Nhân lực nghiên cứu đạt tối thiểu 11 người/một vạn dân vào năm 2030.
- Năng suất lao động tăng 2 (hai) lần so với năm 2025; chi phí tuân thủ không quá 5%.
- Tỷ trọng kinh tế số đạt từ 20,5% trở lên; tỷ lệ hồ sơ giấy dưới 10%.
- Hỗ trợ 03 doanh nghiệp khoa học và công nghệ, 08 doanh nghiệp khởi nghiệp sáng tạo.
"""
    )
    found = targets.extract(_ctx(text))
    assert _keys(found) == [
        (">", 45, "%", 2030, None),
        ("=", 12, "%", 2030, "giai đoạn 2021 - 2025"),
        (">=", 11, "người/vạn dân", 2030, None),
        ("=", 2, "lần", 2027, "năm 2025"),
        ("<=", 5, "%", 2027, None),
        (">=", 20.5, "%", 2027, None),
        ("<", 10, "%", 2027, None),
        ("=", 3, "doanh nghiệp", 2027, None),
        ("=", 8, "doanh nghiệp", 2027, None),
    ]


def test_every_target_points_at_its_clause() -> None:
    text = HEAD + "I. MỤC TIÊU\n- Đến năm 2029 có 250 sản phẩm OCOP được chứng nhận.\n"
    ctx = _ctx(text)
    (target,) = targets.extract(ctx)
    assert ctx.doc.span_text(target.span) == target.text
    assert "250 sản phẩm" in target.text
    assert (target.value, target.unit, target.year) == (250, "sản phẩm", 2029)


def test_counts_of_deliverables_in_tasks_and_nothing_from_a_review() -> None:
    text = (
        HEAD
        + """A. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2026
Năm 2026 đã nghiệm thu 14 đề tài, đạt 95% kế hoạch; hỗ trợ 6 doanh nghiệp.

B. KẾ HOẠCH NĂM 2027
I. NHIỆM VỤ
1. Tổ chức 04 lớp tập huấn về sở hữu trí tuệ cho 100% cơ quan, đơn vị cấp tỉnh.
2. Triển khai 15 đề tài, dự án cấp tỉnh, trong đó 06 dự án chuyển tiếp. Tổng kết 15 đề tài, dự án
vào cuối năm.
3. Xây dựng quy chế theo Quyết định số 12/QĐ-UBND ngày 02/02/2026 và Mẫu 3 của Thông tư 17.
4. Thành lập Tổ thẩm định gồm 09 người là công chức các sở và 02 chuyên gia độc lập.
5. Tổ chức các hoạt động gồm 03 hội thảo chuyên đề.
II. TỔ CHỨC THỰC HIỆN
Sở Tài chính bố trí 2 cán bộ theo dõi.
"""
    )
    got = [(t.value, t.unit, t.year) for t in targets.extract(_ctx(text))]
    assert got == [
        (4, "lớp tập huấn", 2027),
        (100, "%", 2027),
        (15, "đề tài, dự án", 2027),
        (6, "dự án", 2027),
        (3, "hội thảo", 2027),
    ]


def test_no_numbers_no_targets() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
Nâng cao nhận thức về vai trò của khoa học và công nghệ đến năm 2030, giai đoạn 2026 - 2030.
"""
    )
    assert targets.extract(_ctx(text)) == []


def test_goal_table_rows() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
Chi tiết tại Phụ lục.

| STT | Mục tiêu | Mục tiêu năm 2027 | Cơ quan chủ trì | Cơ quan theo dõi |
| 1 | Tỷ lệ thủ tục hành chính trực tuyến toàn trình | ≥ 80% | Văn phòng UBND tỉnh | Sở Khoa học và Công nghệ |
| 2 | Số doanh nghiệp khởi nghiệp sáng tạo được hỗ trợ | 12 doanh nghiệp | Sở Khoa học và Công nghệ | Sở Tài chính |
| 3 | Chỉ số đổi mới sáng tạo cấp tỉnh | Tăng bậc | Sở Khoa học và Công nghệ | Sở Tài chính |
| 4 | Phát triển tổ chức khoa học và công nghệ | ≥9 | Sở Khoa học và Công nghệ | Sở Tài chính |
| 5 | Số sáng kiến được công nhận | =15 | Sở Khoa học và Công nghệ | Sở Tài chính |
"""
    )
    found = targets.extract(_ctx(text))
    assert [(t.comparator, t.value, t.unit, t.year) for t in found] == [
        (">=", 80, "%", 2027),
        ("=", 12, "doanh nghiệp", 2027),
        (">=", 9, "tổ chức", 2027),
        ("=", 15, "sáng kiến", 2027),
    ]
    assert found[0].indicator == "Tỷ lệ thủ tục hành chính trực tuyến toàn trình"


def test_goal_table_scrambled_by_ocr() -> None:
    # No pipe rows: a scan read the table row-interleaved. Values with % or a sign are still goals.
    text = (
        HEAD
        + """TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn Hải

PHỤ LỤC 01
Mục . tiêu Cơ quan, đơn vị Cơ quan theo
STT Mục tiêu chủ trì năm dõi
2027 :
1 Tỷ lệ hồ sơ được số hóa Các sở, ngành 95% Sở Nội vụ
2 Phát triển doanh nghiệp khoa học >4 Các sở, ngành Sở Khoa học
3 Số cán bộ được đào tạo 2 Sở Nội vụ
"""
    )
    found = targets.extract(_ctx(text))
    assert [(t.comparator, t.value, t.unit, t.year) for t in found] == [
        ("=", 95, "%", 2027),
        (">", 4, "doanh nghiệp", 2027),
    ]


def test_lettered_items_under_a_targets_heading() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
1. Chỉ tiêu cụ thể năm 2027
a) 100% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng.
b) Đào tạo ít nhất 2.000 lượt người về kỹ năng số.
"""
    )
    found = targets.extract(_ctx(text))
    assert [(t.comparator, t.value, t.unit, t.year) for t in found] == [
        ("=", 100, "%", 2027),
        (">=", 2000, "lượt người", 2027),
    ]
    assert found[0].text == "a) 100% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng"
    assert found[0].indicator == "100% hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng"


def test_empty_or_junk_document_has_no_target() -> None:
    for text in ("", "\f\n|||\n12% 3 đồng ./. KẾ HOẠCH", "| STT | Mục tiêu | Mục tiêu năm 2026 |\n| | | |"):
        assert targets.extract(_ctx(text)) == []


def test_a_comparison_year_is_the_baseline_not_the_due_year() -> None:
    text = (
        HEAD
        + """II. MỤC TIÊU NĂM 2027
1. Đưa vào sử dụng ít nhất 06 nền tảng số dùng chung của tỉnh.
2. Số đơn đăng ký nhãn hiệu của doanh nghiệp trong tỉnh tăng 18% so với năm 2026.
3. Trong giai đoạn 2026 - 2030, hình thành 40 doanh nghiệp khoa học và công nghệ.
4. Doanh thu thương mại điện tử tăng 25% so với cùng kỳ năm 2026.
"""
    )
    found = targets.extract(_ctx(text))
    assert [(t.value, t.unit, t.year, t.baseline) for t in found] == [
        (6, "nền tảng", 2027, None),
        (18, "%", 2027, "năm 2026"),
        (40, "doanh nghiệp", 2030, None),
        (25, "%", 2027, "cùng kỳ năm 2026"),
    ]


def test_a_horizon_governs_the_clauses_after_it() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
2. Chỉ tiêu
Phấn đấu đến hết năm 2029, có tối thiểu 04 trung tâm đổi mới sáng tạo cấp vùng được thành lập; trên 60%
xã, phường có điểm hỗ trợ khởi nghiệp và 12 hộ kinh doanh được hỗ trợ.
Vào năm 2031 đạt 5 người/vạn dân; tỷ lệ chi cho nghiên cứu dưới 2%.
"""
    )
    found = targets.extract(_ctx(text))
    assert [(t.comparator, t.value, t.unit, t.year) for t in found] == [
        (">=", 4, "trung tâm đổi mới", 2029),
        (">", 60, "%", 2029),
        ("=", 12, "hộ kinh doanh", 2029),
        ("=", 5, "người/vạn dân", 2031),
        ("<", 2, "%", 2031),
    ]


def test_a_table_with_one_column_per_year_gives_a_target_per_year() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
| STT | Chỉ tiêu | ĐVT | Năm 2027 | Năm 2028 |
| 1 | Số cơ sở ươm tạo công nghệ được công nhận | cơ sở ươm tạo | 1 | 3 |
| 2 | Tỷ lệ hồ sơ trực tuyến | % | 70 | ≥ 85 |
Phấn đấu đến năm 2028 có ít nhất 02 câu lạc bộ khởi nghiệp tại các trường.
"""
    )
    found = targets.extract(_ctx(text))
    got = sorted((t.value, t.unit, t.year, t.comparator) for t in found)
    assert got == [
        (1, "cơ sở ươm tạo", 2027, "="),
        (2, "câu lạc bộ", 2028, ">="),
        (3, "cơ sở ươm tạo", 2028, "="),
        (70, "%", 2027, "="),
        (85, "%", 2028, ">="),
    ]
    prose = next(t for t in found if t.unit == "câu lạc bộ")
    assert "|" not in prose.text


def test_time_limits_are_targets_only_as_goals() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
- Thời gian cấp giấy phép hoạt động không quá 07 ngày làm việc; phản hồi kiến nghị tối đa 48 giờ.
- Rút ngắn thời gian xét duyệt hồ sơ xuống dưới 20 ngày.
II. NHIỆM VỤ
1. Sở Tài chính thẩm định dự toán trong 10 ngày kể từ ngày nhận hồ sơ, không quá 15 ngày.
"""
    )
    found = targets.extract(_ctx(text))
    assert [(t.comparator, t.value, t.unit) for t in found] == [
        ("<=", 7, "ngày làm việc"),
        ("<=", 48, "giờ"),
        ("<", 20, "ngày"),
    ]


def test_counted_nouns_keep_what_they_count() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
- Hỗ trợ 09 doanh nghiệp khởi nghiệp sáng tạo và 03 cơ sở nghiên cứu chuyển giao công nghệ.
- Có 20 doanh nghiệp/hợp tác xã ứng dụng truy xuất nguồn gốc; thành lập 02 cơ sở mới.
"""
    )
    found = targets.extract(_ctx(text))
    assert [(t.value, t.unit) for t in found] == [
        (9, "doanh nghiệp"),
        (3, "cơ sở nghiên cứu"),
        (20, "doanh nghiệp/hợp tác xã"),
        (2, "cơ sở"),
    ]


def test_a_programme_named_with_its_period_does_not_set_the_due_year() -> None:
    text = (
        HEAD
        + """II. NHIỆM VỤ
1. Triển khai 03 dự án thuộc Chương trình nông thôn miền núi giai đoạn 2026 - 2030.
2. Giai đoạn 2026 - 2028, hỗ trợ 05 doanh nghiệp đổi mới công nghệ.
"""
    )
    found = targets.extract(_ctx(text))
    assert [(t.value, t.unit, t.year) for t in found] == [(3, "dự án", 2027), (5, "doanh nghiệp", 2028)]


def test_orientation_under_the_goals_and_clauses_after_a_semicolon() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
1. Mục tiêu cụ thể đến năm 2027
a/ Tỷ lệ hồ sơ trực tuyến bị trả lại dưới 4% vào năm 2026.
b/ Đến năm 2027, tỷ lệ phản ánh chưa được xử lý không quá 3%.
2. Định hướng đến năm 2035
Đến năm 2035, 90% làng nghề được số hóa; số nhãn hiệu tập thể được bảo hộ đạt trên 30 nhãn hiệu.
II. NHIỆM VỤ
"""
    )
    assert _keys(targets.extract(_ctx(text))) == [
        ("<", 4, "%", 2026, None),
        ("<=", 3, "%", 2027, None),
        ("=", 90, "%", 2035, None),
        (">", 30, "nhãn hiệu", 2035, None),
    ]


def test_a_count_naming_the_scope_is_no_target() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
- Tối thiểu 70% hồ sơ thuộc 18 thủ tục liên thông được giải quyết trực tuyến.
II. NHIỆM VỤ
1. Sở Nội vụ
Rà soát, cắt giảm giấy tờ của 18 thủ tục liên thông; tổ chức 04 lớp tập huấn cho cán bộ một cửa.
2. Văn phòng UBND tỉnh
Duy trì hệ thống quản lý chất lượng đối với 57 cơ quan, đơn vị.
"""
    )
    assert _keys(targets.extract(_ctx(text))) == [
        (">=", 70, "%", 2027, None),
        ("=", 4, "lớp tập huấn", 2027, None),
        ("=", 57, "cơ quan, đơn vị", 2027, None),
    ]


def test_quantities_that_are_not_goals() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
- Có 40 hợp tác xã chè có doanh thu từ xuất khẩu đạt 2 triệu USD/năm.
- Tần suất kiểm tra: 2 đợt/tháng tại mỗi vùng chè.
- Áp dụng theo Điều 2, 3, 4 Quy chế số 12/QC-UBND; nếu có từ 03 hợp tác xã trở lên thì chia tổ.
- Hiện nay toàn tỉnh có 120 hợp tác xã chè.
- Doanh thu xuất khẩu chè đạt 30 triệu USD/năm, tăng bình quân 8%/năm.
"""
    )
    got = [(t.value, t.unit) for t in targets.extract(_ctx(text))]
    assert got == [(40, "hợp tác xã"), (30, "triệu USD/năm"), (8, "%/năm")]
