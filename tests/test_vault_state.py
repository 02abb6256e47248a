"""Know the vault you expect: an empty, cut-short or older vault.db is refused untouched.

Every write transaction counts a change inside the database and seals vault.state beside
it; at unlock a database behind that marker (or with a missing, altered or foreign marker)
is refused with the message, and not one byte of vault.db, its -wal, the marker or the
last good backup changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlcipher3

from supervision_desktop.cli import run
from supervision_desktop.errors import (
    StateMarkerProblem,
    VaultDamaged,
    VaultReadOnly,
    VaultRolledBack,
)
from supervision_desktop.services import audit, backup, people, vault_access
from supervision_desktop.store import settings
from supervision_desktop.store import vault as vaults
from supervision_desktop.store.state_marker import MARKER_NAME
from tests.conftest import PASSPHRASE

NOV_11 = dt.datetime(2026, 11, 11, 12, 0, tzinfo=dt.UTC)
NOV_12 = dt.datetime(2026, 11, 12, 12, 0, tzinfo=dt.UTC)
DEC_01 = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def digests(folder: Path, *extra: Path) -> dict[str, str | None]:
    """vault.db, its -wal, the marker and any extra file: their hashes (None if absent)."""
    paths = [folder / n for n in ("vault.db", "vault.db-wal", MARKER_NAME)] + list(extra)
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None
            for p in paths}


def add_people(folder: Path, data_key: bytes, names: list[str], at: dt.datetime) -> None:
    """Commit one person per transaction, with the vault's clock at ``at``, then close."""
    vault = vaults.open_with_key(folder, data_key)
    vault.clock = lambda: at
    for name in names:
        people.add_person(vault, "child", {"name": name})
    vault.close()


def changes_in(folder: Path, data_key: bytes) -> int:
    with vaults.open_with_key(folder, data_key) as vault, vault.transaction() as session:
        return int(settings.read(session, "vault_changes").partition("|")[0])


@pytest.fixture
def good_backup(vault_folder: Path, data_key: bytes, tmp_path: Path) -> Path:
    """Two people committed on 11/11, backed up; then three more on 12/11 (closed)."""
    add_people(vault_folder, data_key, ["Ada Example", "Bryn Example"], NOV_11)
    with vaults.open_with_key(vault_folder, data_key) as vault:
        vault.clock = lambda: NOV_11
        made = backup.back_up(vault, tmp_path / "backups", now=NOV_11)
    add_people(vault_folder, data_key, ["Cai Example", "Dilys Example", "Efa Example"], NOV_12)
    return made.path


def test_every_write_transaction_counts_one_change_and_a_read_counts_none(
    vault_folder: Path, data_key: bytes
) -> None:
    before = changes_in(vault_folder, data_key)
    add_people(vault_folder, data_key, ["Ada Example", "Bryn Example"], NOV_11)
    with vaults.open_with_key(vault_folder, data_key) as vault:
        people.list_people(vault)
        audit.entries(vault)
    assert changes_in(vault_folder, data_key) == before + 2
    marker = json.loads((vault_folder / MARKER_NAME).read_text())
    assert marker["state"]["changes"] == before + 2
    assert "Example" not in (vault_folder / MARKER_NAME).read_text()  # no names in it


