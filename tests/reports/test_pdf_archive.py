"""The PDF as an archival file (PDF/A-3b as far as it can be checked without a
validator): PDF 1.7 header, every font embedded and none of the standard 14,
XMP metadata that identifies PDF/A-3b and agrees with the Info dictionary, an
sRGB output intent, a file identifier, streams laid out as PDF/A wants them."""

import io
import re
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from federation.reports.pdf import AUTHOR, render_pdf

pytestmark = pytest.mark.django_db

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


@pytest.fixture
def data(report):
    return render_pdf(report)


@pytest.fixture
def reader(data):
    return PdfReader(io.BytesIO(data), strict=True)


def xmp_values(reader):
    """The XMP packet's properties, as {"prefix:Name": value}."""
    root = ET.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    values = {}
    for description in root.iter(f"{{{NS['rdf']}}}Description"):
        for name, value in description.attrib.items():
            for prefix, uri in NS.items():
                if name.startswith(f"{{{uri}}}"):
                    values[f"{prefix}:{name.split('}')[1]}"] = value
        for prefix in ("dc",):
            for element in description.findall(f"{prefix}:*", NS):
                items = element.findall(".//rdf:li", NS)
                key = f"{prefix}:{element.tag.split('}')[1]}"
                values[key] = items[0].text if items else element.text
    return values


def xmp_date_to_pdf(value):
    """2019-12-06T10:15:00+01:00 as the Info dictionary writes it: D:20191206101500+01'00'."""
    date, time, sign, hours, minutes = re.fullmatch(r"(.{10})T(.{8})([+-])(\d\d):(\d\d)", value).groups()
    return f"D:{date.replace('-', '')}{time.replace(':', '')}{sign}{hours}'{minutes}'"


def test_the_file_is_pdf_1_7_with_a_binary_comment_and_a_file_identifier(data, reader):
    assert data.startswith(b"%PDF-1.7\n%")
    assert all(byte > 127 for byte in data[10:14])
    assert len(reader.trailer["/ID"]) == 2


def test_the_xmp_metadata_identifies_pdf_a_3b(data, reader):
    values = xmp_values(reader)
    assert (values["pdfaid:part"], values["pdfaid:conformance"]) == ("3", "B")
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in data  # readable as it is, not compressed
    assert "/Filter" not in reader.trailer["/Root"]["/Metadata"].get_object()


def test_the_xmp_metadata_agrees_with_the_info_dictionary(report, reader):
    values, info = xmp_values(reader), reader.metadata
    assert values["dc:title"] == info["/Title"] == report.title
    assert values["dc:creator"] == info["/Author"] == AUTHOR
    assert values["dc:description"] == info["/Subject"] == report.subtitle
    assert values["pdf:Keywords"] == info["/Keywords"]
    assert values["pdf:Producer"] == info["/Producer"]
    assert values["xmp:CreatorTool"] == info["/Creator"]
    assert values["pdf:Trapped"] == info["/Trapped"].lstrip("/")
    assert xmp_date_to_pdf(values["xmp:CreateDate"]) == info["/CreationDate"]
    assert xmp_date_to_pdf(values["xmp:ModifyDate"]) == info["/ModDate"]


def test_the_document_is_marked_swedish(reader):
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_the_output_intent_is_srgb_with_its_profile_embedded(reader):
    (intent,) = [item.get_object() for item in reader.trailer["/Root"]["/OutputIntents"]]
    assert intent["/Type"] == "/OutputIntent" and intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3
    icc = profile.get_data()
    assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB "  # an ICC profile of an RGB colour space


def fonts(reader):
    """Every font the pages and their forms (the page footers) use."""
    found, seen = [], set()

    def visit(resources):
        resources = resources.get_object() if resources else {}
        for font in (resources.get("/Font") or {}).values():
            if isinstance(font, IndirectObject) and font.idnum not in seen:
                seen.add(font.idnum)
                found.append(font.get_object())
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def test_every_font_is_embedded_and_none_is_a_standard_helvetica(data, reader):
    used = fonts(reader)
    assert used, "the pages use fonts"
    for font in used:
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
    assert {font["/BaseFont"].split("+")[-1] for font in used} == {"DejaVuSans", "DejaVuSans-Bold"}
    # not even referenced from a resource dictionary no page uses
    assert b"/BaseFont /Helvetica" not in data and b"Helvetica" not in data
    assert len(re.findall(rb"/Type /Font\b", data)) == data.count(b"/FontFile2")


def test_every_stream_ends_with_an_end_of_line_its_length_does_not_count(data, reader):
    # PDF/A: /Length counts the bytes from the end-of-line after "stream" to the one before "endstream".
    streams = 0
    for number, offset in reader.xref[0].items():
        item = reader.get_object(number)
        if not isinstance(item, StreamObject):
            continue
        streams += 1
        keyword = data.index(b"stream", offset)
        length = int(re.search(rb"/Length (\d+)", data[offset:keyword]).group(1))
        start = keyword + len(b"stream")
        start += 2 if data[start : start + 2] == b"\r\n" else 1
        end = start + length
        assert re.match(rb"(\r\n|\r|\n)endstream", data[end : end + 11]), number
    assert streams > 10
