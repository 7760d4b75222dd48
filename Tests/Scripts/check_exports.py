#!/usr/bin/env python3
"""Checks Tourniquet exports with real parsers: every file must parse, keep its structure and
carry no character that could act on a terminal, a browser or a spreadsheet.

usage: check_exports.py DIR PAYLOADS.jsonl [SCHEMA.json]
DIR holds report.md, report.html, report.json, timeline.csv, timesketch.jsonl, timesketch.csv,
iris.csv, timeline.json and findings.json. Every text payload must come back exactly from the
JSON export (as a note). Prints one line per problem and exits 1 if there is any.
"""
import csv
import html.parser
import io
import json
import os
import re
import sys

problems = []


def problem(text):
    problems.append(text)


# Characters that must never appear raw in any export: C0 controls but LF (CR only in CSV record
# ends), DEL, C1, bidi and invisible format characters, line separators.
ACTIVE = re.compile(
    "[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def strict_json(text, name):
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key in " + name)
        return dict(pairs)

    def no_constants(value):
        raise ValueError("non-standard constant %s in %s" % (value, name))

    return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants, strict=True)


def read(directory, name, newline=None):
    with open(os.path.join(directory, name), encoding="utf-8", errors="strict", newline=newline) as f:
        return f.read()


def check_inert(name, text, allow_crlf=False):
    body = text.replace("\r\n", "\n") if allow_crlf else text
    match = ACTIVE.search(body)
    if match:
        problem("%s: raw U+%04X at offset %d" % (name, ord(match.group()), match.start()))


def check_csv(directory, name, header):
    text = read(directory, name, newline="")
    check_inert(name, text, allow_crlf=True)
    if not text.endswith("\r\n"):
        problem(name + ": records must end with CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows or rows[0] != header:
        problem("%s: header is %r" % (name, rows[0] if rows else None))
        return rows
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            problem("%s: record %d has %d fields, not %d" % (name, i, len(row), len(header)))
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[+-]\d\d:\d\d|-?\d+", cell):
                problem("%s: record %d has a cell a spreadsheet would run: %r" % (name, i, cell[:40]))
    return rows


class Page(html.parser.HTMLParser):
    ALLOWED = {
        "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "strong", "nav", "ul", "li", "a",
        "main", "section", "table", "thead", "tbody", "tr", "th", "td", "code", "figure", "svg", "rect", "line", "text",
        "figcaption", "script",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = []
        self.in_script = None
        self.stack_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.ALLOWED:
            problem("report.html: element <%s> is not one the report writes" % tag)
        for key, value in attrs:
            if key.startswith("on"):
                problem("report.html: event handler attribute %s on <%s>" % (key, tag))
            if key in ("href", "src", "xlink:href") and not (value or "").startswith("#"):
                problem("report.html: <%s %s=%r> leaves the page" % (tag, key, value))
        if tag == "script":
            kind = dict(attrs).get("type")
            if kind != "application/json":
                problem("report.html: a script of type %r" % kind)
            self.in_script = []

    def handle_endtag(self, tag):
        if tag == "script" and self.in_script is not None:
            self.scripts.append("".join(self.in_script))
            self.in_script = None

    def handle_data(self, data):
        if self.in_script is not None:
            self.in_script.append(data)


def main():
    directory, payload_path = sys.argv[1], sys.argv[2]
    schema_path = sys.argv[3] if len(sys.argv) > 3 else None
    payloads = []
    with open(payload_path, encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            if "text" in entry:
                payloads.append(entry["text"])

    # JSON: strict, and every payload comes back exactly.
    document = strict_json(read(directory, "report.json"), "report.json")
    check_inert("report.json", read(directory, "report.json"))
    rationales = {a["rationale"] for a in document["actions"]}
    for text in payloads:
        if text not in rationales:
            problem("report.json: the note %r did not come back exactly" % text[:40])
    for name in ("timeline.json", "findings.json"):
        strict_json(read(directory, name), name)
        check_inert(name, read(directory, name))

    # HTML: only the report's own elements, one inert JSON block that parses and says the same.
    page_text = read(directory, "report.html")
    check_inert("report.html", page_text)
    page = Page()
    page.feed(page_text)
    page.close()
    if len(page.scripts) != 1:
        problem("report.html: %d script elements, not 1" % len(page.scripts))
    else:
        embedded = strict_json(page.scripts[0], "report.html's JSON")
        if embedded["case"]["title"] != document["case"]["title"]:
            problem("report.html: the embedded JSON's title differs from the JSON export's")
    if "<img" in page_text.lower() or "<svg onload" in page_text.lower():
        problem("report.html: an attacker's element survived")

    # CSV, Timesketch and IRIS.
    check_csv(directory, "timeline.csv", ["time", "source", "kind", "action", "finding", "actor", "target", "title", "content", "indicators", "assets", "details"])
    check_csv(directory, "iris.csv", ["event_date", "event_tz", "event_title", "event_category", "event_content", "event_raw", "event_source", "event_assets", "event_iocs", "event_tags"])
    check_csv(
        directory, "timesketch.csv",
        ["message", "datetime", "timestamp", "timestamp_desc", "case_id", "source", "kind", "action_id", "finding_id", "actor", "target", "indicators", "assets", "tag"])
    jsonl = read(directory, "timesketch.jsonl")
    check_inert("timesketch.jsonl", jsonl)
    lines = jsonl.split("\n")
    if lines[-1] != "":
        problem("timesketch.jsonl: does not end with a newline")
    for i, line in enumerate(lines[:-1], start=1):
        event = strict_json(line, "timesketch.jsonl line %d" % i)
        for field in ("message", "datetime", "timestamp", "timestamp_desc"):
            if field not in event or event[field] in ("", None):
                problem("timesketch.jsonl line %d: no %s" % (i, field))

    # Markdown: inert, every table row has its header's cells, nothing outside code spans opens
    # HTML, an image or a link (but the table of contents' own).
    md = read(directory, "report.md")
    check_inert("report.md", md)
    columns = None
    for number, line in enumerate(md.split("\n"), start=1):
        outside = re.sub(r"(`+) .*? \1", "", line)
        if "<" in outside:
            problem("report.md line %d: '<' outside a code span" % number)
        if "](" in outside and not re.fullmatch(r"- \[[A-Za-z ]+\]\(#[a-z-]+\)", line):
            problem("report.md line %d: a link outside a code span" % number)
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line)) - 1
            if line.startswith("|---"):
                continue
            if columns is None:
                columns = cells
            elif cells != columns:
                problem("report.md line %d: %d cells in a table of %d" % (number, cells, columns))
        else:
            columns = None
        if line.startswith("#") and not re.match(r"#{1,3} [A-Z]", line):
            problem("report.md line %d: a heading the report does not write: %r" % (number, line[:40]))

    if schema_path:
        import jsonschema

        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        for name in ("report.json", "timeline.json", "findings.json"):
            instance = json.loads(read(directory, name))
            errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(instance), key=lambda e: list(e.path))
            for error in errors[:5]:
                problem("%s: schema: %s at %s" % (name, error.message[:200], "/".join(map(str, error.path))))

    for line in problems[:60]:
        print(line)
    if len(problems) > 60:
        print("... and %d more" % (len(problems) - 60))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
