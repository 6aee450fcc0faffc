"""The floor: raw WeasyPrint writing briefgen's print HTML, every brief in one process.

Reads the manifest bench/run.py prepares (each brief's HTML, base URL, evidence attachments and
PDF options) and calls WeasyPrint exactly as a script would, with WeasyPrint's defaults (its own URL
fetcher, a fresh font configuration per document). Imports nothing from briefgen.

    python bench/floor.py MANIFEST.json OUT_DIR
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import weasyprint


def main() -> None:
    manifest, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for brief in json.loads(manifest.read_text(encoding="utf-8")):
        stamp = dt.datetime.fromisoformat(brief["timestamp"])
        attachments = [
            weasyprint.Attachment(
                string=Path(item["file"]).read_bytes(),
                name=item["name"],
                description=item["description"],
                created=stamp,
                modified=stamp,
                relationship="Supplement",
            )
            for item in brief["attachments"]
        ]
        html = weasyprint.HTML(string=Path(brief["html"]).read_text(encoding="utf-8"), base_url=brief["base_url"])
        html.write_pdf(
            out / f"{brief['id']}.pdf",
            pdf_variant=brief["variant"],
            pdf_tags=True,
            pdf_identifier=True,
            attachments=attachments,
        )


if __name__ == "__main__":
    main()
