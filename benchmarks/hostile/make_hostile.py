#!/usr/bin/env python3
"""Writes the hostile inputs measured in benchmarks/README.md ("Hostile sizes") into a folder.

    python3 benchmarks/hostile/make_hostile.py OUT_DIR

Each file is the sample event's achievements (data/sample/achievements.csv) with one hostile change, so the run
would otherwise succeed. The encrypted workbook needs msoffcrypto-tool and the .xls needs xlwt (Debian:
python3-msoffcrypto-tool, python3-xlwt); they are skipped when the modules are missing.
"""
import csv
import io
import json
import os
import re
import sys
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "data", "sample", "achievements.csv")

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                 '</Types>')
PACKAGE_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                '</Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="成果" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                 '</Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = '</sheetData></worksheet>'


def sample_rows():
    with open(SAMPLE, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def column(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def row_xml(number, cells):
    parts = [f'<row r="{number}">']
    for c, text in enumerate(cells):
        if text:
            parts.append(f'<c r="{column(c)}{number}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>')
    parts.append("</row>")
    return "".join(parts)


def write_workbook(path, rows, sheet_prefix="", extra_parts=(), huge_cell=None):
    """rows: the table; huge_cell: (row index, column, text, repeat) written streamed into that cell."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((sheet_prefix or SHEET_HEAD).encode())
            for r, cells in enumerate(rows):
                if huge_cell and huge_cell[0] == r:
                    _, col, unit, repeat = huge_cell
                    before = row_xml(r + 1, cells[:col]).removesuffix("</row>")
                    sheet.write(before.encode())
                    sheet.write(f'<c r="{column(col)}{r + 1}" t="inlineStr"><is><t>'.encode())
                    chunk = (unit * 100_000).encode()
                    for _ in range(repeat // 100_000):
                        sheet.write(chunk)
                    sheet.write(b"</t></is></c></row>")
                else:
                    sheet.write(row_xml(r + 1, cells).encode())
            sheet.write(SHEET_TAIL.encode())
        for name in extra_parts:
            z.writestr(zipfile.ZipInfo(name), b"")


def compound_file(streams):
    """A minimal OLE compound file (version 3, 512-byte sectors) holding the given streams at the root."""
    import struct
    sector = 512
    free, end, fat_mark = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    data = [b + b"\0" * (-len(b) % sector) for _, b in streams]
    data_sectors = sum(len(b) // sector for b in data)
    dir_sectors = (len(streams) + 1 + 3) // 4
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + dir_sectors + data_sectors:
        fat_sectors += 1
    fat = [fat_mark] * fat_sectors
    first_dir = len(fat)
    fat += [first_dir + i + 1 for i in range(dir_sectors - 1)] + [end]
    starts = []
    for b in data:
        n = len(b) // sector
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(n - 1)] + [end]
    fat += [free] * (fat_sectors * 128 - len(fat))

    def entry(name, kind, start, size, child=free, right=free):
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, end, 0, child=1)]
    for i, (name, b) in enumerate(streams):
        entries.append(entry(name, 2, starts[i], len(b), right=i + 2 if i + 1 < len(streams) else free))
    directory = b"".join(entries).ljust(dir_sectors * sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, first_dir, 0, 4096, end, 0, end, 0))
    difat = list(range(fat_sectors)) + [free] * (109 - fat_sectors)
    header += struct.pack("<109I", *difat)
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(data)


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def text_of(rows, length, punctuation):
    text = "".join(r[2] for r in rows[1:])
    if not punctuation:
        text = "".join(re.findall(r"[\u4e00-\u9fff]", text))
    return (text * (length // len(text) + 1))[:length]


def main(out):
    os.makedirs(out, exist_ok=True)
    rows = sample_rows()
    hostile = ["A999", "恶意记录", "", "锂电池", "某大学", "新能源", "浙江", "中试", "发明专利"]

    # 1. A zip bomb: one cell of 100 million characters in a few hundred KB.
    write_workbook(os.path.join(out, "bomb.xlsx"), rows + [hostile], huge_cell=(len(rows), 2, "中", 100_000_000))

    # 2. One 20-million-character field without punctuation; 3. 18 million characters with punctuation.
    write_csv(os.path.join(out, "long20m.csv"), rows + [hostile[:2] + [text_of(rows, 20_000_000, False)] + hostile[3:]])
    write_csv(os.path.join(out, "long18m-punct.csv"), rows + [hostile[:2] + [text_of(rows, 18_000_000, True)] + hostile[3:]])

    # 4. A header of a million named columns (every record would carry a million extra values).
    header = rows[0] + [f"c{i}" for i in range(1_000_000 - len(rows[0]))]
    write_csv(os.path.join(out, "header1m.csv"), [header] + rows[1:])

    # 5. A valid workbook with a million tiny extra parts.
    write_workbook(os.path.join(out, "parts1m.xlsx"), rows, extra_parts=[f"p/{i}" for i in range(1_000_000)])

    # 6. A JSON Lines file whose last line nests a million arrays.
    keys = ["id", "title", "abstract", "keywords", "organization", "field", "region", "maturity", "ipType"]
    with open(os.path.join(out, "deep.jsonl"), "w", encoding="utf-8") as f:
        for r in rows[1:]:
            f.write(json.dumps(dict(zip(keys, r)), ensure_ascii=False) + "\n")
        f.write('{"id":"A999","title":"恶意记录","extra":' + "[" * 1_000_000 + "]" * 1_000_000 + "}\n")

    # 7. Billion laughs in the sheet XML (a DTD).
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";" if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    write_workbook(os.path.join(out, "laughs.xlsx"), rows[:2] + [["A998", "&lol9;"]], sheet_prefix=laughs)
    with open(os.path.join(out, "laughs.xlsx"), "rb") as f:
        data = f.read()
    # escape() wrote &amp;lol9; — put the entity reference back.
    with zipfile.ZipFile(os.path.join(out, "laughs.xlsx")) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"&amp;lol9;", b"&lol9;")
    with zipfile.ZipFile(os.path.join(out, "laughs.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)

    # 8. A password-protected workbook: an OLE compound file holding EncryptionInfo and EncryptedPackage, as Excel
    # writes one (the streams' bytes here are random; only the container matters to the reader).
    with open(os.path.join(out, "encrypted.xlsx"), "wb") as f:
        f.write(compound_file([("EncryptionInfo", os.urandom(4096)), ("EncryptedPackage", os.urandom(65536))]))

    # 9. A binary Excel 97-2003 workbook, as .xls and renamed to .xlsx (needs xlwt).
    try:
        import xlwt
        book = xlwt.Workbook()
        sheet = book.add_sheet("成果")
        for r, cells in enumerate(rows[:5]):
            for c, text in enumerate(cells):
                sheet.write(r, c, text)
        book.save(os.path.join(out, "legacy.xls"))
        with open(os.path.join(out, "legacy.xls"), "rb") as f, open(os.path.join(out, "legacy-renamed.xlsx"), "wb") as g:
            g.write(f.read())
    except ImportError:
        print("xlwt missing: no legacy.xls", file=sys.stderr)

    # 10. A macro-enabled workbook holding only a VBA project and an Excel 4 macro sheet, no worksheet.
    with zipfile.ZipFile(os.path.join(out, "macros.xlsm"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.replace("sheet.main+xml", "sheet.macroEnabled.main+xml"))
        z.writestr("_rels/.rels", PACKAGE_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK.replace('name="成果"', 'name="Macro1"'))
        z.writestr("xl/_rels/workbook.xml.rels",
                   WORKBOOK_RELS.replace("relationships/worksheet", "relationships/xlMacrosheet").replace("worksheets/sheet1.xml", "macrosheets/sheet1.xml")
                   .replace("</Relationships>", '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>'))
        z.writestr("xl/macrosheets/sheet1.xml", '<?xml version="1.0"?><xm:macrosheet xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData/></xm:macrosheet>')
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile")