def test_an_older_vault_db_put_back_is_refused_with_how_much_is_missing(
    vault_folder: Path, data_key: bytes, good_backup: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older.db"
    add_people(vault_folder, data_key, ["Ffion Example"], NOV_12)
    shutil.copy2(vault_folder / "vault.db", older)
    add_people(vault_folder, data_key, ["Gwen Example", "Huw Example"], DEC_01)
    shutil.copy2(older, vault_folder / "vault.db")
    before = digests(vault_folder, good_backup)
    with pytest.raises(VaultRolledBack) as refused:
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    assert str(refused.value).startswith(
        "The vault on disk is older than the one last opened here: 2 changes since "
        "12/11/2026 are missing (last opened here on 01/12/2026). Nothing was written to it.")
    assert digests(vault_folder, good_backup) == before


def test_an_older_copy_with_its_wal_put_back_is_refused(
    vault_folder: Path, data_key: bytes, tmp_path: Path
) -> None:
    vault = vaults.open_with_key(vault_folder, data_key)
    vault.clock = lambda: NOV_12
    people.add_person(vault, "child", {"name": "Ada Example"})
    copy = tmp_path / "copy"  # what a sync client takes while the app is open
    copy.mkdir()
    for name in ("vault.db", "vault.db-wal"):
        shutil.copy2(vault_folder / name, copy / name)
    vault.clock = lambda: DEC_01
    people.add_person(vault, "child", {"name": "Bryn Example"})
    vault.close()
    for name in ("vault.db", "vault.db-wal"):
        shutil.copy2(copy / name, vault_folder / name)
    (vault_folder / "vault.db-shm").unlink(missing_ok=True)
    before = digests(vault_folder)
    assert before[str(vault_folder / "vault.db-wal")] is not None
    with pytest.raises(VaultRolledBack, match="1 change since 12/11/2026 is missing"):
        vaults.open_with_key(vault_folder, data_key)
    assert digests(vault_folder) == before


def test_a_lost_wal_after_commits_is_refused(vault_folder: Path, data_key: bytes,
                                             tmp_path: Path) -> None:
    """Commits still in the -wal when the computer stops; the -wal is then lost."""
    add_people(vault_folder, data_key, ["Ada Example"], NOV_11)  # closed: in vault.db
    vault = vaults.open_with_key(vault_folder, data_key)
    vault.clock = lambda: NOV_12
    for name in ("Bryn Example", "Cai Example", "Dilys Example"):
        people.add_person(vault, "child", {"name": name})
    lost = tmp_path / "lost-wal"  # the folder as the disk holds it, without the -wal
    lost.mkdir()
    for name in ("vault.db", "vault.key", MARKER_NAME):
        shutil.copy2(vault_folder / name, lost / name)
    vault.close()
    before = digests(lost)
    with pytest.raises(VaultRolledBack, match=(
            r"^The vault on disk is older than the one last opened here: 3 changes since "
            r"11/11/2026 are missing \(last opened here on 12/11/2026\)\.")):
        vaults.open_with_key(lost, data_key)
    assert digests(lost) == before
    assert sorted(p.name for p in lost.iterdir()) == [
        "vault.db", "vault.key", "vault.lock", MARKER_NAME]


def test_close_checkpoints_the_wal_so_a_lost_wal_loses_nothing(
    vault_folder: Path, data_key: bytes
) -> None:
    add_people(vault_folder, data_key, ["Ada Example"], NOV_12)
    (vault_folder / "vault.db-wal").unlink(missing_ok=True)  # lost after a clean close
    with vaults.open_with_key(vault_folder, data_key) as vault:
        assert [p.name for p in people.list_people(vault)] == ["Ada Example"]


def test_checkpoint_empties_the_wal_while_open(vault: vaults.Vault) -> None:
    people.add_person(vault, "child", {"name": "Ada Example"})
    assert (vault.folder / "vault.db-wal").stat().st_size > 0
    assert vault.checkpoint() is True
    assert (vault.folder / "vault.db-wal").stat().st_size == 0


def test_an_empty_vault_db_is_refused_and_never_given_a_schema(
    vault_folder: Path, data_key: bytes, good_backup: Path
) -> None:
    (vault_folder / "vault.db").write_bytes(b"")
    before = digests(vault_folder, good_backup)
    for opener in (lambda: vaults.open_with_passphrase(vault_folder, PASSPHRASE),
                   lambda: vaults.open_with_key(vault_folder, data_key, adopt=True),
                   lambda: vaults.open_with_key(vault_folder, data_key, read_only=True)):
        with pytest.raises(VaultRolledBack) as refused:
            opener()
        assert str(refused.value).startswith(
            f"The vault database {vault_folder / 'vault.db'} is empty (0 bytes): the vault "
            "on disk is older than the one last opened here: all")
        assert "seen here on 12/11/2026 are missing" in str(refused.value)
    assert digests(vault_folder, good_backup) == before
    assert (vault_folder / "vault.db").stat().st_size == 0


@pytest.mark.parametrize("keep", ["first page", "half"])
def test_a_cut_short_vault_db_is_refused_saying_how_much_is_missing(
    vault_folder: Path, data_key: bytes, good_backup: Path, keep: str
) -> None:
    database = vault_folder / "vault.db"
    data = database.read_bytes()
    kept = 4096 if keep == "first page" else len(data) // 2 // 4096 * 4096
    database.write_bytes(data[:kept])
    before = digests(vault_folder, good_backup)
    with pytest.raises(VaultRolledBack) as refused:
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    assert str(refused.value).startswith(
        f"The vault database {database} is cut short: it holds {kept // 1024} KB of the "
        f"{len(data) // 1024} KB last seen here on 12/11/2026 "
        f"({(len(data) - kept) // 1024} KB missing)")
    assert digests(vault_folder, good_backup) == before


def test_a_database_with_no_vault_tables_is_refused(vault_folder: Path, data_key: bytes) -> None:
    database = vault_folder / "vault.db"
    database.unlink()
    connection = sqlcipher3.dbapi2.connect(str(database))
    connection.execute(f"PRAGMA key = \"x'{data_key.hex()}'\"")
    connection.execute("CREATE TABLE other (x TEXT)")
    connection.commit()
    connection.close()
    before = digests(vault_folder)
    with pytest.raises(VaultRolledBack, match="holds no vault tables: it was emptied"):
        vaults.open_with_key(vault_folder, data_key, adopt=True)
    assert digests(vault_folder) == before


def test_a_deleted_marker_is_reported_not_recreated(vault_folder: Path, data_key: bytes) -> None:
    (vault_folder / MARKER_NAME).unlink()
    before = digests(vault_folder)
    with pytest.raises(StateMarkerProblem, match=r"vault\.state\) is missing, so it cannot "):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)
    assert digests(vault_folder) == before
    assert not (vault_folder / MARKER_NAME).exists()


