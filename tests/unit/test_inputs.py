"""Bad inputs of the tenant, export and file classes (issue 11, section 4).

An export given where a tenant is expected loads as a one-bot tenant; output paths are checked
before anything is written; FIFOs, devices and symbolic-link loops fail fast (each in a
subprocess with a guard timeout, so a regression that blocks or reads forever fails the test
instead of hanging the suite); the validation-error formatter is total; numbers are bounded;
the clock refuses to pass the calendar's end; YAML 1.1 ids keep the text the user wrote.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.clock import VirtualClock
from simulator.errors import FixtureError, OutputPathError, StepError, UserError
from simulator.files import check_output_dir, check_output_path
from simulator.simulator import Simulator
from simulator.steps.library import transcript_json
from simulator.tenant.loader import load_tenant, load_tenant_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_EXPORT = ROOT / "fixtures" / "exports" / "scripted-bot.json"
SHARED_EXPORTS = ROOT.parent / "shared" / "cb-exports"
REAL_EXPORTS = sorted(SHARED_EXPORTS.glob("*.json")) if SHARED_EXPORTS.is_dir() else []

#: Seconds a subprocess may take to load a bad path; a blocking open or an endless read
#: would take forever, a clear error takes well under a second (the margin is for busy CI).
GUARD = 30


# -- an export where a tenant is expected ----------------------------------------------
def test_an_export_loads_as_a_one_bot_tenant() -> None:
    loaded = load_tenant(FIXTURE_EXPORT)
    assert [b.name for b in loaded.tenant.bots] == ["Scripted"]  # type: ignore[union-attr]
    assert loaded.tenant.connectors == [] and loaded.tenant.skills == []
    assert loaded.tenant.name == "Scripted"


def test_a_conversation_runs_with_an_export_given_as_the_tenant() -> None:
    sim = Simulator()
    world = sim.load(FIXTURE_EXPORT)
    assert list(world.bots) == ["Scripted"]
    sim.open_conversation(bot="Scripted")
    assert sim.conversation().transcript.entries, "the bot never answered"


def test_an_export_can_be_included(tmp_path: Path) -> None:
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text(
        f"skills:\n  - {{id: 100, name: Sales}}\ninclude:\n  - {json.dumps(str(FIXTURE_EXPORT))}\n",
        encoding="utf-8",
    )
    loaded = load_tenant(tenant)
    assert [s.id for s in loaded.tenant.skills] == ["100"]
    assert [b.name for b in loaded.tenant.bots] == ["Scripted"]  # type: ignore[union-attr]


def test_check_accepts_an_export(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FIXTURE_EXPORT)]) in (0, 1)  # 1: lint warnings under --strict
    out = capsys.readouterr()
    assert "error" not in out.out and "Traceback" not in out.err


def test_an_export_bigger_than_the_tenant_limit_still_loads_as_an_export(tmp_path: Path) -> None:
    data = json.loads(FIXTURE_EXPORT.read_text(encoding="utf-8"))
    data["padding"] = "x" * (6 * 1024 * 1024)
    big = tmp_path / "big-export.json"
    big.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_tenant(big)
    assert [b.name for b in loaded.tenant.bots] == ["Scripted"]  # type: ignore[union-attr]


@pytest.mark.skipif(not REAL_EXPORTS, reason="../shared/cb-exports/ is not present")
@pytest.mark.parametrize("export", REAL_EXPORTS, ids=[p.name for p in REAL_EXPORTS])
def test_every_real_export_loads_as_a_tenant_and_converses(export: Path) -> None:
    sim = Simulator()
    world = sim.load(export)
    assert len(world.bots) == 1
    (name,) = world.bots
    conversation = sim.open_conversation(bot=name)
    assert conversation.is_open


@pytest.mark.skipif(not REAL_EXPORTS, reason="../shared/cb-exports/ is not present")
def test_simulator_check_on_real_exports(capsys: pytest.CaptureFixture[str]) -> None:
    for export in REAL_EXPORTS:
        assert main(["check", str(export)]) == 0, export.name
    assert "error:" not in capsys.readouterr().out


# -- the validation-error formatter is total ---------------------------------------------
WEIRD_KEYS = [
    "bot",
    "export",
    "api",
    "liveperson_agent_escalation",
    "it's",
    'say "hi"',
    "a[0]",
    "x.y",
    "nöme",
    "函数",
    "function-after[x]",
    "str",
    "0",
    " ",
    "\\",
]


@pytest.mark.parametrize("key", WEIRD_KEYS)
@pytest.mark.parametrize(
    "where",
    [
        "{KEY}: 1\n",
        "skills:\n  - {{id: 1, name: S, {KEY}: 1}}\n",
        "bots:\n  - {{name: B, {KEY}: 1}}\n",
        "bots:\n  - {{export: e.json, {KEY}: 1}}\n",
        "bots:\n  - name: B\n    integrations:\n      - {{name: i, type: api, {KEY}: 1}}\n",
        "bots:\n  - name: B\n    integrations:\n"
        "      - {{name: i, type: liveperson_agent_escalation, {KEY}: 1}}\n",
        "connectors:\n  - {{bot: B, settings: {{{KEY}: 1}}}}\n",
    ],
)
def test_any_unknown_key_anywhere_is_one_clear_error(key: str, where: str) -> None:
    text = "name: t\n" + where.format(KEY=json.dumps(key))
    with pytest.raises(FixtureError) as info:
        load_tenant_text(text, name="weird.yaml")
    message = str(info.value)
    if key == "export" and "export:" in where:  # the entry already has an export key
        assert 'key "export" appears twice' in message, message
    elif key == "export" and where.startswith("bots:\n  - {{"):
        # An "export" key makes the entry an export reference: its value must be a file name.
        assert "bots[0]: Input should be a valid string" in message, message
    else:
        assert f'unknown key "{key}"' in message, message
    assert info.value.line is not None and info.value.line >= 2, message
    assert "Traceback" not in message


def test_the_value_that_picks_a_union_member_is_reported_at_the_entry() -> None:
    with pytest.raises(FixtureError, match=r"bots\[0\]: Input should be a valid string"):
        load_tenant_text("bots:\n  - export: 5\n", name="t.yaml")


# -- numbers -----------------------------------------------------------------------------
def test_several_long_waits_stop_at_the_end_of_the_calendar() -> None:
    clock = VirtualClock()
    with pytest.raises(StepError, match=r"would pass the end of the virtual calendar"):
        for _ in range(100):
            clock.advance(timedelta(days=36500))


def test_an_event_scheduled_past_the_calendar_is_a_user_error() -> None:
    clock = VirtualClock()
    with pytest.raises(UserError, match=r"end of the virtual calendar"):
        clock.call_later(timedelta(days=3_000_000), lambda: None, label="reply")


# -- silent loss ---------------------------------------------------------------------------
def test_platform_of_an_included_file_is_applied(tmp_path: Path) -> None:
    (tmp_path / "platform.yaml").write_text("platform:\n  message_delivery_ms: 7\n", "utf-8")
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text("include: [platform.yaml]\n", encoding="utf-8")
    assert load_tenant(tenant).tenant.platform.message_delivery_ms == 7


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("010", "010"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        ("+5", "+5"),
        ("100", "100"),
        ("'010'", "010"),
        ("1.50", "1.50"),
    ],
)
def test_ids_keep_the_text_the_user_wrote(written: str, kept: str) -> None:
    loaded = load_tenant_text(f"skills:\n  - {{id: {written}, name: S}}\n", name="t.yaml")
    assert loaded.tenant.skills[0].id == kept


def test_json_surrogate_pairs_are_one_character(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"name": "bank \\ud83d\\ude00", "skills": []}', encoding="utf-8")
    assert load_tenant(path).tenant.name == "bank \U0001f600"


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    for name, text in (("t.yaml", "name: bom\n"), ("t.json", '{"name": "bom"}')):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        assert load_tenant(path).tenant.name == "bom"
    export = tmp_path / "export.json"
    export.write_bytes(b"\xef\xbb\xbf" + FIXTURE_EXPORT.read_bytes())
    assert [b.name for b in load_tenant(export).tenant.bots] == ["Scripted"]  # type: ignore[union-attr]


# -- output paths ----------------------------------------------------------------------
def test_output_file_policy(tmp_path: Path) -> None:
    existing = tmp_path / "report.html"
    existing.write_text("old", encoding="utf-8")
    assert check_output_path(existing, what="--sim-report") == existing  # overwrite is normal
    with pytest.raises(OutputPathError, match="already exists"):
        check_output_path(existing, what="/save", overwrite=False)
    with pytest.raises(OutputPathError, match="is a folder, not a file"):
        check_output_path(tmp_path, what="--sim-report")
    with pytest.raises(OutputPathError, match="does not exist; create it first"):
        check_output_path(tmp_path / "missing" / "r.html", what="--sim-report")
    nested = tmp_path / "a" / "b" / "r.html"
    assert check_output_path(nested, what="--sim-report", create_folders=True) == nested
    with pytest.raises(OutputPathError, match="is a file, not a folder"):
        check_output_path(existing / "r.html", what="--sim-report", create_folders=True)
    with pytest.raises(OutputPathError, match="character device"):
        check_output_path("/dev/null", what="--sim-report")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputPathError, match="FIFO"):
        check_output_path(fifo, what="--sim-report")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(OutputPathError, match="symbolic link loop"):
        check_output_path(loop, what="--sim-report")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere" / "x")
    with pytest.raises(OutputPathError, match="symbolic link whose target does not exist"):
        check_output_path(dangling, what="--sim-report")


def test_unwritable_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):  # root writes anywhere: use a path under a file
            target = tmp_path / "file.txt"
            target.write_text("x", encoding="utf-8")
            with pytest.raises(OutputPathError, match="not a folder"):
                check_output_dir(target / "sub", what="--transcripts")
        else:
            with pytest.raises(OutputPathError, match="not writable"):
                check_output_path(locked / "r.html", what="--sim-report")
    finally:
        locked.chmod(stat.S_IRWXU)


def test_output_dir_policy(tmp_path: Path) -> None:
    assert check_output_dir(tmp_path / "new" / "deeper", what="--transcripts")
    assert check_output_dir(tmp_path, what="--transcripts") == tmp_path
    afile = tmp_path / "f.txt"
    afile.write_text("x", encoding="utf-8")
    with pytest.raises(OutputPathError, match="is a regular file, not a folder"):
        check_output_dir(afile, what="--transcripts")


def test_the_json_transcript_step_refuses_a_folder_and_a_fifo(tmp_path: Path) -> None:
    sim = Simulator()
    sim.load(FIXTURE_EXPORT)
    sim.open_conversation(bot="Scripted")
    with pytest.raises(OutputPathError, match="is a folder, not a file"):
        transcript_json(sim, str(tmp_path))
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(OutputPathError, match="FIFO"):
        transcript_json(sim, str(fifo))
    good = tmp_path / "out" / "t.json"
    transcript_json(sim, str(good))
    transcript_json(sim, str(good))  # the same scenario again replaces the file
    assert json.loads(good.read_text(encoding="utf-8"))


def test_run_refuses_a_transcripts_path_that_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.feature").write_text("Feature: x\n", encoding="utf-8")
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    assert main(["run", "a.feature", "--transcripts", "out"]) == 2
    assert "--transcripts" in capsys.readouterr().err
    assert main(["run", "a.feature", "--", "--sim-report", str(tmp_path)]) == 2
    assert "--sim-report" in capsys.readouterr().err


# -- inputs that are not regular files, each in a guarded subprocess ------------------------
_LOADER = textwrap.dedent(
    """
    import sys
    from simulator.errors import UserError
    from simulator.simulator import Simulator
    try:
        Simulator().load(sys.argv[1])
    except UserError as exc:
        print("USERERROR", exc)
        sys.exit(0)
    print("LOADED")
    """
)


def _load_in_subprocess(path: Path) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-c", _LOADER, str(path)],
            capture_output=True,
            text=True,
            timeout=GUARD,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {path} did not finish within {GUARD} s (blocked or read forever)")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("USERERROR"), done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.stdout


def _target(tmp_path: Path, how: str, bad: Path) -> Path:
    """What to load: the bad path itself, or a tenant that includes it or names it as export."""
    if how == "tenant":
        return bad
    line = {"include": "include: [{}]\n", "export": "bots: [{{export: {}}}]\n"}[how]
    tenant = tmp_path / "tenant.yaml"
    tenant.write_text(line.format(json.dumps(str(bad))), encoding="utf-8")
    return tenant


@pytest.mark.parametrize("how", ["tenant", "include", "export"])
def test_a_fifo_fails_fast(tmp_path: Path, how: str) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    target = _target(tmp_path, how, fifo)
    assert "named pipe (FIFO)" in _load_in_subprocess(target)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_fails_fast(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    out = _load_in_subprocess(Path(device))
    assert "character device" in out and device in out


@pytest.mark.parametrize("how", ["tenant", "include", "export"])
def test_a_symlink_loop_fails_fast(tmp_path: Path, how: str) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    target = _target(tmp_path, how, loop)
    assert "symbolic link loop" in _load_in_subprocess(target)


def test_plugin_refuses_bad_output_paths(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file", encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",
                "--sim-transcripts",
                "taken",
                "--co",
                "-q",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=GUARD * 2,
        )
    except subprocess.TimeoutExpired:  # pragma: no cover - a hang is the failure
        pytest.fail("pytest did not stop on a bad --sim-transcripts")
    output = done.stdout + done.stderr
    assert done.returncode == 4, output  # pytest's usage-error exit code
    assert "--sim-transcripts" in output and "not a folder" in output
    assert "Traceback" not in output


def test_a_context_ttl_past_the_calendar_is_a_user_error() -> None:
    from simulator.context_store import ContextScope, ContextStore

    store = ContextStore(VirtualClock())
    with pytest.raises(UserError, match="too long for the virtual calendar"):
        store.register("cart", 10**20)
    store.register("cart")
    with pytest.raises(UserError, match="after the end of the virtual calendar"):
        store.set("cart", ContextScope.CONVERSATION, "c1", "k", "v", 300_000_000_000)


def test_run_refuses_a_fifo_named_like_a_feature(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "pipe.feature")
    (tmp_path / "loop.feature").symlink_to(tmp_path / "loop.feature")
    assert main(["run", "pipe.feature"]) == 2
    assert "named pipe (FIFO)" in capsys.readouterr().err
    assert main(["run", "loop.feature"]) == 2
    assert "symbolic link loop" in capsys.readouterr().err


def test_schema_output_refuses_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "-o", str(tmp_path)]) == 2
    assert "is a folder, not a file" in capsys.readouterr().err


def test_json_tenants_keep_json_numbers(tmp_path: Path) -> None:
    """YAML 1.1 reads 1e3 as text; a JSON tenant means the number 1000."""
    path = tmp_path / "t.json"
    path.write_text('{"platform": {"message_delivery_ms": 1e3}}', encoding="utf-8")
    assert load_tenant(path).tenant.platform.message_delivery_ms == 1000


def test_a_path_with_a_nul_character_is_one_error() -> None:
    with pytest.raises(FixtureError, match="NUL character"):
        Simulator().load("a\x00b.yaml")
    with pytest.raises(OutputPathError, match="NUL character"):
        check_output_path("out\x00.html", what="--sim-report")
