"""Virtual time stays inside the scenario; the host keeps real time (issue 11).

pytest's durations, JUnit XML, cucumber JSON and logging timestamps are real; bot JavaScript's
time limit fires while the scenario's clock is frozen; ``simulator chat`` ends on Ctrl-C and
never hangs after "bye"; ``-n`` beyond the CPU cores is capped with a warning.

Subprocess timeouts here are guards against a hang (which would otherwise block the suite
forever), never assertions of speed: each is many times what the run needs.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from child_env import child_env

import simulator.pytest_plugin.plugin as plugin
from simulator.js.engine import DEFAULT_TIMEOUT_MS

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
GUARD_SECONDS = 180

#: A bot whose pre-process code never ends, and one with harmless JavaScript.
RUNAWAY_TENANT = """\
skills:
  - {id: 11, name: Front}
connectors:
  - {bot: Js, skills: [11]}
bots:
  - name: Js
    default_user_friendly_response: "Sorry, the bot is having trouble."
    dialogs:
      - name: Spin
        starter: {patterns: ["spin*"]}
        interactions:
          - {name: forever, text: "after the loop", pre_process: "while (true) {}"}
      - name: Hi
        starter: {patterns: ["hi*"]}
        interactions:
          - name: greet
            text: "hello"
            pre_process: "botContext.setBotVariable('seen', 1, true, false);"
"""

RUNAWAY_FEATURE = """\
Feature: Runaway bot code
  Scenario: A bot whose code never ends still answers
    Given the tenant "runaway.yaml"
    When the consumer opens a conversation with bot "Js"
    And the consumer says "spin"
    Then the bot replies "Sorry, the bot is having trouble."
    And the transcript contains "JavaScript error in preProcessMessage code of \\"forever\\""
    And the transcript contains "ran longer than 2000 ms and was stopped"
"""


# -- pytest's own timings are real ---------------------------------------------------------
@pytest.fixture(scope="module")
def feature_suite_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One run of the bundled feature suite with JUnit XML, cucumber JSON and --durations."""
    if not (ROOT / "tests" / "test_features.py").exists():
        pytest.skip("no feature suite in this checkout")
    out = tmp_path_factory.mktemp("reports")
    junit, cucumber = out / "junit.xml", out / "cucumber.json"
    started = time.time()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/test_features.py",
            "-q",
            "-p",
            "no:cacheprovider",
            "--durations=5",
            f"--junitxml={junit}",
            f"--cucumberjson={cucumber}",
        ],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return {
        "stdout": proc.stdout,
        "junit": junit.read_text(encoding="utf-8"),
        "cucumber": cucumber.read_text(encoding="utf-8"),
        "started": str(started),
        "finished": str(time.time()),
    }


def test_junit_xml_times_are_real(feature_suite_reports: dict[str, str]) -> None:
    root = ET.fromstring(feature_suite_reports["junit"])
    cases = list(root.iter("testcase"))
    assert len(cases) > 20
    times = [float(case.attrib["time"]) for case in cases]
    assert all(0 <= t < 60 for t in times), sorted(times)[:3] + sorted(times)[-3:]
    suite = next(root.iter("testsuite"))
    assert 0 <= float(suite.attrib["time"]) < GUARD_SECONDS
    # The suite's timestamp is the real start, not the virtual 2026-01-05 of the scenarios.
    stamp = datetime.fromisoformat(suite.attrib["timestamp"]).timestamp()
    assert float(feature_suite_reports["started"]) - 60 < stamp
    assert stamp < float(feature_suite_reports["finished"]) + 60


def test_durations_are_real(feature_suite_reports: dict[str, str]) -> None:
    lines = re.findall(
        r"^([0-9.]+)s (?:setup|call|teardown) ", feature_suite_reports["stdout"], re.M
    )
    # pytest hides durations under 5 ms; a real suite still lists a few slower ones.
    assert lines, feature_suite_reports["stdout"][-2000:]
    assert all(float(seconds) < 60 for seconds in lines), lines
    total = re.search(r"passed in ([0-9.]+)s", feature_suite_reports["stdout"])
    assert total is not None and float(total.group(1)) < GUARD_SECONDS


