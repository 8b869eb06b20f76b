"""Fixture writers for the aigc tests. Everything is generated at test time by tools independent of
brightline's own writers: Pillow, exiftool, ffmpeg, mutagen, and c2pa-python's Builder signing with a
throw-away certificate chain made here with ``cryptography``."""

from __future__ import annotations

import datetime
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_tool(name: str) -> str:
    """Path of a system tool; skip when missing locally, but fail in CI where `make sysdeps` installs it."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is not installed; CI must run `make sysdeps` first")
        pytest.skip(f"{name} not installed (run `make sysdeps`)")
    return path


def _name(cn: str) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "brightline test")]
    )


class ManifestSigner:
    """A root CA and an ES256 signing certificate for c2pa Builder.sign, valid for ``days`` (a committed
    fixture needs a long validity: without a trusted timestamp c2pa checks the certificate against today)."""

    def __init__(self, days: int = 1) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID

        now = datetime.datetime.now(datetime.timezone.utc)

        def builder(subject: str, issuer: Any, public_key: Any, ca: bool) -> Any:
            return (
                x509.CertificateBuilder()
                .subject_name(_name(subject))
                .issuer_name(issuer or _name(subject))
                .public_key(public_key)
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(hours=1))
                .not_valid_after(now + datetime.timedelta(days=days))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            )

        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca = (
            builder("brightline test root", None, ca_key.public_key(), ca=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        # C2PA signer profile: end-entity, digitalSignature, an EKU such as emailProtection, key identifiers.
        cert = (
            builder("brightline test signer", ca.subject, key.public_key(), ca=False)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        self.root_pem = ca.public_bytes(pem).decode()
        self.chain = cert.public_bytes(pem) + ca.public_bytes(pem)
        self.key = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

    def sign(self, src: bytes, mime: str, actions: list[dict[str, Any]], ingredient: tuple[bytes, str] | None = None) -> bytes:
        """Sign ``src`` with a manifest holding ``actions``; optionally with a signed parent ingredient."""
        import c2pa

        manifest = {
            "claim_generator_info": [{"name": "brightline-test", "version": "1"}],
            "title": "fixture",
            "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}],
        }
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", self.chain, self.key, None))
        out = io.BytesIO()
        with c2pa.Builder(manifest) as builder:
            if ingredient is not None:
                data, ing_mime = ingredient
                builder.add_ingredient({"title": "parent", "relationship": "parentOf", "label": "parent"}, ing_mime, io.BytesIO(data))
            builder.sign(signer, mime, io.BytesIO(src), out)
        return out.getvalue()


@pytest.fixture(scope="session")
def c2pa_signer() -> ManifestSigner:
    return ManifestSigner()


def jpeg_bytes(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (180, 40, 40)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=90)
    return buf.getvalue()


@pytest.fixture
def make_jpeg() -> Callable[..., bytes]:
    return jpeg_bytes


EXIFTOOL_TC260_CONFIG = """%Image::ExifTool::UserDefined = (
    'Image::ExifTool::XMP::Main' => {
        TC260 => { SubDirectory => { TagTable => 'Image::ExifTool::UserDefined::TC260' } },
    },
);
%Image::ExifTool::UserDefined::TC260 = (
    GROUPS => { 0 => 'XMP', 1 => 'XMP-TC260', 2 => 'Image' },
    NAMESPACE => { 'TC260' => 'http://www.tc260.org.cn/ns/AIGC/1.0/' },
    WRITABLE => 'string',
    AIGC => { },
);
1;
"""

#: A producer's record as real generators write it, including the ReserveCode1 misspelling seen in the wild.
PRODUCER_RECORD = {
    "Label": "1",
    "ContentProducer": "001191440300708461136T1XGW3",
    "ProduceID": "gen-20250901-0001",
    "ReserveCode1": "sig-abc",
    "ContentPropagator": "001191440300708461136T1XGW3",
    "ProduceIDExtra": "kept",
    "PropagateID": "gen-20250901-0001",
    "ReservedCode2": "",
}
PLATFORM = "001191110102MAD55U9H0F20002"


def exiftool(*args: str, cwd: Path | None = None) -> str:
    """Run exiftool with brightline's TC260 namespace config (written next to the files)."""
    import subprocess

    tool = need_tool("exiftool")
    cfg = (cwd or Path.cwd()) / "tc260.exiftool.cfg"
    if not cfg.exists():
        cfg.write_text(EXIFTOOL_TC260_CONFIG)
    proc = subprocess.run([tool, "-config", str(cfg), *args], capture_output=True, text=True, check=True)
    return proc.stdout