def test_a_marker_altered_by_one_byte_is_reported(vault_folder: Path, data_key: bytes) -> None:
    marker = vault_folder / MARKER_NAME
    text = marker.read_text()
    altered = text.replace('"changes": ', '"changes": 9', 1)  # one byte more
    assert len(altered) == len(text) + 1
    marker.write_text(altered)
    before = digests(vault_folder)
    with pytest.raises(StateMarkerProblem, match="has been altered or is damaged"):
        vaults.open_with_key(vault_folder, data_key)
    assert digests(vault_folder) == before


def test_a_marker_whose_mac_is_changed_is_reported(vault_folder: Path, data_key: bytes) -> None:
    marker = vault_folder / MARKER_NAME
    document = json.loads(marker.read_text())
    mac = document["mac"]
    document["mac"] = ("0" if mac[0] != "0" else "1") + mac[1:]
    marker.write_text(json.dumps(document))
    with pytest.raises(StateMarkerProblem, match="has been altered or is damaged"):
        vaults.open_with_key(vault_folder, data_key)


def test_a_marker_from_another_vault_is_reported(vault_folder: Path, data_key: bytes,
                                                 tmp_path: Path) -> None:
    other = vault_access.create_vault(tmp_path / "other", owner_name="Rhys Other",
                                      role="supervisor", passphrase=PASSPHRASE)
    other.vault.close()
    shutil.copy2(tmp_path / "other" / MARKER_NAME, vault_folder / MARKER_NAME)
    before = digests(vault_folder)
    with pytest.raises(StateMarkerProblem, match="belongs to another vault"):
        vaults.open_with_key(vault_folder, data_key)
    assert digests(vault_folder) == before


def test_a_database_ahead_of_its_marker_opens_and_the_marker_catches_up(
    vault_folder: Path, data_key: bytes
) -> None:
    """A crash between the commit and the marker write: never a false refusal."""
    stale = (vault_folder / MARKER_NAME).read_bytes()
    add_people(vault_folder, data_key, ["Ada Example", "Bryn Example"], NOV_12)
    (vault_folder / MARKER_NAME).write_bytes(stale)
    with vaults.open_with_key(vault_folder, data_key) as vault:
        assert [p.name for p in people.list_people(vault)] == ["Ada Example", "Bryn Example"]
    assert (vault_folder / MARKER_NAME).read_bytes() != stale


def test_a_vault_from_before_markers_gets_one_at_its_first_open(
    vault_folder: Path, data_key: bytes
) -> None:
    vault = vaults.open_with_key(vault_folder, data_key)
    with vault.engine.begin() as connection:  # as an older version left it
        connection.exec_driver_sql("DELETE FROM settings WHERE key = 'vault_changes'")
    vault.close()
    (vault_folder / MARKER_NAME).unlink()
    with vaults.open_with_key(vault_folder, data_key):
        pass
    assert (vault_folder / MARKER_NAME).exists()
    add_people(vault_folder, data_key, ["Ada Example"], NOV_12)


