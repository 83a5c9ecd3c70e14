"""Make the reports CI servers read (JUnit XML, cucumber JSON) say what the terminal says.

* JUnit (``--junitxml``): a failed scenario's ``<testcase>`` gets the conversation transcript in
  ``<system-out>``, next to the short failure message, so a CI test tab shows what happened
  without the job log. pytest writes captured output only with ``junit_logging``; the
  transcript is a report section of the main plugin, so it is added here.
* Cucumber JSON (pytest-bdd's ``--cucumberjson``): pytest-bdd marks every step after a failed
  one as *failed* with an empty message, which CI dashboards count as more failures. Once the
  file is written, those steps are rewritten as *skipped* (what Cucumber itself reports).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

PLUGIN_NAME = "cb-simulator-ci-reports"
#: The report section the main plugin puts a failed scenario's transcript in.
TRANSCRIPT_SECTION = "simulator transcript"


def register_ci_reports(config: pytest.Config) -> None:
    """Register the plugin when a JUnit XML or cucumber JSON file is written: its report hook
    would otherwise run three times per test for nothing."""
    wanted = getattr(config.option, "xmlpath", None) or getattr(
        config.option, "cucumber_json_path", None
    )
    if wanted and config.pluginmanager.get_plugin(PLUGIN_NAME) is None:
        config.pluginmanager.register(CiReportsPlugin(config), PLUGIN_NAME)


def transcript_of(report: pytest.TestReport) -> str | None:
    for name, text in report.sections:
        if name == TRANSCRIPT_SECTION:
            return text
    return None


def skip_steps_after_failure(features: Any) -> int:
    """Rewrite, in a cucumber JSON document, the steps after a scenario's first failed step as
    skipped (without an error message). Returns how many steps were changed."""
    changed = 0
    if not isinstance(features, list):
        return 0
    for feature in features:
        for element in feature.get("elements", []) if isinstance(feature, dict) else []:
            failed = False
            for step in element.get("steps", []) if isinstance(element, dict) else []:
                result = step.get("result") if isinstance(step, dict) else None
                if not isinstance(result, dict):
                    continue
                if failed and result.get("status") == "failed":
                    result["status"] = "skipped"
                    result.pop("error_message", None)
                    changed += 1
                elif result.get("status") == "failed":
                    failed = True
    return changed


def fix_cucumber_json(path: Path) -> int:
    """Post-process the cucumber JSON file at ``path`` in place (see the module docstring)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    changed = skip_steps_after_failure(document)
    if changed:
        path.write_text(json.dumps(document), encoding="utf-8")
    return changed


class CiReportsPlugin:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.is_worker = hasattr(config, "workerinput")

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """After pytest's JUnit writer has opened the failed test case, add the transcript."""
        if self.is_worker or report.when != "call" or not report.failed:
            return
        from _pytest.junitxml import xml_key

        xml = self.config.stash.get(xml_key, None)
        text = transcript_of(report)
        if xml is None or text is None:
            return
        reporter = xml.node_reporter(report)
        reporter._write_content(report, f"{TRANSCRIPT_SECTION}\n{text}\n", "system-out")

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self.is_worker:
            return
        path = getattr(config.option, "cucumber_json_path", None)
        if path:
            fix_cucumber_json(Path(str(path)).expanduser().resolve())


__all__ = [
    "CiReportsPlugin",
    "fix_cucumber_json",
    "register_ci_reports",
    "skip_steps_after_failure",
]
