"""``brightline inspect FILE…``: every provenance record in each file, the Art. 6 certainty, the GB 45438 finding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from brightline.cli.app import app, err

_AI = {True: "AI", False: "not AI", None: "-"}


def _render(report_dict: dict, echo=typer.echo) -> None:  # type: ignore[no-untyped-def,type-arg]
    """Human-readable block for one file."""
    d = report_dict
    certainty = d["certainty"] or "none"
    echo(f"{d['path']}  ({d['format'] or 'unknown format'})  Art. 6 certainty: {certainty}")
    gb = d["gb45438"]
    line = f"  GB 45438: {gb['status']}"
    rec = gb["record"]
    if rec:
        line += (f"  Label {rec.get('Label')!s}  producer {rec.get('ContentProducer')!s}  "
                 f"ProduceID {rec.get('ProduceID')!s}")
        if rec.get("ContentPropagator"):
            line += f"  propagator {rec['ContentPropagator']}  PropagateID {rec.get('PropagateID')}"
        line += f"  [{gb['carrier']}]"
    echo(line)
    for reason in gb["reasons"]:
        echo(f"    defect: {reason}")
    for warning in gb["warnings"]:
        echo(f"    note: {warning}")
    if d["records"]:
        echo("  records:")
        for r in d["records"]:
            echo(f"    {r['basis']:<19} {_AI[r['ai']]:<7} {r['carrier']}")
            if r["detail"]:
                echo(f"    {'':<19} {'':<7} {r['detail']}")
    else:
        echo("  no provenance records")
    for e in d["errors"]:
        echo(f"  error: {e}")


@app.command()
def inspect(
    files: Annotated[list[Path], typer.Argument(help="Media or document files to read.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: one object for one file, a list for several.")] = False,
    metadata_only: Annotated[bool, typer.Option("--metadata-only", help="Read metadata carriers only; skip C2PA "
                                                "and watermark decoding.")] = False,
) -> None:
    """Print every provenance record found in each FILE, with the Art. 6 certainty and the GB 45438 finding.

    Records: GB 45438 implicit labels (XMP TC260:AIGC, PNG text, EXIF
    UserComment, MP4 udta/meta, WAV/AVI chunks, ID3 TXXX, Vorbis comments,
    PDF Info, OOXML custom properties, Markdown front matter), IPTC
    DigitalSourceType and AI fields, Stable Diffusion generator metadata,
    and C2PA / watermark records when installed.
    A damaged file gets an error line, never a crash.

    Exit status: 0 if any provenance record was found in any file;
    1 if none was; 2 on a usage error (no FILE, or a FILE that does not
    exist or is not a regular file).
    """
    from brightline.media import inspect_file

    missing = [f for f in files if not f.is_file()]
    reports = []
    for f in files:
        if f in missing:
            err.print(f"[bold red]error:[/] {f}: no such file (or not a regular file)", soft_wrap=True)
            continue
        reports.append(inspect_file(f, sources=() if metadata_only else None).to_dict())
    if as_json:
        payload = reports[0] if len(files) == 1 and reports else reports
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for i, d in enumerate(reports):
            if i:
                typer.echo("")
            _render(d)
    if missing:
        raise typer.Exit(2)
    raise typer.Exit(0 if any(d["records"] for d in reports) else 1)
