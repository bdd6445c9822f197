"""Plans written for this test, with counted things and issuers found nowhere else in the repository,
extracted through the `vnplan` command: units come from grammar, issuers from the header's shape."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PARTY_PROGRAM = """ĐẢNG BỘ TỈNH QUẢNG TRỊ
HUYỆN ỦY HƯỚNG HÓA
*
Số: 15 -CTr/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Hướng Hóa, ngày 12 tháng 3 năm 2027

CHƯƠNG TRÌNH HÀNH ĐỘNG
Phát triển du lịch sinh thái gắn với bảo vệ rừng đầu nguồn giai đoạn 2027 - 2030

Thực hiện Nghị quyết số 08-NQ/TU ngày 05/01/2027 của Tỉnh ủy về phát triển du lịch sinh thái, Ban Thường vụ
Huyện ủy xây dựng Chương trình hành động như sau:

I. MỤC TIÊU
1. Giai đoạn 2027 - 2028
- Xây dựng 05 điểm du lịch cộng đồng tại các xã vùng cao.
- Hoàn thành 3 khu xử lý chất thải rắn trên địa bàn huyện.
2. Giai đoạn 2029 - 2030
- Trồng mới ít nhất 120 ha rừng phòng hộ đầu nguồn.
- Thu hút từ 3 - 5 nhà đầu tư vào chế biến lâm sản.
- Doanh thu từ du lịch tăng gấp 2 lần so với năm 2026.
- Dành 2% tổng chi ngân sách huyện cho bảo tồn đa dạng sinh học.
- Tỷ lệ hộ làm du lịch có thu nhập khá tăng 1,5-2% mỗi năm.
- Tỷ lệ hộ nghèo vùng đồng bào giảm nhanh và bền vững.

II. NHIỆM VỤ, GIẢI PHÁP
1. Các tổ chức cơ sở đảng lãnh đạo thực hiện Chương trình; hằng năm báo cáo Ban Thường vụ Huyện ủy.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC

Hồ Văn Lâm
"""

DEPARTMENT_PLAN = """UBND TỈNH KON TUM
SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
Số: 27 /KH-SNNMT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Kon Tum, ngày 09 tháng 4 năm 2027

KẾ HOẠCH
Phát triển vùng nguyên liệu sâm dưới tán rừng năm 2027

Căn cứ Quyết định số 310/QĐ-UBND ngày 02/02/2027 của Ủy ban nhân dân tỉnh về vùng dược liệu;
Sở Nông nghiệp và Môi trường ban hành Kế hoạch như sau:

I. MỤC TIÊU CỤ THỂ
- Hình thành 4 chuỗi liên kết tiêu thụ dược liệu.
- Cấp 12 mã số vùng trồng cho các hợp tác xã.
- Sản lượng củ sâm thu hoạch đạt 45.000 trong năm.

II. TỔ CHỨC THỰC HIỆN
Các phòng chuyên môn thuộc Sở triển khai Kế hoạch này./.

Nơi nhận:
- UBND tỉnh;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Y Nhăn Mlô
"""


def _extract(tmp_path: Path, name: str, text: str) -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_party_committee_program_read_by_grammar(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "huyen_uy_du_lich.txt", PARTY_PROGRAM)
    meta = doc["metadata"]
    assert (meta["doc_type"], meta["doc_number"], meta["issued_date"]) == (
        "Chương trình hành động", "15-CTr/HU", "2027-03-12")
    assert meta["issuer"] == "Huyện ủy Hướng Hóa"
    assert (meta["signer_title"], meta["signer_name"]) == ("Phó Bí thư Thường trực", "Hồ Văn Lâm")
    got = [(t["value"], t["comparator"], t["unit"], t["year"]) for t in doc["targets"]]
    assert got == [
        (5, "=", "điểm du lịch", 2028),  # a count of a thing no list names; the year of its phase
        (3, "=", "khu xử lý", 2028),
        (120, ">=", "ha", 2030),  # a unit of measure
        (3, ">=", "nhà đầu tư", 2030),  # a range: its lower bound, at least
        (2, "=", "lần", 2030),  # a multiple
        (2, "=", "%", 2030),  # a share of a budget
        (1.5, ">=", "%", None),  # a range of shares, recurring every year: no due year
    ]
    for target in doc["targets"]:
        assert str(target["value"]).split(".")[0] in target["text"].replace(",", ".")
    warned = [(w["code"], w["message"]) for w in doc["warnings"]]
    assert any(code == "target_without_number" and "hộ nghèo" in message for code, message in warned)


def test_a_department_plan_and_a_number_without_a_unit(tmp_path: Path) -> None:
    doc = _extract(tmp_path, "so_nong_nghiep_sam.txt", DEPARTMENT_PLAN)
    meta = doc["metadata"]
    assert (meta["doc_number"], meta["issuer"], meta["province"]) == (
        "27/KH-SNNMT", "Sở Nông nghiệp và Môi trường", "Kon Tum")
    assert (meta["signer_title"], meta["signer_name"]) == ("Phó Giám đốc", "Y Nhăn Mlô")
    got = [(t["value"], t["unit"], t["year"]) for t in doc["targets"]]
    assert got == [(4, "chuỗi liên kết", 2027), (12, "mã số", 2027)]
    (warning,) = [w for w in doc["warnings"] if w["code"] == "target_number_unparsed"]
    assert "45.000" in warning["message"] and warning["span"]["page"] == 1
