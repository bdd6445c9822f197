"""Whether the Prefect server vnplan starts may skip its database migration check.

Every Prefect server start runs `alembic upgrade head` on its database (its lifespan, with
`PREFECT_API_DATABASE_MIGRATE_ON_START`, the default). On a database already at head that changes
nothing, but alembic still loads the revision scripts of every migration Prefect ships to find it
out: ~0.15–0.2 s of CPU before the server answers, on the path of a first run.

What head is depends only on the installed Prefect. So after a server of this Prefect has migrated
a SQLite database, its `alembic_version` rows are recorded here, keyed by the Prefect install
(version, migrations folder and its mtime); a later server finding the same rows in its database
starts with the check switched off. Any other case migrates as Prefect does: no record yet, another
Prefect version, rows that differ (an older or newer database), a database that does not exist yet,
Postgres or in-memory databases. With `PREFECT_API_DATABASE_MIGRATE_ON_START` off (the user's
choice) nothing is checked and nothing recorded.
The record is a cache in the temporary folder; losing it costs one check.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path

from pipeline.dataset.atomic import atomic_write_text


def heads_record() -> Path:
    return Path(tempfile.gettempdir()) / f"vnplan-prefect-db-heads-{os.getuid()}.json"


def sqlite_file(connection_url: str) -> Path | None:
    """The database file of a SQLite connection URL; None for other databases and in-memory ones."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(connection_url)
    except Exception:  # a URL sqlalchemy cannot read is Prefect's to report
        return None
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or not database or database.startswith("file:") or ":memory:" in database:
        return None
    return Path(database).expanduser()


def revisions(database: Path) -> list[str] | None:
    """The database's alembic revisions (sorted), read only; None when it has none or cannot be read."""
    if not database.is_file():
        return None
    try:
        uri = f"{database.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5)) as connection:
            rows = sorted(str(row[0]) for row in connection.execute("SELECT version_num FROM alembic_version"))
    except sqlite3.Error:
        return None
    return rows or None


def install_key() -> str:
    """The installed Prefect, as far as its migrations go."""
    import prefect
    import prefect.server.database

    versions = Path(prefect.server.database.__file__).parent / "_migrations" / "versions" / "sqlite"
    with contextlib.suppress(OSError):
        return f"{prefect.__version__} {versions} {versions.stat().st_mtime_ns}"
    return f"{prefect.__version__} {versions}"


def _record() -> dict[str, list[str]]:
    try:
        found = json.loads(heads_record().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def at_head(database: Path | None) -> bool:
    """Whether `database` holds the revisions a server of this Prefect left in one it migrated."""
    if database is None:
        return False
    found = revisions(database)
    return found is not None and _record().get(install_key()) == found


def remember_head(database: Path | None) -> None:
    """Record `database`'s revisions as this Prefect's head: call only once a migration to head ran on it."""
    if database is None:
        return
    found = revisions(database)
    if found is None:
        return
    record = _record()
    key = install_key()
    if record.get(key) == found:
        return
    record[key] = found
    with contextlib.suppress(OSError):
        atomic_write_text(heads_record(), json.dumps(record, indent=1), only_if_changed=False)
