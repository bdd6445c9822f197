"""Page text repair: rejoined paragraphs, dropped page furniture, offsets back into the raw text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.text_repair import normalize_pages
from normalizers.unicode_text import nfc_mapped
from pipeline.model.pages import PageText, RawPage
from pipeline.read.ingest import read_pages
from tests.conftest import PLAN_PARAGRAPHS, draw_plan_pdf, vnplan_extract, vnplan_run

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"


def _base(ch: str) -> str:
    """A character without its diacritics, lowercased (đ stays đ)."""
    return unicodedata.normalize("NFD", ch)[0].casefold()


def _assert_offsets_map_back(page: PageText) -> None:
    assert len(page.raw_offsets) == len(page.text) + 1
    assert page.raw_offsets[-1] == len(page.raw)
    assert all(a <= b for a, b in zip(page.raw_offsets, page.raw_offsets[1:], strict=False))
    for i, ch in enumerate(page.text):
        raw_ch = page.raw[page.raw_offsets[i]]
        if ch == " " or ch == "\n":
            continue
        assert _base(raw_ch) == _base(ch), (i, ch, raw_ch)


def _no_restore(text: str) -> tuple[str, bool]:
    return text, False


def _pages(*texts: str) -> list[RawPage]:
    return [RawPage(i + 1, "native", t) for i, t in enumerate(texts)]


# --- on a real seed -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_excerpt() -> str:
    lines = (SEEDS / "laocai_khcn_2023_000.txt").read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:60])


def test_seed_wraps_are_rejoined(seed_excerpt: str) -> None:
    (page,) = normalize_pages(_pages(seed_excerpt), restore=_no_restore)
    lines = page.text.split("\n")
    assert "" not in lines  # stray blank lines are gone
    # "Bộ Khoa \n học" was split by the layout; the sentence now runs on one line to its colon.
    preamble = next(ln for ln in lines if ln.startswith("Thực hiện Văn bản số 683/BKHCN-KHTC"))
    assert "của Bộ Khoa học và Công nghệ về việc hướng dẫn" in preamble
    assert preamble.endswith("năm 2023 như sau:")
    # Outline items start their own lines; the wrapped capitalised heading is whole.
    assert "1. Lĩnh vực Tiêu chuẩn Đo lường Chất lượng" in lines
    heading = next(ln for ln in lines if ln.startswith("A. "))
    assert heading.endswith("NĂM 2022")
    assert lines[0] == "KẾ HOẠCH"
    assert lines[1] == "Khoa học, công nghệ, đổi mới sáng tạo và dự toán ngân sách năm 2023"
    assert "  " not in page.text
    _assert_offsets_map_back(page)


def test_whole_seeds_keep_offsets_and_markers() -> None:
    for path in sorted(SEEDS.glob("*_00[0-3].txt")):
        raw = path.read_text(encoding="utf-8")
        (page,) = normalize_pages(_pages(raw), restore=_no_restore)
        _assert_offsets_map_back(page)
        lines = page.text.split("\n")
        # Every outline marker in the source (at a line start) still starts a line.
        for marker in ("I. MỤC", "1. Mục", "- "):
            if any(ln.lstrip().startswith(marker) for ln in raw.split("\n")):
                assert any(ln.startswith(marker) for ln in lines), (path.name, marker)


def test_isolated_page_number_inside_text_is_dropped() -> None:
    raw = "phối hợp giữa các khu, \n\nlàm việc chung, \n\n\n\n12 \n\nphòng thí nghiệm chuyên ngành.\n"
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    assert page.text == "phối hợp giữa các khu, làm việc chung, phòng thí nghiệm chuyên ngành."


# --- page furniture, hyphens, tables --------------------------------------------------------------


def test_running_headers_footers_and_page_numbers_are_dropped() -> None:
    body = [
        "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành triển khai các nhiệm vụ\n"
        "được giao trong kế hoạch này.",
        "Sở Tài chính bố trí kinh phí thực hiện theo quy định của pháp luật về ngân sách\nnhà nước hiện hành.",
        "Ủy ban nhân dân cấp xã tổ chức thực hiện các nội dung thuộc thẩm quyền.",
    ]
    texts = [f"UBND TỈNH LÀO CAI - KẾ HOẠCH SỐ 52\n{b}\nTrang {i + 1}/3" for i, b in enumerate(body)]
    texts[1] = f"- {2} -\n" + texts[1]
    pages = normalize_pages(_pages(*texts), restore=_no_restore)
    for page, b in zip(pages, body, strict=True):
        assert page.text == " ".join(b.split("\n"))
        _assert_offsets_map_back(page)


def test_single_page_keeps_its_first_line() -> None:
    (page,) = normalize_pages(_pages("UBND TỈNH LÀO CAI\nKẾ HOẠCH"), restore=_no_restore)
    assert page.text == "UBND TỈNH LÀO CAI\nKẾ HOẠCH"


def test_hyphens_dashes_and_bullets_at_line_ends() -> None:
    raw = (
        "Thực hiện Nghị quyết số 57-\nNQ/TW và chương trình chuyển đổi số giai đoạn 2021-\n2025 của tỉnh, "
        "ứng dụng công nghệ trong quản lý (manage-\nment) và phát triển kinh tế\n- xã hội của tỉnh.\n"
        "- Sở Tài chính;\n+ Sở Nội vụ;\na) Nội dung thứ nhất;\n1.2. Nội dung thứ hai"
    )
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    assert page.text.split("\n") == [
        "Thực hiện Nghị quyết số 57-NQ/TW và chương trình chuyển đổi số giai đoạn 2021-2025 của tỉnh, "
        "ứng dụng công nghệ trong quản lý (management) và phát triển kinh tế - xã hội của tỉnh.",
        "- Sở Tài chính;",
        "+ Sở Nội vụ;",
        "a) Nội dung thứ nhất;",
        "1.2. Nội dung thứ hai",
    ]
    _assert_offsets_map_back(page)


def test_pipe_rows_stay_on_their_own_lines() -> None:
    raw = (
        "Danh mục nhiệm vụ như sau\n\n| TT | Nhiệm vụ | Chủ trì |\n| 1 | Xây dựng   cơ sở dữ liệu | Sở KH&CN |\n\n"
        "trong đó các nhiệm vụ"
    )
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    assert page.text.split("\n") == [
        "Danh mục nhiệm vụ như sau",
        "| TT | Nhiệm vụ | Chủ trì |",
        "| 1 | Xây dựng cơ sở dữ liệu | Sở KH&CN |",
        "trong đó các nhiệm vụ",
    ]


def test_repeated_table_header_rows_are_kept() -> None:
    texts = [f"| TT | Nhiệm vụ |\n| {i} | Nhiệm vụ số {i} |" for i in (1, 2, 3)]
    pages = normalize_pages(_pages(*texts), restore=_no_restore)
    assert all(p.text.startswith("| TT | Nhiệm vụ |\n") for p in pages)


# --- Unicode and restoration ----------------------------------------------------------------------


def test_nfc_and_tone_style_keep_offsets() -> None:
    raw = unicodedata.normalize("NFD", "Kế hoạch hoà nhập, thuỷ lợi và khoẻ mạnh")
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    assert unicodedata.is_normalized("NFC", page.text)
    pytest.importorskip("normalizers.tone")
    assert page.text == "Kế hoạch hòa nhập, thủy lợi và khỏe mạnh"
    _assert_offsets_map_back(page)


def test_restoration_hook_composes_offsets_token_wise() -> None:
    def restore(text: str) -> tuple[str, bool]:
        new = text.replace("Ke hoach", "Kế hoạch").replace("khoa hoc", "khoa học")
        return new, new != text

    raw = "Ke hoach   phat trien\nkhoa hoc nam 2026"
    (page,) = normalize_pages(_pages(raw), restore=restore)
    assert page.diacritics_restored
    assert page.text == "Kế hoạch phat trien khoa học nam 2026"
    assert page.raw[page.raw_offsets[page.text.index("học")] :][:3] == "hoc"
    _assert_offsets_map_back(page)


def test_restoration_that_breaks_tokens_is_refused() -> None:
    (page,) = normalize_pages(_pages("khoa hoc"), restore=lambda t: ("khoahọc", True))
    assert page.text == "khoa hoc" and not page.diacritics_restored


def test_real_restorer_on_ocr_seed_keeps_offsets() -> None:
    pytest.importorskip("normalizers.restore")
    lines = (SEEDS / "laocai_nq57_2026_ocr_004.txt").read_text(encoding="utf-8").split("\n")
    (page,) = normalize_pages(_pages("\n".join(lines[8:30])))
    assert len(page.raw_offsets) == len(page.text) + 1
    for i, ch in enumerate(page.text):  # restoration changes letters, never where a token is
        assert ch.isspace() == page.raw[page.raw_offsets[i]].isspace() or ch == " "


_WORDS = [
    "khoa",
    "học",
    "công",
    "nghệ",
    "Sở",
    "Tài",
    "chính",
    "2026",
    "hoà",
    "thuỷ",
    "kinh",
    "tế",
    "-",
    "1.",
    "a)",
    "ĐỔI",
    "MỚI",
    "57-",
    "| 1 | x |",
    "12",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_WORDS), min_size=0, max_size=12), min_size=1, max_size=30),
    st.sampled_from(["NFC", "NFD"]),
    st.sampled_from([" ", "  ", "\t"]),
)
def test_offsets_always_map_back(lines: list[list[str]], form: str, gap: str) -> None:
    raw = unicodedata.normalize(form, "\n".join(gap.join(words) for words in lines))
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    _assert_offsets_map_back(page)


def test_nfc_mapped_points_composed_letters_at_their_base() -> None:
    text, index = nfc_mapped("ho\u0300a e\u0302\u0301")
    assert text == "hòa ế"
    assert index == [0, 1, 3, 4, 5, 8]


# --- born-digital end to end ----------------------------------------------------------------------


def test_born_digital_pdf_paragraphs_come_back_whole(plan_pdf: Path) -> None:
    pages = normalize_pages(read_pages(plan_pdf), restore=_no_restore)
    lines = [ln for p in pages for ln in p.text.split("\n")]
    for paragraph in PLAN_PARAGRAPHS:  # every drawn paragraph is one line again
        assert paragraph in lines
    # The running header and the page numbers are gone.
    assert not any("Kế hoạch 2026" in ln and "Ủy ban" in ln for ln in lines)
    assert not any(ln.strip().isdigit() for ln in lines)
    for page in pages:
        _assert_offsets_map_back(page)


def test_a_title_then_a_preamble_cue_are_two_paragraphs(tmp_path: Path) -> None:
    # Born digital: the title's last line is nearly full and has no final stop, so only the cue word
    # (`Căn cứ`) at the next line start says a new paragraph begins.
    title = "Ứng dụng trí tuệ nhân tạo trong quản lý nhà nước và phát triển kinh tế số của tỉnh giai đoạn 2026 - 2030"
    basis = (
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
        "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;"
    )
    pdf = draw_plan_pdf(tmp_path / "title.pdf", [["KẾ HOẠCH", title, basis, *PLAN_PARAGRAPHS[3:]]])
    pages = normalize_pages(read_pages(pdf), restore=_no_restore)
    lines = pages[0].text.split("\n")
    assert lines[1:3] == [title, basis]
    _assert_offsets_map_back(pages[0])


def test_cue_words_inside_a_sentence_do_not_split_it() -> None:
    raw = (
        "Ủy ban nhân dân tỉnh giao Sở Khoa học và Công nghệ chủ trì tham mưu triển khai các nội dung của\n"
        "Đề án phát triển thị trường khoa học và công nghệ; phối hợp với các sở, ngành liên quan nhằm\n"
        "Thực hiện có hiệu quả các mục tiêu đã đề ra trong năm 2026 và những năm tiếp theo của tỉnh."
    )
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    assert page.text == " ".join(raw.split("\n"))


def test_lookalike_eth_becomes_vietnamese_d_with_offsets_kept() -> None:
    raw = "Thực hiện Ðề án số 06-ĐÐA/TU về chuyển đổi số"
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    assert page.text == "Thực hiện Đề án số 06-ĐA/TU về chuyển đổi số"
    assert len(page.raw_offsets) == len(page.text) + 1 and page.raw_offsets[-1] == len(raw)
    for i, ch in enumerate(page.text):
        raw_ch = raw[page.raw_offsets[i]]
        assert raw_ch == ch or (ch, raw_ch) in {("Đ", "Ð")}, (i, ch, raw_ch)
    assert raw[page.raw_offsets[page.text.index("A/TU")] :][:4] == "A/TU"


def test_separator_rules_are_layout_not_text() -> None:
    # Rules under the header columns and under the title: on a line of their own or trailing a line.
    raw = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\n_______\nSố: 41/KH-UBND\n"
        "KẾ HOẠCH\nPhát triển thương mại điện tử trên địa bàn tỉnh Quảng Trị giai đoạn 2026 - 2030 và các năm\n"
        "tiếp theo ━━━━━━━\nCăn cứ Luật Giao dịch điện tử;\n* * *\nXét đề nghị của Sở Công Thương tại Tờ trình số 9,\n"
        "-----\nỦy ban nhân dân tỉnh ban hành Kế hoạch.\n"
    )
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    lines = page.text.split("\n")
    assert not any(set(ln) <= set("_━-* ") for ln in lines)
    title = "Phát triển thương mại điện tử trên địa bàn tỉnh Quảng Trị giai đoạn 2026 - 2030 và các năm tiếp theo"
    assert title in lines
    # A rule between two lines keeps them apart even when the first one reads as unfinished.
    assert "Xét đề nghị của Sở Công Thương tại Tờ trình số 9," in lines
    _assert_offsets_map_back(page)


def test_header_lines_are_never_run_together() -> None:
    raw = (
        "ỦY BAN NHÂN DÂN TỈNH BẾN TRE CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 1077/KH-UBND thành phố Bến Tre, ngày 03 tháng 4 năm 2024\nKẾ HOẠCH\n"
        "Chuyển đổi số nông nghiệp tỉnh Bến Tre năm 2024\n"
    )
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    lines = page.text.split("\n")
    # Two columns read into one line: the number and the place-date line, then the type on its own.
    assert lines[1] == "Số: 1077/KH-UBND thành phố Bến Tre, ngày 03 tháng 4 năm 2024"
    assert lines[2:] == ["KẾ HOẠCH", "Chuyển đổi số nông nghiệp tỉnh Bến Tre năm 2024"]
    _assert_offsets_map_back(page)


def test_list_items_glued_to_the_sentence_before_are_split() -> None:
    raw = (
        "2. Chỉ tiêu\n"
        "a) Có 12 hợp tác xã ứng dụng truy xuất nguồn gốc.b) Không dưới 40% hộ dân dùng thanh toán số.\n"
        "Nội dung kết thúc; c/ Hoàn thành sàn giao dịch nông sản.\n"
        "Nội dung tại điểm a) và b) nêu trên.\n"
    )
    (page,) = normalize_pages(_pages(raw), restore=_no_restore)
    lines = page.text.split("\n")
    assert "a) Có 12 hợp tác xã ứng dụng truy xuất nguồn gốc." in lines
    assert "b) Không dưới 40% hộ dân dùng thanh toán số." in lines
    assert "c/ Hoàn thành sàn giao dịch nông sản." in lines
    assert "Nội dung tại điểm a) và b) nêu trên." in lines
    _assert_offsets_map_back(page)


def test_syllables_a_converter_glued_are_set_apart_and_the_agencies_read(tmp_path: Path) -> None:
    """A converter's text runs syllables together where runs of type changed (`vụĐảng`, `bộvà`): `vnplan
    text` sets them apart, abbreviations and foreign words stay whole, and the bodies come out by name
    (invented plan)."""
    plan = tmp_path / "ke_hoach.txt"
    plan.write_text(
        "ĐẢNG ỦY XÃ PHÚ LẠC\nSố 07-KH/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\nPhú Lạc, ngày 02 tháng 3 năm 2027\n"
        "KẾ HOẠCH\nTriển khai sổ tay điện tử cho chi bộnăm 2027\n"
        "I. TỔ CHỨC THỰC HIỆN\n"
        "1. Văn phòng Đảng ủychủ trì xây dựng phần mềm eHandbook trên nền KHCN, hoàn thành trong quý II/2027.\n"
        "2. Ban Xây dựng Đảngchủ trì hướng dẫn các chi bộtriển khai.\n",
        encoding="utf-8",
    )
    text = vnplan_run("text", plan)
    assert "cho chi bộ năm 2027" in text and "Văn phòng Đảng ủy chủ trì" in text and "các chi bộ triển khai" in text
    assert "eHandbook" in text and "KHCN" in text
    doc = vnplan_extract(plan)
    names = {a["name"] for a in doc["agencies"]}
    assert "Văn phòng Đảng ủy" in names, names
