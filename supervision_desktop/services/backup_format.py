"""The backup file's framing, shared by writing, reading and rotation.

    MAGIC | format version (u16) | header length (u32) | header (JSON) | parts | SHA-256

`is_sound_backup` answers "is this file one of ours, whole?" without loading it: the
magic, a header naming our format, and the SHA-256 over everything before it (read in
chunks). Rotation deletes only files that pass it.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

MAGIC = b"SDBACKUP"
FORMAT_VERSION = 1
FORMAT_NAME = "supervision-desktop-backup"
SUFFIX = ".sdbackup"
FILE_PREFIX = "supervision-backup_"
PREFIX = struct.Struct(">HI")  # format version, header length
DIGEST_BYTES = 32
MAX_HEADER = 1_000_000  # a real header is a few hundred bytes
_CHUNK = 1 << 20


def is_sound_backup(path: Path) -> bool:
    """True if the file has our magic, a readable header of our format and a matching
    checksum; False for anything else (never raises for a bad or unreadable file)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            start = handle.read(len(MAGIC) + PREFIX.size)
            if len(start) < len(MAGIC) + PREFIX.size or not start.startswith(MAGIC):
                return False
            _version, length = PREFIX.unpack_from(start, len(MAGIC))
            if length > MAX_HEADER or len(start) + length + DIGEST_BYTES > size:
                return False
            header_bytes = handle.read(length)
            header = json.loads(header_bytes)
            if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
                return False
            digest = hashlib.sha256(start + header_bytes)
            remaining = size - len(start) - length - DIGEST_BYTES
            while remaining > 0:
                chunk = handle.read(min(_CHUNK, remaining))
                if not chunk:
                    return False
                digest.update(chunk)
                remaining -= len(chunk)
            return handle.read(DIGEST_BYTES) == digest.digest()
    except (OSError, ValueError, UnicodeDecodeError):
        return False
