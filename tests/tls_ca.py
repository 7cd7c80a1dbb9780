"""A certificate authority made by the tests, and a server certificate it signs (with ``cryptography``).

    ca_file, cert_file, key_file = write_server_certificates(folder, "127.0.0.1")

The server certificate names ``localhost`` and the IP address, so that libpq's
``sslmode=verify-full`` accepts it for ``host=127.0.0.1``. :func:`write_other_ca`
makes an unrelated CA, which a client must refuse.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import uuid
from typing import Tuple

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _ca(cn: str):
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write_other_ca(folder: str) -> str:
    _, cert = _ca("Some other authority")
    path = os.path.join(folder, "other_ca.crt")
    with open(path, "wb") as f:
        f.write(_pem(cert))
    return path


def write_server_certificates(folder: str, host: str) -> Tuple[str, str, str]:
    # a name of its own: a verifier holding an earlier run's CA of the same name would try that one
    ca_key, ca_cert = _ca(f"Tranquillite test CA {uuid.uuid4().hex[:12]}")
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(host))]), critical=False
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    paths = tuple(os.path.join(folder, n) for n in ("ca.crt", "server.crt", "server.key"))
    with open(paths[0], "wb") as f:
        f.write(_pem(ca_cert))
    with open(paths[1], "wb") as f:
        f.write(_pem(cert))
    fd = os.open(paths[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                  serialization.NoEncryption()))
    return paths
