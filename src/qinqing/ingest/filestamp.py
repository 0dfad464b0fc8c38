"""A file's stamp (modification time and size): what the caches of the data, the languages
table and the converter's lists compare to know whether a file changed since it was read."""

from __future__ import annotations

import os


def file_stamp(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(mtime in ns, size), or None when the file cannot be read."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)
