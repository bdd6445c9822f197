"""Thin wrappers around the external libraries and programs ingestion uses, one module each.

Each wrapper turns the library's own failures into the typed errors of pipeline.model.errors, so the
rest of the pipeline never sees a PdfiumError, a pdfminer exception or a TesseractError.
"""
