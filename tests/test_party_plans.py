"""Plans of a party committee (Đảng ủy xã), read by the genre's formulae: duties assigned in a closing parenthesis,
items whose bullets label the bodies, collective and party-cell headings, a committee's staff bodies by the Party's
term. The plans are invented for these tests (bodies, places and work appear in no real document here)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import vnplan_extract

# A programme of supervisions: each item closes with the body it is given to, `(Giao X chủ trì, phối hợp với Y
# tham mưu trong quý ...)`, one item written without a number under its year. The text is as a PDF converter
# leaves it: `uỷ` glued to the next word, a compound split at a line end after its hyphen.
SUPERVISION_PROGRAM = """ĐẢNG BỘ TỈNH GIA LAI
ĐẢNG UỶ XÃ TÂN LẬP ĐÔNG
*
Số 31-CTr/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
Tân Lập Đông, ngày 05 tháng 3 năm 2027
CHƯƠNG TRÌNH
Giám sát chuyên đề của Ban Chấp hành Đảng bộ xã năm 2027 - 2028
I. NỘI DUNG GIÁM SÁT
* Năm 2027
1. Giám sát việc quản lý quỹ đất công ích tại các khu dân cư ven sông. (Giao Ban kiểm tra Hội Làm vườn xã
chủ trì, phối hợp với Văn phòng Đảng uỷtham mưu trong quý III/2027).
* Năm 2028
Giám sát việc sử dụng nguồn vốn vay ưu đãi cho các hộ làm nghề gốm (Giao cơ quan Hội Người mù xã chủ trì,
tham mưu trong quý I/2028).
II. LÃNH ĐẠO CÔNG TÁC GIÁM SÁT
1. Căn cứ Chương trình này và tình hình các thôn ven sông, hằng năm Ban Thường vụ Đảng uỷ ban hành kế hoạch
giám sát cụ thể để thực hiện.
III. TỔ CHỨC THỰC HIỆN
1. Các cấp uỷ, chi bộ, đoàn thể
- Quán triệt nội dung Chương trình đến từng đảng viên trong các khu dân cư ven sông.
- Gắn việc giám sát với phong trào giữ gìn nghề gốm truyền thống của các thôn.
2. Chi bộ Thú y, Thủy lợi xã
Căn cứ Chương trình này, xây dựng kế hoạch giám sát phù hợp với đặc điểm của đơn vị mình.
3. Các cơ quan tham mưu giúp việc Đảng uỷ, Hội Người mù xã chủ động bám sát nội dung Chương trình, hằng năm
đề xuất chuyên đề giám sát với các tổ chức chính trị-
xã hội xã.
Nơi nhận:
- Lưu VPĐU.
T/M ĐẢNG UỶ
BÍ THƯ
Đinh Thị Hòa Mai
"""


def _tasks(doc: dict) -> list[tuple]:
    return [
        (
            t["text"][:40],
            t["lead_agency"],
            t["cooperating_agencies"],
            (t["deadline"] or {}).get("start"),
            (t["deadline"] or {}).get("end"),
        )
        for t in doc["tasks"]
    ]


def test_a_party_programme_assigns_each_item_in_its_closing_parenthesis(tmp_path: Path) -> None:
    doc = vnplan_extract(tmp_path / "chuong_trinh_giam_sat.txt", SUPERVISION_PROGRAM)
    tasks = _tasks(doc)
    # the item without its parenthesis is the duty; the body after `Giao` leads (a name whose head takes a verb
    # as its own word: `Ban kiểm tra Hội Làm vườn`), `phối hợp với` cooperates, the quarter is the window
    assert tasks[0] == (
        "Giám sát việc quản lý quỹ đất công ích t",
        "Ban kiểm tra Hội Làm vườn xã Tân Lập Đông",
        ["Văn phòng Đảng ủy"],
        "2027-07-01",
        "2027-09-30",
    )
    assert doc["tasks"][0]["text"].endswith("ven sông.")
    # an unnumbered item too; `cơ quan Hội ...` is the body
    assert tasks[1] == (
        "Giám sát việc sử dụng nguồn vốn vay ưu đ",
        "Hội Người mù xã Tân Lập Đông",
        [],
        "2028-01-01",
        "2028-03-31",
    )
    # the subject after a fronted clause and how often (`..., hằng năm Ban X ban hành ...`), every year
    assert tasks[2][1] == "Ban Thường vụ Đảng ủy" and doc["tasks"][2]["deadline"]["recurrence"] == "annual"
    # a collective heading leads its bullets; a party cell named over two units is one cell per unit
    assert [t[1] for t in tasks[3:5]] == ["Các cấp ủy, chi bộ, đoàn thể"] * 2
    assert tasks[5][1:3] == ("Chi bộ Thú y xã Tân Lập Đông", ["Chi bộ Thủy lợi xã Tân Lập Đông"])
    # the committee's staff bodies by the Party's term, whatever the document's commas; the compound split at a
    # line end keeps its hyphen, and a body only mentioned in the duty does not cooperate
    assert tasks[6][1:3] == ("Các cơ quan tham mưu, giúp việc Đảng ủy", ["Hội Người mù xã Tân Lập Đông"])
    assert "chính trị-xã hội" in doc["tasks"][6]["text"]
    assert len(tasks) == 7
    names = {a["name"] for a in doc["agencies"]}
    assert "Văn phòng Đảng ủy" in names and not any("u ỷ" in n or "uỷ" in n for n in names)


# A plan whose items label their fields: the first field naming who leads gives the lead, a later `Cơ quan thực
# hiện` names bodies that carry the work out (they cooperate), and the prose of an item with such fields names no
# cooperating body.
DIGITISATION_PLAN = """ĐẢNG BỘ TỈNH GIA LAI
ĐẢNG UỶ XÃ TÂN LẬP ĐÔNG
*
Số -KH/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
Tân Lập Đông, ngày 12 tháng 4 năm 2027
KẾ HOẠCH
Số hóa hồ sơ đảng viên năm 2027
I. NHIỆM VỤ
1. Về hồ sơ
1.1. Số hóa sổ ghi biên bản sinh hoạt của các chi bộ khu phố ven sông.
- Cơ quan chủ trì: Ban Nghiên cứu Lịch sử Đảng.
- Cơ quan thực hiện: Các cơ quan, tham mưu giúp việc Đảng uỷ; các chi, đảng bộ trên toàn xã.
- Thời gian thực hiện: Quý II/2027.
1.2. Phối hợp với Hội Người mù xã in bản chữ nổi của Điều lệ Đảng cho đảng viên khiếm thị.
- Cơ quan chủ trì, thực hiện: Văn phòng Đảng uỷ.
- Thời gian thực hiện: Thường xuyên; hoàn thành trước ngày 30/9/2027.
1.3. Lập danh mục tài liệu lịch sử Đảng bộ lưu tại các thôn ven sông.
- Cơ quan chủ trì: Ban Nghiên cứu Lịch sử Đảng.
- Cơ quan phối hợp: các Đảng uỷ trực thuộc Đảng uỷ xã.
- Thời gian thực hiện: Quý III, IV năm 2027.
1.4. Trang bị máy quét tài liệu cho phòng lưu trữ của Đảng uỷ.
- Cơ quan chủ trì: Văn phòng Đảng uỷ.
- Thời gian hoàn thành: Trước 15/8/2027.
II. TỔ CHỨC THỰC HIỆN
1. Đảng ủy các cơ quan Đảng
- Chỉ đạo HĐND xã giám sát việc lưu trữ hồ sơ đảng viên tại các thôn ven sông.
- Chỉ đạo Hội Cựu chiến binh và các tổ chức chính trị - xã hội xã vận động hội viên hiến tặng tư liệu lịch sử.
2. Các cơ quan tham mưu giúp việc Đảng uỷ và các Đảng uỷ trực thuộc:
- Căn cứ Kế hoạch này, các cơ quan, đơn vị, các chi, đảng bộ chủ động rà soát hồ sơ đảng viên của đơn vị mình.
- Người đứng đầu cấp ủy, cơ quan, đơn vị chịu trách nhiệm trước Ban Thường vụ Đảng uỷ về kết quả số hóa.
Nơi nhận:
- Lưu VPĐU.
T/M BAN THƯỜNG VỤ
BÍ THƯ
Đinh Thị Hòa Mai
"""


def test_fields_of_an_item_name_its_lead_and_the_bodies_carrying_it_out(tmp_path: Path) -> None:
    doc = vnplan_extract(tmp_path / "ke_hoach_so_hoa.txt", DIGITISATION_PLAN)
    by_id = {t["id"]: t for t in doc["tasks"]}
    first = by_id["1.1"]
    assert first["lead_agency"] == "Ban Nghiên cứu Lịch sử Đảng"
    assert first["cooperating_agencies"] == ["Các cơ quan tham mưu, giúp việc Đảng ủy", "Các chi, đảng bộ trên toàn xã"]
    assert (first["deadline"]["start"], first["deadline"]["end"]) == ("2027-04-01", "2027-06-30")
    second = by_id["1.2"]
    assert second["lead_agency"] == "Văn phòng Đảng ủy"
    assert (second["deadline"]["recurrence"], second["deadline"]["end"]) == ("continuous", None)  # first cue decides
    # the units under the issuer, named with it once and without it elsewhere: one name
    third = by_id["1.3"]
    assert third["cooperating_agencies"] == ["Các Đảng ủy trực thuộc"]
    assert (third["deadline"]["start"], third["deadline"]["end"]) == ("2027-07-01", "2027-12-31")  # two quarters
    assert (by_id["1.4"]["deadline"]["start"], by_id["1.4"]["deadline"]["end"]) == (None, "2027-08-15")


def test_a_party_committee_directs_the_council_and_its_own_headings(tmp_path: Path) -> None:
    doc = vnplan_extract(tmp_path / "ke_hoach_so_hoa.txt", DIGITISATION_PLAN)
    meta = doc["metadata"]
    # `Số -KH/ĐU`: a number left blank, no colon; the issuer is the committee, not the number line
    assert (meta["doc_number"], meta["issuer"]) == (None, "Đảng ủy xã Tân Lập Đông")
    duties = [(t["lead_agency"], t["cooperating_agencies"]) for t in doc["tasks"] if t["id"].startswith("II.")]
    assert duties == [
        # a party committee directs the council of its level: it cooperates, it is no superior here
        ("Đảng ủy các cơ quan Đảng", ["Hội đồng nhân dân xã Tân Lập Đông"]),
        # a level written once after two bodies joined by `và` is the first one's too
        ("Đảng ủy các cơ quan Đảng", ["Hội Cựu chiến binh xã Tân Lập Đông", "Các tổ chức chính trị - xã hội xã"]),
        # the bullet's subject only restates the heading's bodies in general: the heading leads; a rule on the
        # heads of bodies (`Người đứng đầu ... chịu trách nhiệm`) is no duty
        ("Các cơ quan tham mưu, giúp việc Đảng ủy", ["Các Đảng ủy trực thuộc"]),
    ]


# Two bodies as one subject, the second name's head after `và`; names that hold `và` themselves stay whole.
TWO_SUBJECTS_PLAN = """ĐẢNG BỘ TỈNH GIA LAI
ĐẢNG UỶ XÃ TÂN LẬP ĐÔNG
*
Số 32-KH/ĐU
ĐẢNG CỘNG SẢN VIỆT NAM
Tân Lập Đông, ngày 06 tháng 3 năm 2027
KẾ HOẠCH
Sơ kết nghề gốm truyền thống năm 2027
I. TỔ CHỨC THỰC HIỆN
1. Ban kiểm tra Hội Làm vườn xã và Văn phòng Đảng uỷ có trách nhiệm theo dõi việc giữ nghề gốm ở các thôn, tổng
hợp ý kiến của các hộ làm gốm trong quý III/2027.
2. Hội Gốm sứ và Mỹ nghệ xã chủ trì trưng bày sản phẩm gốm của các thôn ven sông trong quý IV/2027.
Nơi nhận:
- Lưu VPĐU.
T/M ĐẢNG UỶ
BÍ THƯ
Đinh Thị Hòa Mai
"""


def test_two_bodies_joined_by_va_are_two_the_first_leading(tmp_path: Path) -> None:
    doc = vnplan_extract(tmp_path / "ke_hoach.txt", TWO_SUBJECTS_PLAN)
    by_text = {t["text"][:20]: t for t in doc["tasks"]}
    joint = by_text["Ban kiểm tra Hội Làm"]
    assert joint["lead_agency"] == "Ban kiểm tra Hội Làm vườn xã Tân Lập Đông"
    assert joint["cooperating_agencies"] == ["Văn phòng Đảng ủy"]
    assert by_text["Hội Gốm sứ và Mỹ ngh"]["lead_agency"] == "Hội Gốm sứ và Mỹ nghệ xã Tân Lập Đông"
