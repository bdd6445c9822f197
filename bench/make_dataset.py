"""N synthetic plan documents written through the real dataset writer (for API tests and load tests).

Each document is a valid PlanDocument with page text whose spans point at the records' text, spread
over provinces, years, units and deadline kinds so every API filter has something to select. The
documents go through `Dataset.write_document` one by one and a single `Dataset.commit` at the end,
so the tables are written once.

    .venv/bin/python bench/make_dataset.py /tmp/vnplan-5k --n 5000
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.dataset.writer import Dataset, ManifestEntry
from pipeline.model.contract import (
    Agency,
    Budget,
    Deadline,
    LegalBasis,
    Metadata,
    PageRecord,
    PipelineInfo,
    PlanDocument,
    Source,
    Span,
    Target,
    Task,
    TextFile,
)
from pipeline.model.version import __version__

PROVINCES = (
    "Lào Cai",
    "Lai Châu",
    "Hà Giang",
    "Thái Nguyên",
    "Đắk Lắk",
    "Quảng Ninh",
    "Nghệ An",
    "Cà Mau",
    "Đồng Tháp",
    "Bắc Ninh",
    "Hà Nội",
    "Đà Nẵng",
)
DOC_TYPES = ("Kế hoạch", "Kế hoạch", "Kế hoạch", "Chương trình hành động", "Đề án")
AGENCIES = (
    ("Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("Sở Tài chính", "STC"),
    ("Sở Nội vụ", "SNV"),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("Sở Y tế", "SYT"),
    ("Sở Công Thương", "SCT"),
    ("Sở Nông nghiệp và Môi trường", "Sở NN&MT"),
    ("Công an tỉnh", "CA tỉnh"),
    ("Ủy ban nhân dân cấp xã", "UBND cấp xã"),
    ("Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh"),
)
UNITS = (
    ("%", "Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử"),
    ("doanh nghiệp", "Số doanh nghiệp khoa học và công nghệ"),
    ("người/vạn dân", "Số cán bộ nghiên cứu"),
    ("lần", "Số đơn đăng ký sáng chế tăng"),
    ("%", "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến"),
)
COMPARATORS = ("=", ">", ">=", "<", "<=")
QUARTERS = {1: ("01-01", "03-31"), 2: ("04-01", "06-30"), 3: ("07-01", "09-30"), 4: ("10-01", "12-31")}


def _deadline(rng: random.Random, year: int) -> Deadline:
    kind = rng.randrange(5)
    if kind == 0:
        q = rng.randint(1, 4)
        start, end = QUARTERS[q]
        return Deadline(text=f"Quý {'I' * q if q < 4 else 'IV'}/{year}", start=f"{year}-{start}", end=f"{year}-{end}")
    if kind == 1:
        return Deadline(text=f"Năm {year}", start=f"{year}-01-01", end=f"{year}-12-31")
    if kind == 2:
        return Deadline(text=f"Hằng năm từ {year}", start=f"{year}-01-01", recurrence="annual")
    if kind == 3:
        return Deadline(text="Thường xuyên", recurrence="continuous")
    return Deadline(text=f"6 tháng đầu năm {year}", start=f"{year}-01-01", end=f"{year}-06-30")


@dataclass
class _Pages:
    """Page text built record by record, so each record's span points at its own text."""

    per_page: int
    pages: list[str] = field(default_factory=lambda: [""])
    count: int = 0

    def add(self, text: str) -> Span:
        if self.count and self.count % self.per_page == 0:
            self.pages.append("")
        self.count += 1
        start = len(self.pages[-1])
        self.pages[-1] += text + "\n"
        return Span(page=len(self.pages), start=start, end=start + len(text))


