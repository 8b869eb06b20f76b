"""Safe XMP parsing: defusedxml (no DTDs, no entity expansion), then a flat list of RDF properties.

Billion-laughs and external-entity packets are refused by defusedxml before any expansion happens; the
caller has already capped the packet size. XMP writers put simple properties either as attributes of
``rdf:Description`` (exiftool's compact form) or as child elements (``<TC260:AIGC>…</TC260:AIGC>``), and
language alternatives / bags as ``rdf:li`` lists; all of these are flattened to (namespace, name, value).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DESCRIPTION = f"{{{RDF}}}Description"
_LI = f"{{{RDF}}}li"
_RESOURCE = f"{{{RDF}}}resource"
_SKIP_ATTR_NS = (f"{{{RDF}}}", "{http://www.w3.org/XML/1998/namespace}")

#: Well-known namespace URIs → the prefix people write, so carriers read ``TC260:AIGC``, not a URI.
PREFIXES: dict[str, str] = {
    "http://www.tc260.org.cn/ns/AIGC/1.0/": "TC260",
    "http://iptc.org/std/Iptc4xmpExt/2008-02-29/": "Iptc4xmpExt",
    "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/": "Iptc4xmpCore",
    "http://ns.adobe.com/xap/1.0/": "xmp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://ns.adobe.com/photoshop/1.0/": "photoshop",
    "http://ns.adobe.com/exif/1.0/": "exif",
    "http://ns.adobe.com/tiff/1.0/": "tiff",
    "http://ns.adobe.com/pdf/1.3/": "pdf",
}


class XmpError(ValueError):
    """The packet is not well-formed XML, or it carries a DTD/entities (refused, never expanded)."""


@dataclass(frozen=True)
class XmpProperty:
    """One simple property value: ``namespace`` URI, local ``name``, text ``value``."""

    namespace: str
    name: str
    value: str

    @property
    def qname(self) -> str:
        """``prefix:name`` with the usual prefix for known namespaces, else ``{uri}name``."""
        prefix = PREFIXES.get(self.namespace)
        return f"{prefix}:{self.name}" if prefix else f"{{{self.namespace}}}{self.name}"


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _packet_bytes(data: bytes | str) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    # Packets are padded with NULs/whitespace and, in GIF, followed by a 258-byte "magic trailer": cut after
    # the closing element so trailing junk cannot make a valid packet unparseable.
    end = raw.rfind(b"</x:xmpmeta>")
    if end >= 0:
        tail = raw.find(b"?>", end)
        pi = raw.find(b"<?xpacket end", end)
        raw = raw[: tail + 2] if pi >= 0 and tail >= 0 else raw[: end + len(b"</x:xmpmeta>")]
    else:
        end = raw.rfind(b"</rdf:RDF>")
        if end >= 0:
            raw = raw[: end + len(b"</rdf:RDF>")]
    return raw.strip(b"\x00 \t\r\n")


def parse(data: bytes | str) -> list[XmpProperty]:
    """Every simple property of every ``rdf:Description`` in the packet; raises :class:`XmpError`."""
    raw = _packet_bytes(data)
    start = raw.find(b"<")
    if start < 0:
        raise XmpError("XMP packet holds no XML")
    try:
        root = fromstring(raw[start:], forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmpError(f"XMP packet refused: {type(exc).__name__} (DTD/entity declarations are not allowed)") from exc
    except (ParseError, ValueError) as exc:
        raise XmpError(f"XMP packet is not well-formed XML: {exc}") from exc
    props: list[XmpProperty] = []
    for desc in root.iter(_DESCRIPTION):
        for attr, value in desc.attrib.items():
            if attr.startswith(_SKIP_ATTR_NS) or not attr.startswith("{"):
                continue
            ns, local = _split(attr)
            props.append(XmpProperty(ns, local, value))
        for child in desc:
            ns, local = _split(child.tag)
            value = _value(child)
            if value is not None:
                props.append(XmpProperty(ns, local, value))
    return props


def _value(el: Element) -> str | None:
    """Text of a simple property, the first ``rdf:li`` of an array/alternative, or an ``rdf:resource`` URI."""
    if _RESOURCE in el.attrib:
        return el.attrib[_RESOURCE]
    if len(el) == 0:
        return el.text or ""
    items = [li.text or "" for li in el.iter(_LI)]
    if items:
        return items[0] if len(items) == 1 else "\n".join(items)
    return None  # a structure (rdf:parseType="Resource" etc.): not a simple value
