"""Argon2id with its cost read from a file: every parameter bounded before it is used.

The vault's key file, the key file inside a backup and a transfer bundle all carry the
Argon2id settings their key was derived with. Those files can be hostile: a lowered
cost weakens the protection, a huge one (terabytes of memory, hours of passes, a number
with thousands of digits) hangs or crashes the app. So each setting must be a plain
integer (not a bool, not a float, not text) between the cost this app writes and a
ceiling no honest file reaches; anything else is refused with `UnsafeKdfSettings`
before Argon2 runs. The hash length is not read from files: it is always 32 bytes.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from typing import Any

from argon2.low_level import Type, hash_secret_raw

from supervision_desktop.errors import UserError

NAME = "argon2id"

# What this app writes: measured ~150 ms on a 2-core laptop-class machine.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4
SALT_BYTES = 16
HASH_BYTES = 32

# Accepted on read: never below what we write (it would weaken the key), never above a
# ceiling that still finishes in seconds on a laptop.
TIME_COST_RANGE = (ARGON2_TIME_COST, 20)
MEMORY_KIB_RANGE = (ARGON2_MEMORY_KIB, 1024 * 1024)  # 64 MiB .. 1 GiB
PARALLELISM_RANGE = (1, 16)
SALT_BYTES_RANGE = (SALT_BYTES, 64)


class UnsafeKdfSettings(UserError):
    """A file asks for key-derivation settings outside the safe range; it was not used."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"This file asks for unsafe settings ({detail}); it was not used.")


@dataclass(frozen=True)
class Argon2Params:
    time_cost: int
    memory_kib: int
    parallelism: int
    salt: bytes


def new_params() -> dict[str, Any]:
    """The settings (with a fresh salt) this app writes for a new key."""
    return {
        "name": NAME,
        "time_cost": ARGON2_TIME_COST,
        "memory_kib": ARGON2_MEMORY_KIB,
        "parallelism": ARGON2_PARALLELISM,
        "salt": base64.b64encode(secrets.token_bytes(SALT_BYTES)).decode("ascii"),
    }


def _bounded(params: dict[str, Any], key: str, bounds: tuple[int, int], what: str) -> int:
    value = params.get(key)
    # bool is an int to Python; 3.0 and "3" are not what this app writes
    if type(value) is not int:
        raise UnsafeKdfSettings(f"{what} is not a whole number")
    low, high = bounds
    if value < low:
        raise UnsafeKdfSettings(f"{what} is below the minimum of {low}, which weakens it")
    if value > high:
        raise UnsafeKdfSettings(f"{what} is above the maximum of {high}")
    return value


def check_argon2id(params: object) -> Argon2Params:
    """The settings, checked; raises UnsafeKdfSettings saying which one is wrong."""
    if not isinstance(params, dict):
        raise UnsafeKdfSettings("the settings are not a set of named values")
    if params.get("name") != NAME:
        raise UnsafeKdfSettings("the method is not Argon2id")
    time_cost = _bounded(params, "time_cost", TIME_COST_RANGE, "the number of passes")
    memory_kib = _bounded(params, "memory_kib", MEMORY_KIB_RANGE, "the memory (KiB)")
    parallelism = _bounded(params, "parallelism", PARALLELISM_RANGE, "the parallelism")
    salt_text = params.get("salt")
    if not isinstance(salt_text, str) or len(salt_text) > 4 * SALT_BYTES_RANGE[1]:
        raise UnsafeKdfSettings("the salt is not readable")
    try:
        salt = base64.b64decode(salt_text.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise UnsafeKdfSettings("the salt is not readable") from None
    low, high = SALT_BYTES_RANGE
    if not low <= len(salt) <= high:
        raise UnsafeKdfSettings(f"the salt is not between {low} and {high} bytes long")
    return Argon2Params(time_cost, memory_kib, parallelism, salt)


def derive_argon2id(params: object, secret: bytes) -> bytes:
    """A 32-byte key from ``secret`` under checked settings (raises UnsafeKdfSettings)."""
    checked = check_argon2id(params)
    return hash_secret_raw(
        secret,
        checked.salt,
        time_cost=checked.time_cost,
        memory_cost=checked.memory_kib,
        parallelism=checked.parallelism,
        hash_len=HASH_BYTES,
        type=Type.ID,
    )
