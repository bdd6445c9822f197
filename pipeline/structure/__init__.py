"""Document structure: the outline, sections by role, and tables (rebuilt from pipe rows or OCR lines)."""
