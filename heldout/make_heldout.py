"""Render the held-out plan documents into heldout/docs/: a generalization test nobody tuned rules on.

Four Kế hoạch of provincial People's Committees, written for this test (not taken from the seeds), varied
on purpose: province, year (2019–2026), doc number and date filled in or left blank, signer (TM./KT.,
Chủ tịch/Phó Chủ tịch, with or without a name), legal bases, targets in prose and in a table, budgets in
đồng / triệu đồng / tỷ đồng (one document has none), and tasks as appendix tables with different column
orders and labels or as prose under "Tổ chức thực hiện". Gold for each is in heldout/gold/.

Outputs (deterministic: the same bytes every run):
- heldout/docs/<stem>.pdf          born-digital, one per document;
- heldout/docs/<stem>.scan.pdf     an image-only scan of SCANNED (render.make_scan);
- heldout/docs/<stem>.stripped.txt the text layer of STRIPPED, pages split by form feeds, diacritics removed.

Usage: .venv/bin/python heldout/make_heldout.py
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samples.render import (
    Block,
    HeaderBlock,
    Heading,
    PageBreak,
    Para,
    PlanLayout,
    Signature,
    TableBlock,
    Title,
    make_scan,
    render_plan_pdf,
)

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"

NGHE_AN = "nghean_cds_2025_h1"
DONG_THAP = "dongthap_khcn_2019_h2"
QUANG_NINH = "quangninh_nq57_2026_h3"
GIA_LAI = "gialai_khoinghiep_2024_h4"
SCANNED = QUANG_NINH
STRIPPED = DONG_THAP


def paras(*texts: str) -> list[Block]:
    return [Para(t) for t in texts]


# ------------------------------------------------------------------------------------------ Nghệ An


NGHE_AN_TASKS: tuple[tuple[str, ...], ...] = (
    ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện", "Kết quả/sản phẩm"),
    ("I", "Phát triển chính quyền số", "", "", "", ""),
    (
        "1",
        "Nâng cấp Trung tâm dữ liệu tỉnh, bảo đảm hạ tầng lưu trữ cho các hệ thống thông tin dùng chung của tỉnh",
        "Sở TT&TT",
        "Sở TC; VP UBND tỉnh",
        "Quý II/2025",
        "Trung tâm dữ liệu được nâng cấp, vận hành ổn định",
    ),
    (
        "2",
        "Triển khai nền tảng trợ lý ảo hỗ trợ cán bộ, công chức tra cứu, xử lý văn bản",
        "Sở TT&TT",
        "VP UBND tỉnh",
        "Tháng 9/2025",
        "Nền tảng trợ lý ảo được đưa vào sử dụng",
    ),
    (
        "3",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực tại các cơ quan cấp tỉnh, cấp huyện",
        "VP UBND tỉnh",
        "Các sở, ban, ngành; UBND các huyện, thành phố, thị xã",
        "6 tháng đầu năm 2025",
        "Kho dữ liệu hồ sơ, kết quả giải quyết thủ tục hành chính điện tử",
    ),
    ("II", "Phát triển kinh tế số", "", "", "", ""),
    (
        "4",
        "Hỗ trợ doanh nghiệp nhỏ và vừa chuyển đổi số, sử dụng các nền tảng số trong quản trị, sản xuất, kinh doanh",
        "Sở KH&ĐT",
        "Sở TT&TT; Hiệp hội Doanh nghiệp tỉnh",
        "Q2/2025 – Q4/2025",
        "Doanh nghiệp được hỗ trợ tiếp cận nền tảng số",
    ),
    (
        "5",
        "Phát triển sàn thương mại điện tử tỉnh Nghệ An, đưa sản phẩm OCOP lên sàn giao dịch",
        "Sở Công Thương",
        "Sở NN&PTNT; UBND các huyện, thành phố, thị xã",
        "Năm 2025",
        "Sản phẩm OCOP được giới thiệu, giao dịch trên sàn",
    ),
    ("III", "Phát triển xã hội số", "", "", "", ""),
    (
        "6",
        "Duy trì, nâng cao hiệu quả hoạt động của Tổ công nghệ số cộng đồng tại các xã, phường, thị trấn",
        "UBND các huyện, thành phố, thị xã",
        "Sở TT&TT; Tỉnh đoàn",
        "Thường xuyên",
        "Tổ công nghệ số cộng đồng hoạt động hiệu quả",
    ),
    (
        "7",
        "Tuyên truyền, phổ biến về chuyển đổi số trên Báo Nghệ An, Đài PT-TH tỉnh và hệ thống thông tin cơ sở",
        "Sở TT&TT",
        "Báo Nghệ An; Đài PT-TH tỉnh",
        "Hằng năm",
        "Chuyên trang, chuyên mục về chuyển đổi số",
    ),
    (
        "8",
        "Tổ chức Ngày Chuyển đổi số tỉnh Nghệ An năm 2025",
        "Sở TT&TT",
        "Các sở, ban, ngành; UBND các huyện, thành phố, thị xã",
        "Tháng 10/2025",
        "Sự kiện được tổ chức",
    ),
)


def nghe_an() -> PlanLayout:
    blocks: list[Block] = [
        Title(
            "KẾ HOẠCH", ("Chuyển đổi số, phát triển chính quyền số, kinh tế số", "và xã hội số tỉnh Nghệ An năm 2025")
        ),
        *paras(
            "Căn cứ Luật Giao dịch điện tử số 20/2023/QH15 ngày 22/6/2023;",
            "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
            "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;",
            "Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình "
            "Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030;",
            "Căn cứ Nghị quyết số 09-NQ/TU ngày 11/8/2021 của Ban Chấp hành Đảng bộ tỉnh về chuyển đổi số tỉnh "
            "Nghệ An đến năm 2025, định hướng đến năm 2030;",
            "Theo đề nghị của Sở Thông tin và Truyền thông tại Tờ trình số 45/TTr-STTTT ngày 05/02/2025, Ủy ban "
            "nhân dân tỉnh ban hành Kế hoạch chuyển đổi số năm 2025 như sau:",
        ),
        Heading("I. MỤC ĐÍCH, YÊU CẦU", 1),
        Heading("1. Mục đích", 2),
        Para(
            "Tiếp tục triển khai đồng bộ, hiệu quả các nhiệm vụ chuyển đổi số trên cả ba trụ cột chính quyền số, "
            "kinh tế số và xã hội số; lấy người dân, doanh nghiệp làm trung tâm, góp phần nâng cao năng lực cạnh "
            "tranh và hiệu quả quản lý nhà nước của tỉnh."
        ),
        Heading("2. Yêu cầu", 2),
        Para(
            "Các nhiệm vụ phải cụ thể, có địa chỉ, có sản phẩm đầu ra và thời hạn hoàn thành; gắn trách nhiệm "
            "người đứng đầu cơ quan, đơn vị với kết quả chuyển đổi số; bảo đảm an toàn, an ninh mạng trong "
            "quá trình triển khai."
        ),
        Heading("II. MỤC TIÊU", 1),
        Heading("1. Mục tiêu chung", 2),
        Para(
            "Tạo chuyển biến rõ nét về chuyển đổi số trong các cơ quan nhà nước, doanh nghiệp và cộng đồng; phát "
            "triển hạ tầng số, dữ liệu số làm nền tảng cho tăng trưởng kinh tế - xã hội của tỉnh."
        ),
        Heading("2. Mục tiêu cụ thể", 2),
        Heading("a) Phát triển chính quyền số", 4),
        *paras(
            "- 100% văn bản, hồ sơ công việc (trừ hồ sơ mật) được xử lý trên môi trường mạng; tối thiểu 80% hồ "
            "sơ thủ tục hành chính được tiếp nhận, giải quyết trực tuyến toàn trình.",
            "- Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt trên 90%; thời gian trả lời phản ánh, "
            "kiến nghị của người dân, doanh nghiệp không quá 05 ngày làm việc.",
        ),
        Heading("b) Phát triển kinh tế số", 4),
        *paras(
            "- Kinh tế số chiếm tỷ trọng từ 12% GRDP của tỉnh trở lên; số doanh nghiệp công nghệ số đang hoạt "
            "động tăng 15% so với năm 2024.",
            "- Có ít nhất 3.000 doanh nghiệp nhỏ và vừa sử dụng nền tảng số trong quản trị, sản xuất, kinh doanh.",
        ),
        Heading("c) Phát triển xã hội số", 4),
        Para(
            "- Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân đạt 50%; tỷ lệ hộ gia đình có "
            "kết nối Internet cáp quang băng rộng đạt trên 85%; tỷ lệ người trong độ tuổi lao động chưa có tài "
            "khoản thanh toán điện tử dưới 20%."
        ),
        Heading("III. NHIỆM VỤ, GIẢI PHÁP", 1),
        *paras(
            "1. Hoàn thiện thể chế, cơ chế, chính sách thúc đẩy chuyển đổi số; nâng cao nhận thức, trách nhiệm "
            "của người đứng đầu về chuyển đổi số.",
            "2. Phát triển hạ tầng số, nền tảng số và dữ liệu số dùng chung; bảo đảm an toàn thông tin mạng theo "
            "mô hình 4 lớp.",
            "3. Phát triển nguồn nhân lực số, kỹ năng số cho cán bộ, công chức, viên chức và người dân.",
            "Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.",
        ),
        Heading("IV. KINH PHÍ THỰC HIỆN", 1),
        Para(
            "Tổng kinh phí thực hiện Kế hoạch năm 2025 dự kiến là 45,8 tỷ đồng. Trong đó: ngân sách tỉnh 30,5 tỷ "
            "đồng (chi đầu tư phát triển 18,2 tỷ đồng, chi thường xuyên 12,3 tỷ đồng); ngân sách cấp huyện 9,3 "
            "tỷ đồng; nguồn xã hội hóa và các nguồn hợp pháp khác 6,0 tỷ đồng."
        ),
        Heading("V. TỔ CHỨC THỰC HIỆN", 1),
        Para(
            "1. Sở Thông tin và Truyền thông là cơ quan thường trực, chủ trì theo dõi, đôn đốc các sở, ngành, địa "
            "phương triển khai Kế hoạch; tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện trước ngày 15 "
            "tháng 12 năm 2025."
        ),
        Para(
            "2. Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư, Sở Thông tin và Truyền thông tham mưu "
            "bố trí kinh phí thực hiện Kế hoạch theo quy định của Luật Ngân sách nhà nước."
        ),
        Para(
            "3. Các sở, ban, ngành cấp tỉnh; UBND các huyện, thành phố, thị xã căn cứ Kế hoạch này xây dựng kế "
            "hoạch chuyển đổi số năm 2025 của cơ quan, đơn vị mình, hoàn thành trước ngày 31/3/2025."
        ),
        Para(
            "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về Sở Thông tin "
            "và Truyền thông để tổng hợp, báo cáo Ủy ban nhân dân tỉnh xem xét, chỉ đạo./."
        ),
        Signature(
            recipients=(
                "- Bộ Thông tin và Truyền thông;",
                "- TT Tỉnh ủy, TT HĐND tỉnh;",
                "- Chủ tịch, các PCT UBND tỉnh;",
                "- Các sở, ban, ngành cấp tỉnh;",
                "- UBND các huyện, thành phố, thị xã;",
                "- Lưu: VT, KGVX.",
            ),
            authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            name="Phan Đức Thịnh",
        ),
        PageBreak(),
        Title("PHỤ LỤC", ("DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025",)),
        Para("(Kèm theo Kế hoạch số 128/KH-UBND ngày 14/02/2025 của UBND tỉnh Nghệ An)", italic=True),
        TableBlock(NGHE_AN_TASKS, col_weights=(4, 30, 12, 16, 11, 20), font_size=9.0),
    ]
    header = HeaderBlock(("ỦY BAN NHÂN DÂN", "TỈNH NGHỆ AN"), "Số: 128/KH-UBND", "Nghệ An, ngày 14 tháng 02 năm 2025")
    return PlanLayout(blocks, header, "top", 12.5, pdf_title="Kế hoạch chuyển đổi số năm 2025")


# ----------------------------------------------------------------------------------------- Đồng Tháp


def dong_thap() -> PlanLayout:
    blocks: list[Block] = [
        Title("KẾ HOẠCH", ("Phát triển khoa học và công nghệ năm 2020",)),
        *paras(
            "Căn cứ Luật Khoa học và Công nghệ số 29/2013/QH13 ngày 18 tháng 6 năm 2013;",
            "Căn cứ Nghị định số 08/2014/NĐ-CP ngày 27 tháng 01 năm 2014 của Chính phủ quy định chi tiết và hướng "
            "dẫn thi hành một số điều của Luật Khoa học và Công nghệ;",
            "Thực hiện Công văn số 1926/BKHCN-KHTC ngày 02/7/2019 của Bộ Khoa học và Công nghệ về việc hướng dẫn "
            "xây dựng kế hoạch và dự toán ngân sách khoa học và công nghệ năm 2020,",
            "Ủy ban nhân dân Tỉnh ban hành Kế hoạch phát triển khoa học và công nghệ năm 2020 như sau:",
        ),
        Heading("I. TÌNH HÌNH THỰC HIỆN KẾ HOẠCH NĂM 2019", 1),
        Para(
            "Trong 6 tháng đầu năm 2019, toàn Tỉnh triển khai 32 đề tài, dự án khoa học và công nghệ, trong đó "
            "nghiệm thu 9 đề tài, dự án; 11 doanh nghiệp được hỗ trợ đổi mới công nghệ. Dự toán ngân sách sự "
            "nghiệp khoa học và công nghệ năm 2019 được giao 41.250 triệu đồng, ước giải ngân đến hết năm đạt 95%."
        ),
        Para(
            "Hoạt động khoa học và công nghệ đã bám sát các nhiệm vụ trọng tâm của Đề án tái cơ cấu ngành nông "
            "nghiệp, tập trung vào giống lúa, xoài, sen và cá tra; tuy nhiên việc thương mại hóa kết quả nghiên "
            "cứu còn hạn chế, sự tham gia của doanh nghiệp chưa nhiều."
        ),
        Heading("II. MỤC TIÊU NĂM 2020", 1),
        *paras(
            "1. Triển khai thực hiện ít nhất 25 đề tài, dự án khoa học và công nghệ cấp tỉnh, trong đó mở mới từ "
            "10 đề tài, dự án trở lên.",
            "2. Số đơn đăng ký bảo hộ quyền sở hữu công nghiệp của tổ chức, cá nhân trong Tỉnh tăng 20% so với "
            "năm 2019.",
            "3. Hỗ trợ tối thiểu 15 doanh nghiệp đổi mới công nghệ, áp dụng hệ thống quản lý chất lượng tiên tiến; "
            "phấn đấu có thêm 03 doanh nghiệp được chứng nhận doanh nghiệp khoa học và công nghệ.",
            "4. Giá trị sản phẩm ứng dụng công nghệ cao trong tổng giá trị sản xuất nông nghiệp đạt trên 25%; "
            "100% phương tiện đo nhóm 2 đang sử dụng được kiểm định.",
            "5. Số cán bộ nghiên cứu khoa học và phát triển công nghệ đạt 8 người/vạn dân.",
        ),
        Heading("III. NHIỆM VỤ TRỌNG TÂM", 1),
        *paras(
            "1. Tập trung nghiên cứu, ứng dụng khoa học và công nghệ phục vụ tái cơ cấu ngành nông nghiệp, xây "
            "dựng nông thôn mới; ưu tiên các đề tài, dự án có địa chỉ ứng dụng cụ thể.",
            "2. Đẩy mạnh hỗ trợ doanh nghiệp đổi mới công nghệ, phát triển tài sản trí tuệ, xây dựng và phát "
            "triển thương hiệu cho các sản phẩm chủ lực của Tỉnh.",
            "3. Nâng cao năng lực quản lý nhà nước về tiêu chuẩn, đo lường, chất lượng; tăng cường thanh tra, "
            "kiểm tra chuyên ngành.",
        ),
        Heading("IV. DỰ TOÁN KINH PHÍ", 1),
        Para("Tổng dự toán ngân sách khoa học và công nghệ năm 2020 của Tỉnh là 48.736,5 triệu đồng, trong đó:"),
        *paras(
            "- Kinh phí chi đầu tư phát triển khoa học và công nghệ: 12.000 triệu đồng;",
            "- Kinh phí chi sự nghiệp khoa học và công nghệ: 36.736,5 triệu đồng, gồm: thực hiện nhiệm vụ khoa học "
            "và công nghệ cấp tỉnh 21.430 triệu đồng; hoạt động khoa học và công nghệ cấp huyện 6.200 triệu đồng; "
            "chi hoạt động bộ máy và nhiệm vụ thường xuyên 9.106,5 triệu đồng.",
        ),
        Heading("V. TỔ CHỨC THỰC HIỆN", 1),
        Heading("1. Sở Khoa học và Công nghệ:", 2),
        *paras(
            "- Chủ trì, phối hợp với các sở, ngành, địa phương tổ chức triển khai Kế hoạch; hướng dẫn các đơn vị "
            "đề xuất đặt hàng nhiệm vụ khoa học và công nghệ năm 2020, hoàn thành trước ngày 30/9/2019.",
            "- Tổng hợp, báo cáo Ủy ban nhân dân Tỉnh và Bộ Khoa học và Công nghệ kết quả thực hiện Kế hoạch "
            "trước ngày 15 tháng 12 hằng năm.",
        ),
        Heading("2. Sở Tài chính:", 2),
        Para(
            "Chủ trì, phối hợp với Sở Khoa học và Công nghệ thẩm định, tham mưu Ủy ban nhân dân Tỉnh bố trí dự "
            "toán kinh phí sự nghiệp khoa học và công nghệ năm 2020; hướng dẫn sử dụng và quyết toán kinh phí "
            "theo quy định."
        ),
        Heading("3. Sở Kế hoạch và Đầu tư:", 2),
        Para(
            "Chủ trì, phối hợp với Sở Tài chính cân đối vốn đầu tư phát triển cho các dự án khoa học và công "
            "nghệ, tham mưu Ủy ban nhân dân Tỉnh phân bổ trong Quý IV/2019."
        ),
        Heading("4. Sở Thông tin và Truyền thông, Đài Phát thanh và Truyền hình Đồng Tháp, Báo Đồng Tháp:", 2),
        Para(
            "Thường xuyên tuyên truyền các mô hình ứng dụng tiến bộ khoa học và công nghệ có hiệu quả, gương "
            "điển hình trong hoạt động sáng tạo của tổ chức, cá nhân trên địa bàn Tỉnh."
        ),
        Heading("5. Ủy ban nhân dân các huyện, thị xã, thành phố:", 2),
        Para(
            "Xây dựng kế hoạch ứng dụng tiến bộ khoa học và công nghệ năm 2020 của địa phương, gửi Sở Khoa học "
            "và Công nghệ trước ngày 31/10/2019 để tổng hợp."
        ),
        Heading("6. Các sở, ban, ngành Tỉnh:", 2),
        Para(
            "Căn cứ chức năng, nhiệm vụ, chủ động đề xuất nhiệm vụ khoa học và công nghệ phục vụ yêu cầu phát "
            "triển của ngành, lĩnh vực; phối hợp với Sở Khoa học và Công nghệ triển khai Kế hoạch này./."
        ),
        Signature(
            recipients=(
                "- Bộ Khoa học và Công nghệ;",
                "- TT/TU, TT/HĐND Tỉnh;",
                "- CT, các PCT/UBND Tỉnh;",
                "- Các sở, ban, ngành Tỉnh;",
                "- UBND các huyện, thị xã, thành phố;",
                "- Lưu: VT, KGVX.",
            ),
            authority=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            name="Trần Văn Tâm",
        ),
    ]
    header = HeaderBlock(
        ("ỦY BAN NHÂN DÂN", "TỈNH ĐỒNG THÁP"), "Số: 215/KH-UBND", "Đồng Tháp, ngày 25 tháng 7 năm 2019"
    )
    return PlanLayout(
        blocks, header, "bottom", 13.0, pdf_title="Kế hoạch phát triển KH&CN năm 2020", margins_mm=(20, 20, 30, 15)
    )


# ---------------------------------------------------------------------------------------- Quảng Ninh


QUANG_NINH_TASKS: tuple[tuple[str, ...], ...] = (
    ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn hoàn thành"),
    (
        "1",
        "Ban hành Quy chế quản lý nhiệm vụ khoa học, công nghệ và đổi mới sáng tạo cấp tỉnh theo cơ chế khoán "
        "chi đến sản phẩm cuối cùng",
        "Sở KH&CN",
        "Quý II/2026",
    ),
    (
        "2",
        "Xây dựng Cơ sở dữ liệu về tiềm lực khoa học và công nghệ của tỉnh, kết nối với cơ sở dữ liệu quốc gia",
        "Sở KH&CN",
        "Tháng 8/2026",
    ),
    (
        "3",
        "Tham mưu bố trí kinh phí cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số trong dự toán "
        "ngân sách tỉnh",
        "Sở TC",
        "Hằng năm từ 2026",
    ),
    (
        "4",
        "Ứng dụng công nghệ số, cảm biến trong quản lý tài nguyên, môi trường và sản xuất nông nghiệp thông minh",
        "Sở NN&MT",
        "Q2/2026 – Q4/2026",
    ),
    (
        "5",
        "Đưa nội dung kỹ năng số, trí tuệ nhân tạo vào hoạt động giáo dục tại các cơ sở giáo dục phổ thông",
        "Sở GD&ĐT",
        "Từ 2026 trở đi",
    ),
    ("6", "Bảo đảm an ninh mạng, an toàn dữ liệu cho các hệ thống thông tin của tỉnh", "Công an tỉnh", "Thường xuyên"),
    (
        "7",
        "Vận hành Trung tâm điều hành thông minh (IOC) tỉnh, kết nối dữ liệu từ các sở, ngành và cấp xã",
        "VP UBND tỉnh",
        "6 tháng đầu năm 2026",
    ),
    (
        "8",
        "Rà soát, chuẩn hóa quy trình nội bộ giải quyết thủ tục hành chính trên môi trường điện tử",
        "UBND cấp xã",
        "Tháng 5/2026",
    ),
    ("9", "Tổ chức đào tạo, bồi dưỡng kiến thức về chuyển đổi số cho cán bộ, công chức cấp xã", "Sở Nội vụ", "Q3/2026"),
    ("10", "Tổ chức Ngày hội khởi nghiệp đổi mới sáng tạo tỉnh Quảng Ninh năm 2026", "Sở KH&CN", "Quý IV/2026"),
)


def quang_ninh() -> PlanLayout:
    blocks: list[Block] = [
        Title(
            "KẾ HOẠCH",
            (
                "Triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị",
                "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo",
                "và chuyển đổi số trên địa bàn tỉnh năm 2026",
            ),
        ),
        *paras(
            "Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo số 93/2025/QH15 ngày 27/6/2025;",
            "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công "
            "nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;",
            "Căn cứ Nghị định số 267/2025/NĐ-CP ngày 14/10/2025 của Chính phủ quy định chi tiết một số điều của "
            "Luật Khoa học, công nghệ và đổi mới sáng tạo về tài chính và đầu tư;",
            "Thực hiện Chương trình hành động số 18-CTr/TU ngày 20/01/2026 của Ban Thường vụ Tỉnh ủy Quảng Ninh "
            "thực hiện Nghị quyết số 57-NQ/TW;",
            "Xét đề nghị của Sở Khoa học và Công nghệ tại Tờ trình số 36/TTr-SKHCN ngày 02/3/2026, Ủy ban nhân dân "
            "tỉnh ban hành Kế hoạch như sau:",
        ),
        Heading("I. MỤC ĐÍCH, YÊU CẦU", 1),
        Para(
            "Cụ thể hóa các nhiệm vụ của Nghị quyết số 57-NQ/TW và Chương trình hành động của Ban Thường vụ Tỉnh "
            "ủy thành các nhiệm vụ có sản phẩm đầu ra, cơ quan chủ trì và thời hạn hoàn thành rõ ràng; bảo đảm "
            "phù hợp với mô hình chính quyền địa phương hai cấp."
        ),
        Heading("II. MỤC TIÊU NĂM 2026", 1),
        *paras(
            "- Tỷ lệ chi cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số đạt tối thiểu 3% tổng chi "
            "ngân sách của tỉnh.",
            "- Có từ 30 doanh nghiệp khởi nghiệp sáng tạo trở lên được hỗ trợ; ít nhất 02 sản phẩm khoa học và "
            "công nghệ được thương mại hóa thành công.",
            "- 100% thủ tục hành chính đủ điều kiện được cung cấp dưới dạng dịch vụ công trực tuyến toàn trình; "
            "tỷ lệ hồ sơ trực tuyến trễ hạn dưới 1%.",
            "- Thời gian thẩm định, phê duyệt nhiệm vụ khoa học và công nghệ cấp tỉnh không quá 45 ngày.",
            "- Số đơn đăng ký sáng chế, giải pháp hữu ích của tổ chức, cá nhân trên địa bàn tăng 30% so với giai "
            "đoạn 2021 - 2025.",
            "- Kinh tế số đóng góp trên 20% GRDP của tỉnh.",
        ),
        Heading("III. NHIỆM VỤ, GIẢI PHÁP", 1),
        *paras(
            "1. Hoàn thiện thể chế, tháo gỡ điểm nghẽn về cơ chế tài chính cho hoạt động khoa học, công nghệ và "
            "đổi mới sáng tạo; chuyển mạnh sang cơ chế đặt hàng, khoán chi.",
            "2. Phát triển hạ tầng số, dữ liệu số; bảo đảm kết nối, chia sẻ dữ liệu giữa các cấp chính quyền.",
            "3. Phát triển nguồn nhân lực chất lượng cao, thu hút chuyên gia, nhà khoa học về làm việc tại tỉnh.",
            "Nhiệm vụ cụ thể của các cơ quan, đơn vị tại Phụ lục kèm theo Kế hoạch này.",
        ),
        Heading("IV. KINH PHÍ THỰC HIỆN", 1),
        Para(
            "Kinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành, lồng "
            "ghép trong các chương trình, đề án đã được phê duyệt và các nguồn huy động hợp pháp khác."
        ),
        Heading("V. TỔ CHỨC THỰC HIỆN", 1),
        *paras(
            "1. Sở Khoa học và Công nghệ là cơ quan thường trực, chủ trì theo dõi, đôn đốc, tổng hợp, báo cáo Ủy "
            "ban nhân dân tỉnh kết quả thực hiện Kế hoạch trước ngày 10 tháng 12 năm 2026.",
            "2. Các sở, ban, ngành, UBND cấp xã căn cứ nhiệm vụ được giao tại Phụ lục chủ động triển khai, báo cáo "
            "kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 25 tháng 11 hằng năm./.",
        ),
        Signature(
            recipients=(
                "- Ban Thường vụ Tỉnh ủy (b/c);",
                "- Chủ tịch, các PCT UBND tỉnh;",
                "- Các sở, ban, ngành tỉnh;",
                "- UBND các xã, phường, đặc khu;",
                "- Lưu: VT, KGVX.",
            ),
            authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            name=None,
        ),
        PageBreak(),
        Title("PHỤ LỤC", ("NHIỆM VỤ TRIỂN KHAI NGHỊ QUYẾT SỐ 57-NQ/TW NĂM 2026",)),
        Para("(Kèm theo Kế hoạch số      /KH-UBND ngày     /3/2026 của Ủy ban nhân dân tỉnh)", italic=True),
        TableBlock(QUANG_NINH_TASKS, col_weights=(4, 48, 14, 14), font_size=10.5),
    ]
    header = HeaderBlock(
        ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"), "Số:        /KH-UBND", "Quảng Ninh, ngày      tháng 3 năm 2026"
    )
    return PlanLayout(blocks, header, None, 12.0, pdf_title="Kế hoạch triển khai Nghị quyết 57-NQ/TW năm 2026")


# ------------------------------------------------------------------------------------------- Gia Lai


GIA_LAI_TARGETS: tuple[tuple[str, ...], ...] = (
    ("TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2024", "Năm 2025"),
    ("1", "Số dự án khởi nghiệp đổi mới sáng tạo được hỗ trợ", "dự án", "10", "15"),
    ("2", "Số doanh nghiệp khởi nghiệp đổi mới sáng tạo gọi được vốn từ nhà đầu tư", "doanh nghiệp", "2", "3"),
    ("3", "Số sự kiện kết nối, trình diễn công nghệ và khởi nghiệp được tổ chức", "sự kiện", "4", "5"),
)

GIA_LAI_TASKS: tuple[tuple[str, ...], ...] = (
    ("TT", "Tên nhiệm vụ", "Sản phẩm dự kiến", "Cơ quan chủ trì", "Cơ quan phối hợp", "Tiến độ"),
    (
        "1",
        "Xây dựng và vận hành Cổng thông tin khởi nghiệp đổi mới sáng tạo tỉnh Gia Lai",
        "Cổng thông tin được vận hành",
        "Sở KH&CN",
        "Sở TT&TT",
        "Quý III/2024",
    ),
    (
        "2",
        "Tổ chức Cuộc thi Ý tưởng khởi nghiệp đổi mới sáng tạo tỉnh Gia Lai",
        "Cuộc thi được tổ chức, trao giải",
        "Sở KH&CN",
        "Tỉnh đoàn, Sở GD&ĐT",
        "Hằng năm",
    ),
    (
        "3",
        "Hỗ trợ thành lập câu lạc bộ khởi nghiệp tại các trường đại học, cao đẳng, cơ sở giáo dục nghề nghiệp",
        "Câu lạc bộ khởi nghiệp được thành lập",
        "Sở GD&ĐT",
        "Sở LĐ-TB&XH, Tỉnh đoàn",
        "Năm 2024 - 2025",
    ),
    (
        "4",
        "Đào tạo, tập huấn kỹ năng khởi nghiệp, quản trị doanh nghiệp cho cá nhân, nhóm khởi nghiệp",
        "Lớp tập huấn",
        "Sở KH&CN",
        "Sở KH&ĐT, Hiệp hội Doanh nghiệp tỉnh",
        "Tháng 9-11/2024",
    ),
    (
        "5",
        "Hỗ trợ doanh nghiệp khởi nghiệp đăng ký bảo hộ quyền sở hữu trí tuệ, xây dựng thương hiệu sản phẩm",
        "Hồ sơ đăng ký bảo hộ được nộp",
        "Sở KH&CN",
        "UBND các huyện, thị xã, thành phố",
        "2024 - 2025",
    ),
    (
        "6",
        "Kết nối nhà đầu tư, quỹ đầu tư với các dự án khởi nghiệp tiềm năng",
        "Phiên kết nối đầu tư",
        "Sở KH&ĐT",
        "Sở KH&CN",
        "Q4/2024 – Q2/2025",
    ),
    (
        "7",
        "Truyền thông về khởi nghiệp đổi mới sáng tạo trên Báo Gia Lai, Đài PT-TH tỉnh",
        "Chuyên mục, phóng sự",
        "Sở TT&TT",
        "Báo Gia Lai, Đài PT-TH tỉnh",
        "Thường xuyên",
    ),
)


def gia_lai() -> PlanLayout:
    blocks: list[Block] = [
        Title("KẾ HOẠCH", ("Hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo", "tỉnh Gia Lai giai đoạn 2024 - 2025")),
        *paras(
            "Căn cứ Quyết định số 844/QĐ-TTg ngày 18/5/2016 của Thủ tướng Chính phủ phê duyệt Đề án “Hỗ trợ hệ "
            "sinh thái khởi nghiệp đổi mới sáng tạo quốc gia đến năm 2025”;",
            "Căn cứ Quyết định số 569/QĐ-TTg ngày 11/5/2022 của Thủ tướng Chính phủ ban hành Chiến lược phát "
            "triển khoa học, công nghệ và đổi mới sáng tạo đến năm 2030;",
            "Căn cứ Kế hoạch số 2412/KH-UBND ngày 27/10/2022 của Ủy ban nhân dân tỉnh thực hiện Chiến lược phát "
            "triển khoa học, công nghệ và đổi mới sáng tạo đến năm 2030 trên địa bàn tỉnh Gia Lai;",
            "Ủy ban nhân dân tỉnh Gia Lai ban hành Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh "
            "giai đoạn 2024 - 2025, cụ thể như sau:",
        ),
        Heading("I. MỤC ĐÍCH, YÊU CẦU", 1),
        Para(
            "Tạo môi trường thuận lợi để thúc đẩy, hỗ trợ quá trình hình thành và phát triển loại hình doanh "
            "nghiệp có khả năng tăng trưởng nhanh dựa trên khai thác tài sản trí tuệ, công nghệ, mô hình kinh "
            "doanh mới; huy động sự tham gia của các trường, viện, doanh nghiệp và nhà đầu tư."
        ),
        Heading("II. MỤC TIÊU", 1),
        Heading("1. Mục tiêu chung", 2),
        Para(
            "Hình thành và phát triển hệ sinh thái khởi nghiệp đổi mới sáng tạo của tỉnh gắn với thế mạnh nông "
            "nghiệp công nghệ cao, du lịch và văn hóa Tây Nguyên."
        ),
        Heading("2. Chỉ tiêu cụ thể", 2),
        TableBlock(
            GIA_LAI_TARGETS,
            col_weights=(4, 46, 14, 10, 10),
            font_size=10.5,
            caption="Bảng 1. Chỉ tiêu hỗ trợ khởi nghiệp đổi mới sáng tạo giai đoạn 2024 - 2025",
        ),
        Para(
            "Phấn đấu đến hết năm 2025, có ít nhất 02 cơ sở ươm tạo khởi nghiệp đi vào hoạt động và trên 50% "
            "trường đại học, cao đẳng trên địa bàn tỉnh có câu lạc bộ khởi nghiệp."
        ),
        Heading("III. NHIỆM VỤ VÀ GIẢI PHÁP", 1),
        *paras(
            "1. Hoàn thiện cơ chế, chính sách hỗ trợ khởi nghiệp đổi mới sáng tạo phù hợp với điều kiện của tỉnh.",
            "2. Phát triển mạng lưới cố vấn, nhà đầu tư, tổ chức thúc đẩy kinh doanh; tăng cường kết nối với hệ "
            "sinh thái khởi nghiệp quốc gia và các tỉnh Tây Nguyên.",
            "Danh mục nhiệm vụ cụ thể tại Phụ lục kèm theo.",
        ),
        Heading("IV. KINH PHÍ THỰC HIỆN", 1),
        Para(
            "Tổng kinh phí thực hiện Kế hoạch giai đoạn 2024 - 2025 là 12,5 tỷ đồng (Mười hai tỷ, năm trăm triệu "
            "đồng). Trong đó:"
        ),
        *paras(
            "- Ngân sách tỉnh (nguồn sự nghiệp khoa học và công nghệ): 9.500.000.000 đồng; năm 2024: "
            "4.200.000.000 đồng, năm 2025: 5.300.000.000 đồng.",
            "- Nguồn xã hội hóa, đóng góp của doanh nghiệp và các nguồn hợp pháp khác: 3.000.000.000 đồng.",
        ),
        Heading("V. TỔ CHỨC THỰC HIỆN", 1),
        *paras(
            "1. Sở Khoa học và Công nghệ: Là cơ quan thường trực, chủ trì tổ chức thực hiện các nhiệm vụ tại Phụ "
            "lục; tổng hợp, báo cáo kết quả thực hiện về Ủy ban nhân dân tỉnh và Bộ Khoa học và Công nghệ trước "
            "ngày 15 tháng 12 hằng năm.",
            "2. Sở Tài chính: Căn cứ khả năng cân đối ngân sách, tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí sự "
            "nghiệp khoa học và công nghệ để thực hiện Kế hoạch.",
            "3. Tỉnh đoàn Gia Lai: Chủ trì, phối hợp với Hội Liên hiệp Phụ nữ tỉnh, Sở Khoa học và Công nghệ tổ chức "
            "các hoạt động truyền thông, cuộc thi khởi nghiệp cho đoàn viên, thanh niên, hội viên phụ nữ.",
            "Trong quá trình triển khai, nếu có vướng mắc, các cơ quan, đơn vị báo cáo Ủy ban nhân dân tỉnh (qua Sở "
            "Khoa học và Công nghệ) để xem xét, giải quyết./.",
        ),
        Signature(
            recipients=(
                "- Bộ Khoa học và Công nghệ (b/c);",
                "- TT. Tỉnh ủy, TT. HĐND tỉnh;",
                "- Các sở, ban, ngành thuộc tỉnh;",
                "- UBND các huyện, thị xã, thành phố;",
                "- Lưu: VT, KGVX.",
            ),
            authority=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            name="Lê Văn Phước",
        ),
        PageBreak(),
        Title("PHỤ LỤC", ("DANH MỤC NHIỆM VỤ HỖ TRỢ KHỞI NGHIỆP ĐỔI MỚI SÁNG TẠO", "GIAI ĐOẠN 2024 - 2025")),
        Para("(Kèm theo Kế hoạch số 1890/KH-UBND ngày 08/5/2024 của UBND tỉnh Gia Lai)", italic=True),
        TableBlock(GIA_LAI_TASKS, col_weights=(4, 30, 18, 11, 18, 12), font_size=9.5),
    ]
    header = HeaderBlock(("UBND TỈNH GIA LAI",), "Số: 1890/KH-UBND", "Gia Lai, ngày 08 tháng 5 năm 2024")
    return PlanLayout(
        blocks,
        header,
        "top",
        12.5,
        pdf_title="Kế hoạch hỗ trợ khởi nghiệp ĐMST 2024 - 2025",
        margins_mm=(20, 20, 30, 20),
    )


# -------------------------------------------------------------------------------------------- output


LAYOUTS = {NGHE_AN: nghe_an, DONG_THAP: dong_thap, QUANG_NINH: quang_ninh, GIA_LAI: gia_lai}


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; đ→d, Đ→D. Line structure is kept."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def text_layer(pdf_path: Path) -> str:
    """The PDF's text layer as read by pdfium, pages separated by form feeds (like a plain-text export)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        pages = [pdf[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(pdf))]
    finally:
        pdf.close()
    return "\f".join(pages)


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    for stem, build in LAYOUTS.items():
        pages = render_plan_pdf(build(), DOCS / f"{stem}.pdf")
        print(f"{stem}.pdf: {pages} pages")
    pages = make_scan(DOCS / f"{SCANNED}.pdf", DOCS / f"{SCANNED}.scan.pdf", dpi=200, rotate=0.6, seed=7)
    print(f"{SCANNED}.scan.pdf: {pages} pages")
    stripped = strip_diacritics(text_layer(DOCS / f"{STRIPPED}.pdf"))
    (DOCS / f"{STRIPPED}.stripped.txt").write_text(stripped, encoding="utf-8")
    print(f"{STRIPPED}.stripped.txt: {len(stripped.split())} words")


if __name__ == "__main__":
    main()
