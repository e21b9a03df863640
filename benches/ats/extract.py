"""Reads PDFs with one Python extractor, the way a resume parser calls it.

    python extract.py pdfminer|pypdf|pymupdf FILE.pdf...

Prints one JSON object: each file's pages, as the text the library returns
for the page with its defaults (no layout options a parser would not set).
"""

import json
import sys


def pdfminer(path):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return [
        "".join(element.get_text() for element in page if isinstance(element, LTTextContainer))
        for page in extract_pages(path)
    ]


def pypdf(path):
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]


def pymupdf(path):
    import pymupdf

    with pymupdf.open(path) as document:
        return [page.get_text() for page in document]


EXTRACTORS = {"pdfminer": pdfminer, "pypdf": pypdf, "pymupdf": pymupdf}


def main():
    extractor = EXTRACTORS[sys.argv[1]]
    json.dump({path: extractor(path) for path in sys.argv[2:]}, sys.stdout)


if __name__ == "__main__":
    main()
