"""Set the ``TC260:AIGC`` property in an XMP packet without disturbing anything else in it.

TC260-PG-20259A (reference/aigc-labelling.md §1.6): the record goes in namespace prefix ``TC260``, URI
``http://www.tc260.org.cn/ns/AIGC/1.0/``, property ``TC260:AIGC``; "该命名空间已有其他内容时，应按属性更新，
不应整体覆盖" — update the property, never replace the packet. So an existing property (attribute or element
form) is rewritten in place, otherwise it is added to the first ``rdf:Description``; other properties,
namespaces and prefixes are kept. Parsing goes through defusedxml (no DTDs or entities). No maintained
Python library edits XMP without a native toolkit (python-xmp-toolkit needs exempi), hence this module.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from brightline.media.writers import LabelWriteError, RecordEdit

TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
X_NS = "adobe:ns:meta/"
_AIGC = f"{{{TC260_NS}}}AIGC"
_DESCRIPTION = f"{{{RDF_NS}}}Description"
_XPACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
_XPACKET_END = '<?xpacket end="w"?>'


class XmpEditError(ValueError):
    """The packet cannot be edited safely (not XML, DTD/entities, no RDF)."""


def _namespaces(packet: str) -> list[tuple[str, str]]:
    """Prefix/URI pairs declared in the packet, so serialising keeps the author's prefixes."""
    return re.findall(r'xmlns:([A-Za-z_][\w.\-]*)\s*=\s*["\']([^"\']*)["\']', packet)


def new_packet(value: str) -> bytes:
    """A fresh XMP packet holding only ``TC260:AIGC`` = ``value`` (UTF-8, with xpacket wrapper)."""
    desc = ET.Element(_DESCRIPTION, {f"{{{RDF_NS}}}about": ""})
    ET.SubElement(desc, _AIGC).text = value
    return _serialise(_wrap(desc), [("TC260", TC260_NS)])


def _wrap(desc: ET.Element) -> ET.Element:
    root = ET.Element(f"{{{X_NS}}}xmpmeta")
    rdf = ET.SubElement(root, f"{{{RDF_NS}}}RDF")
    rdf.append(desc)
    return root


def _serialise(root: ET.Element, prefixes: list[tuple[str, str]]) -> bytes:
    for prefix, uri in [("x", X_NS), ("rdf", RDF_NS), ("TC260", TC260_NS), *prefixes]:
        try:
            ET.register_namespace(prefix, uri)
        except ValueError:  # reserved prefixes such as "xml"
            continue
    body = ET.tostring(root, encoding="unicode")
    return f"{_XPACKET_BEGIN}\n{body}\n{_XPACKET_END}".encode("utf-8")


def read_aigc(packet: bytes | str) -> str | None:
    """The current ``TC260:AIGC`` value of a packet, or None."""
    root = _parse(packet)
    for desc in root.iter(_DESCRIPTION):
        if _AIGC in desc.attrib:
            return desc.attrib[_AIGC]
        el = desc.find(_AIGC)
        if el is not None:
            return el.text or ""
    return None


def _parse(packet: bytes | str) -> ET.Element:
    text = packet.decode("utf-8", errors="strict") if isinstance(packet, bytes) else packet
    text = text.strip("\x00 \t\r\n")
    start = text.find("<x:xmpmeta")
    if start < 0:
        start = text.find("<rdf:RDF")
    if start < 0:
        raise XmpEditError("XMP packet has no x:xmpmeta or rdf:RDF element")
    end_tag = "</x:xmpmeta>" if text.startswith("<x:xmpmeta", start) else "</rdf:RDF>"
    end = text.rfind(end_tag)
    if end < 0:
        raise XmpEditError(f"XMP packet is not closed ({end_tag} missing)")
    try:
        return fromstring(text[start : end + len(end_tag)], forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmpEditError(f"XMP packet refused: {type(exc).__name__}") from None
    except ET.ParseError as exc:
        raise XmpEditError(f"XMP packet is not well-formed XML: {exc}") from None


def set_aigc(packet: bytes | str, value: str) -> bytes:
    """Return ``packet`` with ``TC260:AIGC`` set to ``value``: replaced where it is, else added.

    Raises :class:`XmpEditError` when the packet cannot be parsed; the caller must then leave the packet alone
    (and carry the record elsewhere) rather than overwrite someone else's metadata.
    """
    text = packet.decode("utf-8") if isinstance(packet, bytes) else packet
    root = _parse(text)
    descs = list(root.iter(_DESCRIPTION))
    done = False
    for desc in descs:
        if _AIGC in desc.attrib:
            desc.attrib[_AIGC] = value
            done = True
        el = desc.find(_AIGC)
        if el is not None:
            el.text = value
            done = True
    if not done:
        if descs:
            ET.SubElement(descs[0], _AIGC).text = value
        else:
            rdf = root if root.tag == f"{{{RDF_NS}}}RDF" else root.find(f"{{{RDF_NS}}}RDF")
            if rdf is None:
                raise XmpEditError("XMP packet has no rdf:RDF element")
            desc = ET.SubElement(rdf, _DESCRIPTION, {f"{{{RDF_NS}}}about": ""})
            ET.SubElement(desc, _AIGC).text = value
    if root.tag == f"{{{RDF_NS}}}RDF":  # bare RDF packets get the standard x:xmpmeta wrapper back
        wrapper = ET.Element(f"{{{X_NS}}}xmpmeta")
        wrapper.append(root)
        root = wrapper
    return _serialise(root, _namespaces(text))


def update_existing(packet: bytes | str, edit: RecordEdit) -> bytes | None:
    """The packet with its ``TC260:AIGC`` record updated through ``edit``; None when it holds no record.

    Raises :class:`LabelWriteError` when the packet cannot be parsed: someone else's metadata is left alone.
    """
    try:
        current = read_aigc(packet)
    except XmpEditError as exc:
        raise LabelWriteError(f"the file's XMP packet cannot be edited safely: {exc}") from None
    if current is None:
        return None
    value, _ = edit.apply(current)
    return set_aigc(packet, value)
