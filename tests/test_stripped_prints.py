"""Plans printed or typed without diacritics: what restoration got wrong, by class (issue 13).

- a name restored once is restored the same way everywhere in the document: a phrase the model
  spells otherwise in a poor context (after a foreign word) takes the document's own spelling;
- the capitalized head before an abbreviation (`So TT&TT`) is spelled as the document spells the
  same head before names (`Sở`), not as the more frequent word of its letters (`Số`);
- calendar words inside date and deadline expressions are restored (`thang 8/2028` is `tháng`);
- on a page printed without marks, the few marks the OCR put on bare letters are strays and are
  restored with the rest (`Nghỉ quyet` is `Nghị quyết`);
- an outline heading opened by a Roman numeral (`II. NHIEM VU`) is restored like the others, and the
  item letters `d)` and `đ)`, both printed `d)`, follow their list;
- the document's spelling is a prior, not a verdict: where the words around a phrase make it far less
  likely (`Luật Đấu thầu` in a plan that names `Luật Đầu tư` more often), the context wins;
- end to end: a plan printed without marks in Tinos (Times New Roman's metric twin), scanned, read
  by `vnplan extract`.

Every text here is invented for these tests.
"""

from __future__ import annotations

import io
import json
import lzma
import os
import pathlib
import subprocess
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from normalizers.restore.syllables import fold
from samples.bare_print import folded_font
from tests.conftest import ROOT, vnplan_extract, vnplan_run

# An invented plan as typed without a Vietnamese keyboard layout.
BARE_PLAN = [
    "UY BAN NHAN DAN",
    "TINH LAM DONG",
    "So: 88/KH-UBND",
    "CONG HOA XA HOI CHU NGHIA VIET NAM",
    "Doc lap - Tu do - Hanh phuc",
    "Lam Dong, ngay 14 thang 4 nam 2028",
    "KE HOACH",
    "To chuc Giai chay Marathon Lam Dong nam 2028",
    "Can cu Nghi quyet so 21/NQ-HDND ngay 09/12/2027 cua Hoi dong nhan dan tinh Lam Dong;",
    "Uy ban nhan dan tinh Lam Dong ban hanh Ke hoach to chuc giai chay nhu sau:",
    "I. MUC TIEU",
    "Thu hut 3.000 van dong vien tham gia Giai chay Marathon Lam Dong trong nam 2028.",
    "II. NHIEM VU",
    "1. So Van hoa, The thao va Du lich chu tri xay dung dieu le giai chay. Thoi gian thuc hien: nam 2028.",
    "2. So Tai chinh chu tri tham muu bo tri kinh phi. Thoi gian hoan thanh: thang 8/2028.",
    "3. So Y te phoi hop voi So Van hoa, The thao va Du lich bo tri cac diem so cuu tren duong chay.",
    "4. Cong an tinh Lam Dong bao dam an ninh, trat tu trong cac ngay dien ra giai chay.",
    "III. TO CHUC THUC HIEN",
    "| TT | Nhiem vu | Don vi chu tri | Thoi gian |",
    "| 1 | Quang ba giai chay tren cac trang tin dien tu | So TT&TT | Quy II/2028 |",
    "| 2 | Tuyen chon tinh nguyen vien ho tro van dong vien | So GD&DT | Thang 5-7/2028 |",
    "| 3 | Trao giai cho van dong vien xuat sac | So VH,TT&DL | Thang 9/2028 |",
]


def test_a_name_is_restored_the_same_way_everywhere_in_the_document(tmp_path: pathlib.Path) -> None:
    plan = tmp_path / "bare-plan.txt"
    plan.write_text("\n".join(BARE_PLAN), encoding="utf-8")
    text = vnplan_run("text", plan)
    words = text.split()
    # Every `Lam Dong` comes back as the province's name, also after the foreign word `Marathon`,
    # where the model alone reads `Làm Đồng`.
    spelled = [" ".join(words[k : k + 2]).strip(",.;") for k in range(len(words) - 1)]
    names = [s for s in spelled if fold(s).lower() == "lam dong"]
    assert len(names) == 7 and {n.lower() for n in names} == {"lâm đồng"}, names
    assert "Giải chạy Marathon Lâm Đồng" in text


def test_a_head_before_an_abbreviation_is_spelled_as_before_names(tmp_path: pathlib.Path) -> None:
    plan = tmp_path / "bare-plan.txt"
    plan.write_text("\n".join(BARE_PLAN), encoding="utf-8")
    text = vnplan_run("text", plan)
    for unit in ("TT&TT", "GD&DT", "VH,TT&DL"):
        assert f"| Sở {unit} |" in text, text
    assert "Số TT&TT" not in text
    assert "Số: 88/KH-UBND" in text  # the number line keeps its `Số`
    tasks = vnplan_extract(plan)["tasks"]
    leads = {t["text"][:20]: t["lead_agency"] for t in tasks}
    assert leads["Quảng bá giải chạy t"].startswith("Sở Thông tin")