def test_read_only_open_reads_records_refuses_writes_and_changes_nothing(
    vault_folder: Path, data_key: bytes, good_backup: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older.db"
    shutil.copy2(vault_folder / "vault.db", older)
    add_people(vault_folder, data_key, ["Ffion Example"], DEC_01)
    shutil.copy2(older, vault_folder / "vault.db")
    before = digests(vault_folder, good_backup)
    unlocked = vault_access.unlock_read_only(vault_folder, PASSPHRASE)
    vault = unlocked.vault
    assert vault.read_only
    names = [p.name for p in people.list_people(vault)]
    assert names == ["Ada Example", "Bryn Example", "Cai Example", "Dilys Example",
                     "Efa Example"]
    audit.log(vault, "open", detail="ignored: read-only")
    with pytest.raises(VaultReadOnly, match="opened read-only, so nothing can be saved"):
        people.add_person(vault, "child", {"name": "Gwen Example"})
    vault.close()
    assert digests(vault_folder, good_backup) == before
    assert sorted(p.name for p in vault_folder.iterdir()) == [  # the backup left its stamp
        "vault.db", "vault.key", "vault.last-backup", "vault.lock", MARKER_NAME]
    with pytest.raises(VaultRolledBack):  # still refused: nothing was adopted
        vaults.open_with_key(vault_folder, data_key)


def test_keeping_the_state_is_deliberate_audited_and_then_opens_normally(
    vault_folder: Path, data_key: bytes
) -> None:
    (vault_folder / MARKER_NAME).unlink()
    unlocked = vault_access.unlock_keeping_state(vault_folder, PASSPHRASE)
    newest = audit.entries(unlocked.vault, limit=1)[0]
    unlocked.vault.close()
    assert (newest.action, newest.detail) == (
        "unlock", "passphrase; the vault on disk was kept as it is although it differs "
        "from the state last seen here")
    vaults.open_with_key(vault_folder, data_key).close()


def test_restore_leaves_a_marker_that_matches_the_restored_vault(
    vault_folder: Path, data_key: bytes, good_backup: Path
) -> None:
    (vault_folder / "vault.db").write_bytes(b"")
    backup_before = digests(good_backup.parent, good_backup)[str(good_backup)]
    backup.restore(good_backup, vault_folder, passphrase=PASSPHRASE, replace=True)
    with vaults.open_with_key(vault_folder, data_key) as vault:
        assert [p.name for p in people.list_people(vault)] == ["Ada Example", "Bryn Example"]
    assert digests(good_backup.parent, good_backup)[str(good_backup)] == backup_before


def test_a_damaged_database_is_still_reported_as_damaged(vault_folder: Path) -> None:
    database = vault_folder / "vault.db"
    data = bytearray(database.read_bytes())
    data[5000:5010] = b"\xff" * 10  # a page inside the file, not a shorter file
    database.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged):
        vaults.open_with_passphrase(vault_folder, PASSPHRASE)


CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from supervision_desktop.store import settings
    from supervision_desktop.store import vault as vaults

    vault = vaults.open_with_key(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
    number = int(sys.argv[3])
    while True:
        number += 1
        with vault.transaction() as session:
            settings.write(session, "crash_test", str(number))
        print(number, flush=True)  # committed: the parent may kill us from here on
""")


def test_kill_9_between_commit_and_marker_never_refuses_and_keeps_the_last_commit(
    vault_folder: Path, data_key: bytes
) -> None:
    rng = random.Random(15)
    last = 0
    for _iteration in range(20):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(vault_folder), data_key.hex(), str(last)],
            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
        assert child.stdout is not None
        first = child.stdout.readline()  # it is committing
        assert first.strip(), "the child did not start committing"
        time.sleep(rng.uniform(0.0, 0.15))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        printed = [first, *child.stdout.read().split()]
        child.stdout.close()
        last = max(int(line) for line in printed if line.strip())
        with vaults.open_with_key(vault_folder, data_key) as vault, \
                vault.transaction() as session:
            stored = int(settings.read(session, "crash_test"))
        assert stored >= last  # every commit it reported is there (one more may be)
        last = stored
    assert last > 20


def test_cli_refuses_an_older_vault_and_offers_read_only_and_keeping_it(
    vault_folder: Path, data_key: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    add_people(vault_folder, data_key, ["Ada Example"], NOV_11)
    older = tmp_path / "older.db"
    shutil.copy2(vault_folder / "vault.db", older)
    add_people(vault_folder, data_key, ["Bryn Example", "Cai Example"], NOV_12)
    shutil.copy2(older, vault_folder / "vault.db")
    before = digests(vault_folder)
    data = tmp_path / "person.json"
    data.write_text(json.dumps({"name": "Dilys Example"}))

    assert run(["person", "list", "--vault", str(vault_folder)]) == 1
    err = capsys.readouterr().err
    assert "older than the one last opened here: 2 changes since 11/11/2026 are missing" in err
    assert "--read-only opens it to look without writing" in err

    assert run(["person", "list", "--vault", str(vault_folder), "--read-only"]) == 0
    assert "Ada Example" in capsys.readouterr().out
    assert run(["person", "add", "--kind", "child", "--data", str(data),
                "--vault", str(vault_folder), "--read-only"]) == 1
    assert "opened read-only, so nothing can be saved" in capsys.readouterr().err
    assert digests(vault_folder) == before

    assert run(["person", "list", "--vault", str(vault_folder), "--keep-vault-state"]) == 0
    capsys.readouterr()
    assert run(["person", "list", "--vault", str(vault_folder)]) == 0
    assert "Ada Example" in capsys.readouterr().out
