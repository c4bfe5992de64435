"""A version id -> the PDF's document information (/InputVersion), beside the title and author.

reportlab writes a fixed set of Info keys; this subclass writes the same ones plus the input's
version, so `pikepdf`, `pdfinfo -custom` or a viewer's properties dialog trace a file to its source.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFDate, PDFDictionary, PDFInfo, PDFName, PDFString

KEY = "InputVersion"


class VersionedInfo(PDFInfo):
    version = ""

    def format(self, document):
        info = {
            "Title": PDFString(self.title),
            "Author": PDFString(self.author),
            "CreationDate": PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter),
            "Producer": PDFString(self.producer),
            "Creator": PDFString(self.creator),
            "Subject": PDFString(self.subject),
            "Keywords": PDFString(self.keywords),
            "Trapped": PDFName(self.trapped),
            KEY: PDFString(self.version),
        }
        info["ModDate"] = info["CreationDate"]
        return PDFDictionary(info).format(document)


def stamp(canvas, version: str) -> None:
    """Make `canvas` write `version` into the document information (call before building)."""
    old = canvas._doc.info
    info = VersionedInfo()
    info.__dict__.update(old.__dict__)
    info.version = version
    canvas._doc.info = info
