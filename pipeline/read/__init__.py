"""Reading: a source file → its pages (text with positions), from a text layer, decoded fonts, OCR,
Word, web pages, markdown or plain text. One wrapper per external library or program in `engines/`."""