def _vnplan_restore(text: str) -> str:
    """`vnplan restore` with `text` on its standard input, as a user pipes a file through it."""
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "restore"],
        input=text,
        cwd=ROOT,
        env=dict(os.environ, OMP_THREAD_LIMIT="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_calendar_words_in_date_and_deadline_expressions_are_restored() -> None:
    lines = [
        "Thoi gian thuc hien: nam 2028.",
        "Thoi gian hoan thanh: thang 8/2028.",
        "Bao cao ket qua truoc ngay 15/11/2028; tong ket vao Quy IV/2028.",
        "Giai chay huong ung Nam Du lich quoc gia Viet Nam 2028.",
    ]
    restored = _vnplan_restore("\n".join(lines)).split("\n")
    assert restored[0] == "Thời gian thực hiện: năm 2028."
    assert restored[1] == "Thời gian hoàn thành: tháng 8/2028."
    assert "ngày 15/11/2028" in restored[2] and "Quý IV/2028" in restored[2]
    assert restored[3].endswith("Việt Nam 2028.")  # a name before a year stays a name


def test_stray_marks_on_a_page_without_marks_are_restored_with_the_rest(tmp_path: pathlib.Path) -> None:
    # What Tesseract's Vietnamese model reads from a print without marks: a few bare letters get one.
    page = [
        "Can cu Nghỉ quyet so 05-NQ/TU ngay 20/10/2027 cua Ban Thuong vu Tĩnh uy ve phat trien the thao;",
        "Uy ban nhan dan tinh ban hanh Ke hoach to chuc cac giai the thao quan chung nam 2028 nhu sau:",
        "Cac so, ban, nganh va Uy ban nhan dan cac xa chủ dong phoi hop thuc hien Ke hoach nay.",
    ]
    plan = tmp_path / "stray.txt"
    plan.write_text("\n".join(page), encoding="utf-8")
    text = vnplan_run("text", plan)
    assert "Căn cứ Nghị quyết số 05-NQ/TU" in text
    assert "Ban Thường vụ Tỉnh ủy" in text
    assert "chủ động phối hợp" in text


def test_an_outline_heading_opened_by_a_roman_numeral_is_restored(tmp_path: pathlib.Path) -> None:
    plan = tmp_path / "bare-plan.txt"
    plan.write_text("\n".join(BARE_PLAN), encoding="utf-8")
    lines = vnplan_run("text", plan).split("\n")
    assert "II. NHIỆM VỤ" in lines and "III. TỔ CHỨC THỰC HIỆN" in lines
    # The heading stays its own line: the first duty under it starts the next line.
    assert lines[lines.index("II. NHIỆM VỤ") + 1].startswith("1. Sở Văn hóa, Thể thao và Du lịch chủ trì")


def _bare_print(lines: list[str], fonts: pathlib.Path) -> Image.Image:
    """One A4 page of `lines` set in Tinos without marks at 12 pt, printed and scanned at 200 dpi."""
    dpi = 200
    size = round(12 / 72 * dpi)
    font = ImageFont.truetype(str(folded_font("Tinos-Regular.ttf", fonts)), size)
    page = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    y = dpi // 2
    for line in lines:
        draw.text((dpi * 3 // 4, y), line, font=font, fill=0)
        y += round(1.45 * size)
    page = page.rotate(0.6, resample=Image.Resampling.BILINEAR, fillcolor=255).filter(ImageFilter.GaussianBlur(0.5))
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=75)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def test_a_plan_printed_without_marks_and_scanned_is_read_with_its_names_and_deadlines(
    tmp_path: pathlib.Path,
) -> None:
    accented = [
        "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG",
        "Số: 88/KH-UBND",
        "Lâm Đồng, ngày 14 tháng 4 năm 2028",
        "KẾ HOẠCH",
        "Tổ chức Giải chạy Marathon Lâm Đồng năm 2028",
        "Căn cứ Nghị quyết số 21/NQ-HĐND ngày 09/12/2027 của Hội đồng nhân dân tỉnh Lâm Đồng;",
        "Ủy ban nhân dân tỉnh Lâm Đồng ban hành Kế hoạch tổ chức giải chạy như sau:",
        "I. NHIỆM VỤ",
        "1. Sở Tài chính chủ trì tham mưu bố trí kinh phí. Thời gian hoàn thành: tháng 8/2028.",
        "2. Công an tỉnh Lâm Đồng bảo đảm an ninh, trật tự trong các ngày diễn ra giải chạy.",
        "3. Sở Y tế bố trí các điểm sơ cứu trên đường chạy. Thời gian thực hiện: năm 2028.",
    ]
    scan = tmp_path / "bare-print.pdf"
    _bare_print(accented, tmp_path / "fonts").save(scan, "PDF", resolution=200.0)
    record = vnplan_extract(scan)
    assert record["source"]["diacritics_restored"]
    assert record["metadata"]["province"] == "Lâm Đồng"
    assert record["metadata"]["title"] == "Tổ chức Giải chạy Marathon Lâm Đồng năm 2028"
    tasks = {t["lead_agency"]: t for t in record["tasks"]}
    assert tasks["Sở Tài chính"]["deadline"]["text"] == "tháng 8/2028"
    assert tasks["Công an tỉnh Lâm Đồng"]["text"].startswith("Công an tỉnh Lâm Đồng bảo đảm an ninh")


def test_the_documents_spelling_does_not_override_a_context_that_says_otherwise() -> None:
    # `Luat Dau` opens two names: the document's more frequent `Luật Đầu tư` must not turn the one
    # `Luật Đấu thầu` into `Luật Đầu thầu`, where the words around it make that far less likely.
    lines = [
        "Can cu Luat Dau tu ngay 17/6/2020;",
        "Thuc hien Luat Dau tu va cac van ban huong dan Luat Dau tu;",
        "Can cu Luat Dau thau ngay 23/6/2023;",
        "Theo quy dinh cua Luat Dau tu nam 2020.",
    ]
    restored = _vnplan_restore("\n".join(lines)).split("\n")
    assert restored[2] == "Căn cứ Luật Đấu thầu ngày 23/6/2023;"
    assert all("Luật Đầu tư" in restored[k] for k in (0, 1, 3))


def test_item_letters_d_and_dd_follow_their_list() -> None:
    # Printed without marks, the items `d)` and `đ)` are both `d)`: the one after `c)` is `d)`.
    lines = [
        "Cac nhiem vu trong tam:",
        "a) Xay dung ke hoach chi tiet;",
        "b) To chuc tap huan cho can bo;",
        "c) Kiem tra, giam sat viec thuc hien;",
        "d) Tong hop, bao cao ket qua;",
        "d) De xuat khen thuong;",
        "e) Tong ket, danh gia.",
    ]
    restored = _vnplan_restore("\n".join(lines)).split("\n")
    assert [line[:2] for line in restored[1:]] == ["a)", "b)", "c)", "d)", "đ)", "e)"]
    assert restored[4] == "d) Tổng hợp, báo cáo kết quả;"


# An invented plan typed without marks whose target table's header cell the OCR ran together (`Chitieu`),
# among foreign words, codes and abbreviations that are no Vietnamese syllables either.
GLUED_PLAN = [
    "UY BAN NHAN DAN",
    "TINH LAM DONG",
    "So: 91/KH-UBND",
    "KE HOACH",
    "Phat trien dich vu cong truc tuyen nam 2028",
    "Can cu Quyet dinh so 12/2027/QD-UBND cua Uy ban nhan dan tinh ve chuyen doi so;",
    "I. MUC TIEU",
    "1. Muc tieu chung",
    "Dua Chatbot hoi dap tren Zalo va Internet vao phuc vu nguoi dan; ket noi nen tang eGov cua tinh.",
    "2. Chi tieu cu the",
    "| TT | Chitieu | Don vi tinh | Nam 2028 |",
    "| 1 | Ty le ho so truc tuyen toan trinh | % | 80 |",
    "| 2 | So nguoi dan su dung ung dung | nguoi | 50.000 |",
    "II. NHIEM VU",
    "1. So KH&CN chu tri xay dung he thong CNTT dung chung; gui gop y ve hopthu@lamdong.gov.vn.",
    "2. Van phong UBND tinh theo doi cac nhiemvu tren Cong https://dichvucong.lamdong.gov.vn.",
]


def test_words_the_ocr_ran_together_on_a_page_without_marks_are_set_apart(tmp_path: pathlib.Path) -> None:
    plan = tmp_path / "glued.txt"
    plan.write_text("\n".join(GLUED_PLAN), encoding="utf-8")
    text = vnplan_run("text", plan)
    # The table header (written apart in the heading above it) and a glued word of running text.
    assert "| TT | Chỉ tiêu | Đơn vị tính | Năm 2028 |" in text, text
    assert "các nhiệm vụ trên" in text
    # Foreign words, software names, codes, abbreviations, addresses stay whole.
    for kept in ("Chatbot", "Zalo", "Internet", "eGov", "12/2027/QĐ-UBND", "KH&CN", "CNTT", "hopthu@lamdong.gov.vn"):
        assert kept in text, kept
    assert "https://dichvucong.lamdong.gov.vn" in text
    targets = vnplan_extract(plan)["targets"]
    assert {t["value"] for t in targets} >= {80, 50000}, targets


def test_accented_text_is_never_split(tmp_path: pathlib.Path) -> None:
    # A page with its marks keeps a foreign word that reads as bare syllables (`Chatbot`: `chất bột`).
    page = [
        "Kế hoạch triển khai Chatbot hỗ trợ người dân tra cứu thủ tục hành chính trên Cổng dịch vụ công.",
        "Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành xây dựng Chatbot trong năm 2028.",
    ]
    plan = tmp_path / "accented.txt"
    plan.write_text("\n".join(page), encoding="utf-8")
    assert vnplan_run("text", plan).count("Chatbot") == 2


def test_a_signers_name_printed_without_marks_is_read_as_a_name(tmp_path: pathlib.Path) -> None:
    # Alone on its line a name has no context: the syllable model reads `Truong Van Khoa` as the words
    # `Trường Văn Khoa`, `Do Van Khanh` as `Đo Vạn Khánh`; the name model knows family and given names.
    closing = ["TM. UY BAN NHAN DAN", "KT. CHU TICH", "PHO CHU TICH", "", "Truong Van Khoa"]
    plan = tmp_path / "signed.txt"
    plan.write_text("\n".join([*BARE_PLAN, "", *closing]), encoding="utf-8")
    metadata = vnplan_extract(plan)["metadata"]
    assert metadata["signer_name"] == "Trương Văn Khoa", metadata
    assert metadata["signer_title"] == "Phó Chủ tịch"
    restored = _vnplan_restore("Noi nhan:\n- Nhu tren;\n\nDo Van Khanh\n").split("\n")
    assert restored[3] == "Đỗ Văn Khánh"
    # A line of words in capitals is no name: `Ke Hoach` stays the words it is.
    assert _vnplan_restore("Ke Hoach\n").strip() == "Kế Hoạch"


def test_a_family_name_the_corpus_never_met_opens_a_signers_name(tmp_path: pathlib.Path) -> None:
    # Family names are a closed class: the first of a signer's three or four syllables is one, even one
    # the legal corpus never names anybody by (`Kiều`, `Tôn`, `Lò`), where the words its letters spell
    # win without it (`Kiểu Văn Khoa`, `Tổn Thất Bình`, `Lo Văn Bình`).
    closing = ["TM. UY BAN NHAN DAN", "CHU TICH", "", "Kieu Van Khoa"]
    plan = tmp_path / "signed.txt"
    plan.write_text("\n".join([*BARE_PLAN, "", *closing]), encoding="utf-8")
    metadata = vnplan_extract(plan)["metadata"]
    assert metadata["signer_name"] == "Kiều Văn Khoa", metadata
    restored = _vnplan_restore("Noi nhan:\n- Nhu tren;\n\nTon That Binh\n\nLo Van Binh\n").split("\n")
    assert restored[3] == "Tôn Thất Bình" and restored[5] == "Lò Văn Bình", restored
    # The given names after it are not family names: `Van` stays `Văn`, not `Vân`; a two-word line (a
    # place, the head of a name) is not read as a person's name.
    assert _vnplan_restore("Ha Noi\n").strip() == "Hà Nội"


def test_train_restorer_learns_the_name_model(tmp_path: pathlib.Path) -> None:
    # Invented documents: names close clauses after a word in small letters, or stand on a signature line.
    doc = "\n".join(
        [
            "Giao ông Trương Văn Khoa, Giám đốc Sở Tài chính, chủ trì thực hiện.",
            "Phối hợp với bà Võ Thị Lan, Phó Giám đốc, và ông Đỗ Minh Tâm.",
            "KT. CHỦ TỊCH",
            "Trương Minh Hải",
        ]
    )
    corpus = tmp_path / "tiny.txt.xz"
    with lzma.open(corpus, "wt", encoding="utf-8") as fh:
        fh.write((doc + "\n\f\n") * 30)
    vnplan_run("train-restorer", "--names", "--corpus", corpus, "--out", tmp_path / "model")
    learned = json.loads((tmp_path / "model" / "names.json").read_text(encoding="utf-8"))
    assert learned["first3"]["trương"] > 0 and learned["first3"]["võ"] > 0 and learned["first3"]["đỗ"] > 0
    assert "trưởng" not in learned["first3"]  # `Giám đốc Sở Tài chính,` opens with a capital but no name
    assert learned["pairs"]["văn khoa"] > 0
