"""Where uploaded and command-line files wait for a worker: files on disk under
INGEST_UPLOAD_DIR (a volume shared by the web process and the workers), never in memory
nor in a database row. Each is deleted once its item's outcome is recorded."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class UploadStorage(FileSystemStorage):
    """A FileSystemStorage that reads INGEST_UPLOAD_DIR at each use (tests move it)."""

    @property
    def base_location(self) -> str:
        return str(settings.INGEST_UPLOAD_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


uploads = UploadStorage()


def upload_keep(content: File) -> str:
    """Store the content under a new name and return it. An upload Django already streamed to
    a temporary file is moved, not copied; anything else is copied in chunks."""
    return uploads.save(uuid.uuid4().hex, content)


def upload_read(name: str, limit: int) -> bytes:
    """At most `limit` bytes of a waiting file (the caller checks the size)."""
    with uploads.open(name, "rb") as file:
        return file.read(limit)


def upload_delete(name: str) -> None:
    if name:
        uploads.delete(name)
