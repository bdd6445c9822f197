"""Agency names: abbreviations → canonical full names; cells and phrases → lists of agencies."""

from __future__ import annotations

import pytest

from extractors.agencies import extract, merge_local_committees
from extractors.context import Context
from normalizers.agencies import canonical_agency, find_agencies, for_city, split_agencies
from pipeline.model.contract import Metadata, Span, Task
from pipeline.model.doctext import DocText
from pipeline.model.pages import PageText

ALIASES = [
    ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
    ("Sở KHCN", "Sở Khoa học và Công nghệ"),
    ("sở khoa học và công nghệ", "Sở Khoa học và Công nghệ"),
    ("Sở NN&MT", "Sở Nông nghiệp và Môi trường"),
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
    ("Sở VHTT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("UBND cấp xã", "Ủy ban nhân dân cấp xã"),
    ("UBND các xã, phường", "Ủy ban nhân dân các xã, phường"),  # a collective body, as written
    ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
    ("Hội LHPN tỉnh", "Hội Liên hiệp Phụ nữ tỉnh"),
    ("Đoàn TN", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),
    ("LĐLĐ tỉnh", "Liên đoàn Lao động tỉnh"),
    ("HHDN", "Hiệp hội Doanh nghiệp tỉnh"),
    ("Liên minh HTX", "Liên minh Hợp tác xã tỉnh"),
    ("các sở, ban, ngành của tỉnh có liên quan", "Các sở, ban, ngành tỉnh"),
    ("UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
    ("Uy ban nhan dan cac huyen, thanh pho, thi xa", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
    ("So Tai chinh", "Sở Tài chính"),  # diacritics lost by OCR
]


@pytest.mark.parametrize(("alias", "canonical"), ALIASES)
def test_aliases_reach_the_canonical_name(alias: str, canonical: str) -> None:
    assert canonical_agency(alias) == canonical


def test_unknown_agencies_are_kept_as_written() -> None:
    assert canonical_agency("  Trường Cao đẳng Nghề  tỉnh ") == "Trường Cao đẳng Nghề tỉnh"


def test_commas_inside_names_do_not_split_them() -> None:
    cell = "Báo và Phát thanh, Truyền hình tỉnh, Sở Văn hóa, Thể thao và Du lịch và Sở KH&CN"
    assert split_agencies(cell) == [
        "Báo và Phát thanh, Truyền hình tỉnh",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Khoa học và Công nghệ",
    ]


def test_named_district_committees_are_one_per_place() -> None:
    assert split_agencies("UBND các huyện Mường Tè, Sìn Hồ và Sở Y tế") == [
        "Ủy ban nhân dân huyện Mường Tè",
        "Ủy ban nhân dân huyện Sìn Hồ",
        "Sở Y tế",
    ]


def test_cells_keep_bodies_outside_the_lexicon() -> None:
    cell = "Sở Tư pháp; Viện Nghiên cứu Phát triển vùng, Trung tâm Dữ liệu tỉnh và các đơn vị có liên quan"
    assert split_agencies(cell) == [
        "Sở Tư pháp",
        "Viện Nghiên cứu Phát triển vùng",
        "Trung tâm Dữ liệu tỉnh",
        "Các cơ quan, đơn vị liên quan",
    ]


@pytest.mark.parametrize("cell", ["", "  ", "-", "Theo chức năng, nhiệm vụ được giao"])
def test_cells_without_agencies_give_nothing(cell: str) -> None:
    assert split_agencies(cell) == []


def test_mentions_carry_offsets_into_the_text() -> None:
    text = "Giao Sở KH&CN chủ trì, phối hợp với Sở Tài chính tham mưu."
    mentions = find_agencies(text)
    assert [(text[m.start : m.end], m.name) for m in mentions] == [
        ("Sở KH&CN", "Sở Khoa học và Công nghệ"),
        ("Sở Tài chính", "Sở Tài chính"),
    ]


def _task(lead: str, coop: list[str]) -> Task:
    return Task(text="x", lead_agency=lead, cooperating_agencies=coop, span=Span(page=1, start=0, end=1))


def test_agency_records_gather_roles_and_aliases() -> None:
    text = (
        "Sở KH&CN chủ trì; Sở Khoa học và Công nghệ báo cáo. UBND các huyện, thành phố và UBND các huyện, "
        "thị xã, thành phố phối hợp."
    )
    doc = DocText([PageText(number=1, origin="plain", raw=text, text=text)])
    tasks = [
        _task("Sở Khoa học và Công nghệ", ["Ủy ban nhân dân các huyện, thành phố"]),
        _task("Ủy ban nhân dân các huyện, thị xã, thành phố", ["Sở Khoa học và Công nghệ"]),
    ]
    merge_local_committees(tasks)
    agencies = extract(Context(doc=doc, metadata=Metadata()), tasks)
    by_name = {a.name: a for a in agencies}
    assert set(by_name) == {"Sở Khoa học và Công nghệ", "Ủy ban nhân dân các huyện, thị xã, thành phố"}
    assert by_name["Sở Khoa học và Công nghệ"].roles == ["lead", "cooperate"]
    assert "Sở KH&CN" in by_name["Sở Khoa học và Công nghệ"].aliases


@pytest.mark.parametrize(
    ("cell_line", "name"),
    [
        ("S0 KhOAa hoc", "Sở Khoa học và Công nghệ"),  # Sở read as S0, a doubled letter
        ("36 Khoa hoc", "Sở Khoa học và Công nghệ"),  # Sở read as 36
        ("S& Vanhod,", "Sở Văn hóa, Thể thao và Du lịch"),  # name cut and garbled by the wrap
        ("So Nong nghi¢p va Moi", "Sở Nông nghiệp và Môi trường"),  # told from Nông nghiệp và PTNT
        ("HO1 LHPN,", "Hội Liên hiệp Phụ nữ tỉnh"),  # digit for a letter
        ("Lruong Chinh tri tinh", "Trường Chính trị tỉnh"),
        ("Hiép héi doanh", "Hiệp hội Doanh nghiệp tỉnh"),
        ("va cac don vi, t0 chirc co", "Các cơ quan, đơn vị liên quan"),  # the group cut before `liên quan`
    ],
)
def test_ocr_table_fragments_name_their_agency(cell_line: str, name: str) -> None:
    assert [m.name for m in find_agencies(cell_line, fragments=True)] == [name]


@pytest.mark.parametrize("text", ["chuyen doi so cong nghe cao", "so hoa du lieu nong nghiep", "du lieu so trong y te"])
def test_running_text_about_digital_things_names_no_agency(text: str) -> None:
    assert find_agencies(text, fragments=True) == []


# --- abbreviations derived from the names, not listed one by one ---------------------------------------


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Sở TC", "Sở Tài chính"),
        ("Sở NV", "Sở Nội vụ"),
        ("Sở NgV", "Sở Ngoại vụ"),  # `NV` is taken by Nội vụ, listed first
        ("Sở TP", "Sở Tư pháp"),
        ("Sở XD", "Sở Xây dựng"),
        ("Sở YT", "Sở Y tế"),
        ("Sở CT", "Sở Công Thương"),
        ("Sở KH-CN", "Sở Khoa học và Công nghệ"),
        ("Sở KH và CN", "Sở Khoa học và Công nghệ"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở GTVT", "Sở Giao thông vận tải"),
        ("Sở VH, TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở VH&TT", "Sở Văn hóa và Thể thao"),
        ("Sở DT&TG", "Sở Dân tộc và Tôn giáo"),
        ("Sở LĐTB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Văn hoá - Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),  # another joiner, old accent
        ("Đài PT&TH tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("Đài PTTH", "Đài Phát thanh và Truyền hình tỉnh"),
        ("Đài Phát thanh - Truyền hình tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
        ("BQL KKT tỉnh", "Ban Quản lý Khu kinh tế tỉnh"),
        ("Bộ CHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh"),
        ("UBMTTQVN tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
        ("Hội ND tỉnh", "Hội Nông dân tỉnh"),
        ("LMHTX tỉnh", "Liên minh Hợp tác xã tỉnh"),
        ("Quỹ Phát triển KH&CN tỉnh", "Quỹ Phát triển khoa học và công nghệ tỉnh"),
        ("Thanh tra tỉnh", "Thanh tra tỉnh"),
        ("Tỉnh đoàn", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),
    ],
)
def test_abbreviations_follow_from_the_names(alias: str, canonical: str) -> None:
    assert canonical_agency(alias) == canonical


def test_every_department_is_reached_by_its_initials() -> None:
    from normalizers.agency_names import DEPARTMENTS, initials

    owners: dict[str, str] = {}
    for name in DEPARTMENTS:
        owners.setdefault(initials(name), name)
    for key, name in owners.items():
        assert canonical_agency(f"Sở {key.upper()}") == f"Sở {name}"


# --- places that are part of a name ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Báo Hà Tĩnh", "Báo Hà Tĩnh"),
        ("Đài Phát thanh và Truyền hình Bình Định", "Đài Phát thanh và Truyền hình Bình Định"),
        ("Đài PT-TH Bình Định", "Đài Phát thanh và Truyền hình Bình Định"),  # abbreviation expanded, place kept
        ("Báo và Phát thanh, Truyền hình Sơn La", "Báo và Phát thanh, Truyền hình Sơn La"),
        ("Hội Nông dân tỉnh Kon Tum", "Hội Nông dân tỉnh Kon Tum"),
        ("Công an tỉnh", "Công an tỉnh"),
        ("Tỉnh đoàn Hà Nam", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"),  # the name holds its `tỉnh`
        ("Dai PT-TH Binh Dinh", "Đài Phát thanh và Truyền hình Bình Định"),  # accents lost: spelled right
    ],
)
def test_a_place_in_the_name_stays(written: str, canonical: str) -> None:
    assert canonical_agency(written) == canonical


def test_a_heading_listing_bodies_with_their_province_splits_into_each() -> None:
    cell = "Sở TT&TT, Đài Phát thanh và Truyền hình Trà Vinh, Báo Trà Vinh và Hội LHPN tỉnh"
    assert split_agencies(cell) == [
        "Sở Thông tin và Truyền thông",
        "Đài Phát thanh và Truyền hình Trà Vinh",
        "Báo Trà Vinh",
        "Hội Liên hiệp Phụ nữ tỉnh",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "đề nghị báo cáo Ủy ban Quốc gia",  # `báo` a verb
        "thông báo Phú Yên về kết quả",  # lower-case one-word name
        "lực lượng công an tham gia bảo đảm an ninh",  # `công an` with no `tỉnh`: a common noun
        "hội viên hội nông dân được tập huấn",  # lower case: a common noun
        "nguồn quỹ phát triển khoa học và công nghệ của doanh nghiệp",  # an enterprise's fund
    ],
)
def test_common_words_are_not_bodies(text: str) -> None:
    assert [m.name for m in find_agencies(text)] == []


def test_a_ministry_is_named_whole_and_a_verb_is_not_a_newspaper() -> None:
    # the ministry of a department's field keeps its commas and `và`; `báo cáo` is a verb, not `Báo`
    assert [m.name for m in find_agencies("đề nghị báo cáo Bộ Văn hóa, Thể thao và Du lịch")] == [
        "Bộ Văn hóa, Thể thao và Du lịch"
    ]


# --- departments written without `Sở` in a list --------------------------------------------------------


def test_departments_listed_without_so_next_to_one_with_it() -> None:
    text = "gồm đại diện các ngành: Y tế, Sở Nội vụ, Công thương và Xây dựng, cùng 02 chuyên gia"
    assert [m.name for m in find_agencies(text)] == ["Sở Y tế", "Sở Nội vụ", "Sở Công Thương", "Sở Xây dựng"]


def test_a_list_opened_by_cac_so_names_departments() -> None:
    assert split_agencies("Giao các Sở: Tư pháp, Tài chính và Giáo dục và Đào tạo phối hợp") == [
        "Sở Tư pháp",
        "Sở Tài chính",
        "Sở Giáo dục và Đào tạo",
    ]


def test_a_field_named_in_prose_is_not_a_department() -> None:
    text = "Ứng dụng Khoa học và công nghệ vào sản xuất. Sở Tài chính bố trí kinh phí."
    assert [m.name for m in find_agencies(text)] == ["Sở Tài chính"]


@pytest.mark.parametrize(
    ("phrase", "names"),
    [
        (
            "Các sở, ban, ngành, UBND các huyện, thị xã, thành phố",
            ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"],
        ),
        ("UBND các xã, phường, thị trấn", ["Ủy ban nhân dân các xã, phường, thị trấn"]),
        ("Sở Khoa học và Công nghệ (cơ quan thường trực), Sở TC", ["Sở Khoa học và Công nghệ", "Sở Tài chính"]),
    ],
)
def test_groups_and_remarks(phrase: str, names: list[str]) -> None:
    assert split_agencies(phrase) == names


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("BQL các KCN tỉnh", "Ban Quản lý các khu công nghiệp tỉnh"),
        ("Ban Quản lý các Khu công nghiệp", "Ban Quản lý các khu công nghiệp tỉnh"),
        ("Ngân hàng Nhà nước chi nhánh tỉnh Yên Bái", "Ngân hàng Nhà nước chi nhánh tỉnh Yên Bái"),
        ("Các trường đại học, cao đẳng trên địa bàn tỉnh", "Các trường đại học, cao đẳng trên địa bàn tỉnh"),
        ("Trung tâm Chuyển giao công nghệ ĐMST tỉnh", "Trung tâm Chuyển giao công nghệ đổi mới sáng tạo tỉnh"),
    ],
)
def test_names_keep_their_parts_and_lose_their_abbreviations(written: str, canonical: str) -> None:
    assert split_agencies(written) == [canonical]


def test_a_list_of_district_committees_each_written_with_ubnd() -> None:
    assert split_agencies("UBND thị xã Sa Pa, UBND huyện Bát Xát, UBND huyện Văn Bàn") == [
        "Ủy ban nhân dân thị xã Sa Pa",
        "Ủy ban nhân dân huyện Bát Xát",
        "Ủy ban nhân dân huyện Văn Bàn",
    ]


def test_a_centrally_run_city_names_its_bodies_as_the_city() -> None:
    assert for_city("Các sở, ban, ngành tỉnh", "Hải Phòng") == "Các sở, ban, ngành thành phố"
    assert for_city("Ủy ban nhân dân tỉnh", "Huế") == "Ủy ban nhân dân thành phố"
    assert for_city("Các sở, ban, ngành tỉnh", "Quảng Ninh") == "Các sở, ban, ngành tỉnh"
    assert for_city("Sở Tài chính", "Cần Thơ") == "Sở Tài chính"
