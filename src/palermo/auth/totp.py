"""Optional second factor: RFC 6238 time-based one-time passwords, with the secret encrypted at rest.

The secret is encrypted with Fernet under a key derived (HKDF-SHA256) from ``PALERMO_SECRET_KEY``; changing that
key invalidates enrolled second factors, which then have to be enrolled again.
"""

from __future__ import annotations

import base64

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from palermo.errors import ConfigurationError

ISSUER = "Palermo"
VALID_WINDOW = 1  # accept the previous and next 30-second step, for clock drift


def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"palermo totp secret").derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def new_secret() -> str:
    return pyotp.random_base32()


def encrypt_secret(secret: str, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode("ascii")).decode("ascii")


def decrypt_secret(encrypted: str, secret_key: str) -> str:
    try:
        return _fernet(secret_key).decrypt(encrypted.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise ConfigurationError(
            "a TOTP secret cannot be decrypted: PALERMO_SECRET_KEY changed since it was enrolled; "
            "reset the user's second factor"
        ) from None


def verify_code(secret: str, code: str) -> bool:
    cleaned = code.replace(" ", "")
    return cleaned.isdigit() and pyotp.TOTP(secret).verify(cleaned, valid_window=VALID_WINDOW)


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (usually from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
