"""Sample plan documents and the kit that draws them (born-digital PDFs and scanned renditions).

`samples.render` is the reusable part: tests import it to draw small plans on the fly.
`samples/make_samples.py` renders the seed documents of samples/seeds into this folder.
"""
