"""The embedded store: an Oxigraph database on disk, in generations swapped atomically.

A store folder looks like this::

    STORE/
      current -> generations/20261124T051200-3f2a   (symlink; swapped with os.replace)
      generations/<id>/oxigraph/                    (the RocksDB database)
      generations/<id>/manifest.json                (what was built, when, from what)
      generations/<id>/answers/                     (saved queries' answers, graph/answers.py)
      .lock                                         (held by the one writer at a time)

``dermkg build`` writes a whole new generation (streamed in, chunk by chunk, through
:meth:`StoreFolder.writing`) and swaps the ``current`` link only when
the generation is complete, so a failed or interrupted build leaves the previous store
intact and queryable. ``add`` and ``retract`` change the current generation in one
Oxigraph transaction each.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from dermkg.errors import StoreError

DEFAULT_STORE = Path(".dermkg/store")
CURRENT = "current"
GENERATIONS = "generations"
DATABASE = "oxigraph"
MANIFEST = "manifest.json"
LOCK = ".lock"


@dataclass(frozen=True)
class Generation:
    """One complete build of the graph inside a store folder."""

    path: Path

    @property
    def database(self) -> Path:
        """The Oxigraph database folder of this generation."""
        return self.path / DATABASE

    def manifest(self) -> dict[str, Any]:
        """The build manifest (empty when the generation has none)."""
        try:
            data: dict[str, Any] = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return data


class StoreFolder:
    """A dermkg store folder: its generations, the current one, and the writer lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"StoreFolder({str(self.path)!r})"

    @property
    def generations_dir(self) -> Path:
        return self.path / GENERATIONS

    def exists(self) -> bool:
        """Whether the folder holds a built graph."""
        return (self.path / CURRENT).exists()

    def current(self) -> Generation:
        """The generation queries see; :class:`StoreError` when nothing was built yet."""
        link = self.path / CURRENT
        if not link.exists():
            if self.path.exists() and not self.path.is_dir():
                raise StoreError(f"{self.path}: not a store folder")
            raise StoreError(
                f"{self.path}: no graph built here yet (run `dermkg build --store {self.path}`)"
            )
        return Generation(link.resolve())

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the store's writer lock: one build, add or retract at a time."""
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / LOCK, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError(
                    f"{self.path}: another dermkg process is writing this store"
                ) from exc
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def writing(self, manifest: Mapping[str, Any] | None = None,
                complete: Callable[[Generation, ox.Store], Mapping[str, Any]] | None = None,
                ) -> Iterator[GenerationWriter]:
        """Write a new generation piece by piece; it becomes current only when the block
        completes (with the writer's :attr:`GenerationWriter.manifest` as its manifest).
        ``complete`` runs on the finished, compacted database before the swap (what it
        returns is added to the manifest): the saved queries' answers are stored there.

        On any exception (or interruption) the half-written generation is deleted and the
        current one is untouched; a process killed mid-build leaves a generation without a
        manifest, which the next writer deletes.
        """
        with self.writer_lock():
            self._remove_stale_generations()
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # sorts in build order
            gen = Generation(self.generations_dir / f"{stamp}-{uuid.uuid4().hex[:8]}")
            gen.path.mkdir(parents=True)
            try:
                writer = GenerationWriter(ox.Store(str(gen.database)), dict(manifest or {}))
                yield writer
                writer.finish()
                if complete is not None:
                    writer.manifest.update(complete(gen, writer.database))
                info = writer.close()
                info.setdefault("created", datetime.now(UTC).isoformat(timespec="seconds"))
                (gen.path / MANIFEST).write_text(json.dumps(info, indent=2), encoding="utf-8")
                self._swap_to(gen)
            except BaseException:
                shutil.rmtree(gen.path, ignore_errors=True)
                raise
            self._remove_stale_generations()

    @contextlib.contextmanager
    def new_generation(self, manifest: Mapping[str, Any] | None = None) -> Iterator[ox.Store]:
        """Build a new generation in one block (the Oxigraph database being written); it
        becomes current only when the block completes. See :meth:`writing`."""
        with self.writing(manifest) as writer:
            yield writer.database

    def update_manifest(self, changes: Mapping[str, Any]) -> None:
        """Merge ``changes`` into the current generation's manifest (atomically replaced)."""
        gen = self.current()
        info = gen.manifest()
        info.update(changes)
        tmp = gen.path / f".{MANIFEST}.{uuid.uuid4().hex[:8]}"
        tmp.write_text(json.dumps(info, indent=2), encoding="utf-8")
        os.replace(tmp, gen.path / MANIFEST)

    def _swap_to(self, gen: Generation) -> None:
        tmp_link = self.path / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
        os.symlink(os.path.relpath(gen.path, self.path), tmp_link)
        os.replace(tmp_link, self.path / CURRENT)
        dir_fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def _remove_stale_generations(self) -> None:
        """Delete what no reader needs: generations a build never completed (no manifest)
        and every complete one but the current and the one before it. The previous one is
        kept so that a reader that opened it just before a swap (a server worker, a
        notebook) goes on working until the next build."""
        if not self.generations_dir.is_dir():
            return
        current = self.current().path if self.exists() else None
        complete = sorted(
            (c for c in self.generations_dir.iterdir()
             if c.is_dir() and c.resolve() != current and (c / MANIFEST).is_file()),
            key=lambda c: c.name,
        )
        keep = {current, *(c.resolve() for c in complete[-1:])}
        for child in self.generations_dir.iterdir():
            if child.is_dir() and child.resolve() not in keep:
                shutil.rmtree(child, ignore_errors=True)


class GenerationWriter:
    """The Oxigraph database of a generation being built (see :meth:`StoreFolder.writing`):
    quads are bulk-loaded as they come; the manifest can be filled in until the end."""

    def __init__(self, database: ox.Store, manifest: dict[str, Any]) -> None:
        self.database = database
        self.manifest = manifest
        self.quads = 0

    def add_quads(self, quads: Iterable[ox.Quad]) -> int:
        """Bulk-load ``quads`` (in chunks of :data:`LOAD_CHUNK`); how many were given."""
        n = load_quads(self.database, quads)
        self.quads += n
        return n

    def remove_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Remove quads already written (a later check found them wrong)."""
        for q in quads:
            self.database.remove(q)

    def finish(self) -> None:
        """Flush and compact the database (nothing more will be written)."""
        self.database.flush()
        self.database.optimize()

    def close(self) -> dict[str, Any]:
        """Let go of the database; the manifest to write beside it."""
        del self.database
        return self.manifest


def open_database(folder: StoreFolder, *, writable: bool = False,
                  generation: Generation | None = None) -> ox.Store:
    """Open the current generation's (or ``generation``'s) Oxigraph database, read-only
    unless ``writable``."""
    gen = generation or folder.current()
    try:
        if writable:
            return ox.Store(str(gen.database))
        return ox.Store.read_only(str(gen.database))
    except OSError as exc:
        raise StoreError(f"{folder.path}: cannot open the store: {exc}") from exc


LOAD_CHUNK = 100_000
"""Quads handed to Oxigraph's bulk loader at a time: ``bulk_extend`` buffers the whole
iterable it is given (1M quads: +770 MB peak at once, +130 MB in chunks, same time)."""


def load_quads(store: ox.Store, quads: Iterable[ox.Quad]) -> int:
    """Bulk-load quads into a store being built, in chunks of :data:`LOAD_CHUNK`; how many."""
    it = iter(quads)
    n = 0
    while chunk := list(itertools.islice(it, LOAD_CHUNK)):
        store.bulk_extend(chunk)
        n += len(chunk)
    return n
