"""The overview report: the dataset as a page of charts, timelines and lists (`vnplan report`, `/report`).

aggregate: the tables reduced to per-document figures; sources: one page per document with each record
in its source sentence; page: the overview page, the report folder and the served site.
"""

from pipeline.report.page import ReportSite, write_report

__all__ = ["ReportSite", "write_report"]