def test_cucumber_json_step_durations_are_real(feature_suite_reports: dict[str, str]) -> None:
    features = json.loads(feature_suite_reports["cucumber"])
    durations = [
        step["result"]["duration"]
        for feature in features
        for element in feature["elements"]
        for step in element["steps"]
        if "duration" in step["result"]
    ]
    assert len(durations) > 100
    # Cucumber JSON durations are nanoseconds.
    assert all(0 <= d < 60 * 10**9 for d in durations), (min(durations), max(durations))


def test_logging_is_real_and_datetime_now_is_virtual_inside_a_step(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", runaway=RUNAWAY_TENANT)
    pytester.makefile(
        ".feature",
        clocks=textwrap.dedent(
            """\
            Feature: Clocks
              Scenario: A step reads both clocks
                Given the tenant "runaway.yaml"
                When the consumer opens a conversation with bot "Js"
                And 2 hours pass
                Then the clocks are recorded
            """
        ),
    )
    pytester.makeconftest(
        textwrap.dedent(
            """\
            import json
            import logging
            from datetime import datetime

            from pytest_bdd import then


            class Keep(logging.Handler):
                records = []

                def emit(self, record):
                    self.records.append(record)


            @then("the clocks are recorded")
            def record(sim):
                logger = logging.getLogger("scenario-code")
                logger.addHandler(Keep())
                logger.warning("inside a step")
                with open("clocks.json", "w") as out:
                    json.dump(
                        {
                            "created": Keep.records[-1].created,
                            "now": datetime.now().isoformat(),
                            "virtual": sim.clock.now().replace(tzinfo=None).isoformat(),
                        },
                        out,
                    )
            """
        )
    )
    pytester.makepyfile(
        test_clocks="from pytest_bdd import scenarios\nscenarios('clocks.feature')\n"
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    recorded = json.loads((pytester.path / "clocks.json").read_text(encoding="utf-8"))
    assert abs(recorded["created"] - time.time()) < 60
    assert recorded["now"] == recorded["virtual"]
    assert recorded["now"].endswith("11:00:00")  # 09:00 virtual start + 2 hours


# -- bot JavaScript's time limit under the frozen clock ------------------------------------
FROZEN_RUNAWAY = """\
import json, time
from datetime import datetime

from simulator.simulator import Simulator
from simulator.timefreeze import frozen_at

real = time.perf_counter
sim = Simulator()
sim.load("runaway.yaml")
sim.open_conversation(bot="Js")
with frozen_at(sim):
    frozen = datetime.now() == sim.clock.now().replace(tzinfo=None)
    started = real()
    sim.say("spin")
    seconds = real() - started
errors = [e.text for e in sim.conversation().transcript.entries if e.kind.name == "ERROR"]
print(json.dumps({"frozen": frozen, "seconds": seconds, "errors": errors,
                  "visible": [t for _, t in sim.visible()]}))
"""


def test_js_time_limit_fires_while_time_is_frozen(tmp_path: Path) -> None:
    """In a child process: a hang must fail this test, not stop the suite."""
    (tmp_path / "runaway.yaml").write_text(RUNAWAY_TENANT, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", FROZEN_RUNAWAY],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["frozen"] is True  # the clock really was frozen while the code ran
    assert result["seconds"] >= DEFAULT_TIMEOUT_MS / 1000  # stopped by the limit, not earlier
    assert result["errors"] == [
        'Js: JavaScript error in preProcessMessage code of "forever": the code ran longer'
        f" than {DEFAULT_TIMEOUT_MS} ms and was stopped"
    ]
    assert result["visible"][0] == "Sorry, the bot is having trouble."


def test_js_time_limit_under_pytest(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", runaway=RUNAWAY_TENANT)
    pytester.makefile(".feature", runaway=RUNAWAY_FEATURE)
    pytester.makepyfile(
        test_runaway="from pytest_bdd import scenarios\nscenarios('runaway.feature')\n"
    )
    result = pytester.runpytest_subprocess(
        "-p", "no:randomly", "-p", "no:cacheprovider", timeout=GUARD_SECONDS
    )
    result.assert_outcomes(passed=1)


def test_js_time_limit_under_simulator_run(tmp_path: Path) -> None:
    (tmp_path / "runaway.yaml").write_text(RUNAWAY_TENANT, encoding="utf-8")
    (tmp_path / "runaway.feature").write_text(RUNAWAY_FEATURE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", "run", "runaway.feature"],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "1 scenario: 1 passed" in proc.stdout


# -- simulator chat: Ctrl-C and exit -------------------------------------------------------
def _start_chat(folder: Path) -> subprocess.Popen[str]:
    (folder / "runaway.yaml").write_text(RUNAWAY_TENANT, encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "simulator", "chat", "runaway.yaml", "--bot", "Js"],
        cwd=folder,
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("while_", ["waiting for input", "running a runaway loop"])
def test_ctrl_c_ends_simulator_chat(tmp_path: Path, while_: str) -> None:
    chat = _start_chat(tmp_path)
    try:
        assert chat.stdout is not None and chat.stdin is not None
        assert chat.stdout.readline().startswith('Chatting with bot "Js"')
        if while_ == "running a runaway loop":
            chat.stdin.write("spin\n")
            chat.stdin.flush()
            # The loop has started once the consumer's line is echoed.
            while "consumer: spin" not in chat.stdout.readline():
                pass
        chat.send_signal(signal.SIGINT)
        out, err = chat.communicate(timeout=GUARD_SECONDS)
    finally:
        if chat.poll() is None:
            chat.kill()
            chat.communicate()
    assert chat.returncode == 130
    assert err.strip() == "interrupted"
    assert "Traceback" not in out + err


def _chat_once(folder: Path) -> tuple[int | None, str]:
    chat = _start_chat(folder)
    try:
        out, err = chat.communicate("hi\n/quit\n", timeout=60)
    except subprocess.TimeoutExpired:
        chat.kill()
        out, err = chat.communicate()
        return None, out + err
    return chat.returncode, out + err


def test_simulator_chat_with_javascript_always_exits(tmp_path: Path) -> None:
    """Before the V8 contexts were closed explicitly, 1 exit in 2 to 8 hung after "bye"."""
    folders = [tmp_path / f"run{i}" for i in range(30)]
    for folder in folders:
        folder.mkdir()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_chat_once, folders))
    hung = [i for i, (code, _) in enumerate(results) if code is None]
    assert not hung, f"{len(hung)} of 30 chat sessions did not exit: {results[hung[0]][1][-500:]}"
    for code, output in results:
        assert code == 0, output
        assert 'Js set seen = "1"' in output and output.rstrip().endswith("bye")


# -- -n beyond the CPU cores -----------------------------------------------------------------
def _tiny_suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_tiny="def test_a():\n    pass\n\n\ndef test_b():\n    pass\n")


def test_workers_beyond_the_cores_are_capped_with_a_warning(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("xdist")
    monkeypatch.setattr(plugin, "_cpu_cores", lambda: 2)
    _tiny_suite(pytester)
    result = pytester.runpytest("-p", "no:randomly", "-n", "64", "-v")
    result.assert_outcomes(passed=2)
    result.stderr.fnmatch_lines(
        [
            "cb-simulator: warning: -n 64 asks for 64 workers but this machine has 2 CPU core(s);"
            " running 2 workers*"
        ]
    )
    result.stdout.fnmatch_lines(["created: 2/2 workers"])


def test_workers_within_the_cores_or_auto_are_left_alone(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("xdist")
    monkeypatch.setattr(plugin, "_cpu_cores", lambda: 2)
    for flag, expected in (("2", 2), ("1", 1), ("auto", "auto")):
        config = pytester.parseconfig("-n", flag)
        plugin.pytest_cmdline_main(config)
        assert config.option.numprocesses == expected
    config = pytester.parseconfig("-n", "3")
    plugin.pytest_cmdline_main(config)
    assert config.option.numprocesses == 2
    err = capsys.readouterr().err
    assert err.count("cb-simulator: warning") == 1
    assert "-n 3 asks for 3 workers but this machine has 2 CPU core(s)" in err