def synthetic_document(i: int, rng: random.Random) -> tuple[PlanDocument, TextFile]:
    """The i-th synthetic document: valid against the contract, varied in every filtered field."""
    sha = hashlib.sha256(f"vnplan synthetic plan {i}".encode()).hexdigest()
    doc_id = sha[:16]
    province = PROVINCES[i % len(PROVINCES)]
    year = 2020 + rng.randrange(7)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    issued = rng.choice([f"{year}-{month:02d}-{day:02d}"] * 4 + [f"{year}-{month:02d}", None])
    pages = _Pages(per_page=8)
    title = f"Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm {year}"
    pages.add(f"KẾ HOẠCH\n{title}")
    legal = [
        LegalBasis(number=f"{n}-NQ/TW", date=f"{year - 1}-12-22", issuer="Bộ Chính trị", text=t, span=pages.add(t))
        for n in rng.sample(range(10, 99), 2)
        for t in [f"Nghị quyết số {n}-NQ/TW của Bộ Chính trị"]
    ]
    budgets = []
    for role in ("total", *(["component"] * rng.randrange(3))):
        millions = rng.randrange(1_000, 90_000)
        text = f"{millions:,} triệu đồng".replace(",", ".")
        budgets.append(
            Budget(
                text=text,
                amount_vnd=millions * 1_000_000,
                year=rng.choice([year, None]),
                role=role,
                source=rng.choice(["ngân sách tỉnh", "ngân sách trung ương", None]),
                span=pages.add(text),
            )
        )
    targets = []
    for _ in range(rng.randint(3, 8)):
        unit, indicator = rng.choice(UNITS)
        value = rng.choice([rng.randint(1, 100), round(rng.uniform(0.5, 99.5), 1)])
        comparator = rng.choice(COMPARATORS)
        target_year = rng.choice([year, year + 1, 2030])
        text = f"{indicator} đạt {comparator} {value} {unit} vào năm {target_year}"
        targets.append(
            Target(
                text=text,
                indicator=indicator,
                comparator=comparator,
                value=value,
                unit=unit,
                year=target_year,
                baseline=rng.choice([None, "so với năm 2020"]),
                span=pages.add(text),
            )
        )
    tasks, named = [], set()
    for k in range(rng.randint(5, 15)):
        lead, *coop = rng.sample(AGENCIES, rng.randint(1, 3))
        named.update([lead, *coop])
        deadline = _deadline(rng, rng.choice([year, year + 1]))
        text = f"Triển khai nhiệm vụ số {k + 1} về chuyển đổi số; {lead[1]} chủ trì, {deadline.text}"
        tasks.append(
            Task(
                id=str(k + 1),
                text=text,
                lead_agency=lead[0],
                cooperating_agencies=[c[0] for c in coop],
                deadline=deadline,
                output=rng.choice([None, "Báo cáo kết quả"]),
                span=pages.add(text),
            )
        )
    agencies = [Agency(name=name, aliases=[alias], roles=["lead"]) for name, alias in sorted(named)]
    doc = PlanDocument(
        doc_id=doc_id,
        source=Source(
            path=f"synthetic/{i:05d}.pdf",
            sha256=sha,
            media_type="application/pdf",
            pages=len(pages.pages),
            text_origin="native",
            diacritics_restored=False,
        ),
        pipeline=PipelineInfo(version=__version__, processed_at=f"2026-01-{1 + i % 28:02d}T08:00:{i % 60:02d}+00:00"),
        metadata=Metadata(
            province=province,
            doc_type=rng.choice(DOC_TYPES),
            doc_number=rng.choice([f"{rng.randint(1, 400)}/KH-UBND", None]),
            issued_date=issued,
            issuer=f"Ủy ban nhân dân tỉnh {province}",
            title=title,
            signer_name="Nguyễn Văn A",
            signer_title="Phó Chủ tịch",
        ),
        legal_basis=legal,
        budgets=budgets,
        targets=targets,
        tasks=tasks,
        agencies=agencies,
    )
    text = TextFile(
        doc_id=doc_id, pages=[PageRecord(page=n, origin="native", raw=t, text=t) for n, t in enumerate(pages.pages, 1)]
    )
    return doc, text


def make_dataset(out: Path, n: int, *, seed: int = 0, start: int = 0) -> list[PlanDocument]:
    """Write documents start..start+n-1 into `out` and commit them once; returns the documents."""
    rng = random.Random(seed * 1_000_003 + start)
    dataset = Dataset(out)
    pairs = [synthetic_document(i, rng) for i in range(start, start + n)]
    # Each atomic write waits on fsync (the GIL is released there): threads overlap those waits.
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda pair: dataset.write_document(*pair), pairs))
    dataset.commit(
        ManifestEntry(
            path=doc.source.path,
            sha256=doc.source.sha256,
            doc_id=doc.doc_id,
            pipeline_version=doc.pipeline.version,
            status="ok",
        )
        for doc, _ in pairs
    )
    return [doc for doc, _ in pairs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    make_dataset(args.out, args.n, seed=args.seed)
    print(f"{args.n} documents → {args.out} in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
