"""Property-based fuzzing of everything a user writes (issue 11, section 4).

Three generators feed the simulator inputs that are valid, nearly valid or garbage:

* tenants built by walking the tenant JSON Schema (``simulator schema``) with hypothesis
  strategies, then optionally mutated (keys deleted or added, types changed, text truncated);
* the eleven real Conversation Builder exports of ``../shared/cb-exports/`` (skipped when the
  folder is missing), mutated the same way;
* random feature files mixing the step library's phrasings with Gherkin structure and garbage.

The property is the same for all three: the input is accepted, or exactly one
``simulator.errors.UserError`` comes out whose message names the file (and the line where one
is known) and shows no traceback; never any other exception, and never a hang (each example
runs under a generous deadline). Runs are deterministic (``derandomize=True``, no example
database) so a failure in CI fails the same way on a laptop.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pytest_bdd.parser import FeatureParser

from simulator.cli.catalogue import tenant_schema
from simulator.errors import ExpectationFailed, PlatformError, UserError
from simulator.pytest_plugin.plugin import (
    feature_error_message,
    pytest_bdd_step_func_lookup_error,
)
from simulator.simulator import Simulator
from simulator.steps import load_library
from simulator.steps.registry import REGISTRY, call

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT.parent / "shared" / "cb-exports"
BANK = ROOT / "tests" / "bad_inputs" / "features" / "_support" / "bank.yaml"

#: Python or pytest traceback text, which must never reach the user.
TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|^\s*File \"[^\"]+\", line \d+", re.MULTILINE
)

#: A file name with one of the extensions the user writes.
FILE_NAME = re.compile(r"[\w.\-]+\.(?:ya?ml|json|feature)\b")

FUZZ = settings(
    derandomize=True,
    database=None,
    # Generous on purpose: a slow CI machine must not turn into a flaky failure, yet a hang
    # (an alias bomb, a catastrophic regular expression, an endless loop) is still caught.
    deadline=timedelta(seconds=20),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
    print_blob=True,
)

_counter = itertools.count()

#: ``SIM_FUZZ_SCALE=50 pytest tests/fuzz`` searches longer (and ``SIM_FUZZ_SEED`` elsewhere);
#: CI runs the default, a fixed set of examples that takes a few seconds.
SCALE = int(os.environ.get("SIM_FUZZ_SCALE", "1"))
if os.environ.get("SIM_FUZZ_SEED"):
    FUZZ = settings(FUZZ, derandomize=False)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(BANK, folder / "bank.yaml")
    return folder


def _fresh(folder: Path, suffix: str) -> Path:
    """A new file name per example: parsers and linecache cache by name."""
    return folder / f"fuzz_{next(_counter)}{suffix}"


def check_user_error(exc: UserError, names: Path | None) -> None:
    """The one allowed failure: a UserError that says where and shows no traceback."""
    message = str(exc)
    assert message.strip(), f"{type(exc).__name__} with an empty message"
    assert not TRACEBACK.search(message), f"traceback text in the message:\n{message}"
    if names is not None:
        assert names.name in message or FILE_NAME.search(message), (
            f"the message names no file ({names.name} expected):\n{message}"
        )


def expect_accepted_or_user_error(action: Callable[[], object], names: Path | None) -> bool:
    """Run ``action``; True if it succeeded, False after checking its UserError. Any other
    exception propagates and fails the property."""
    try:
        action()
    except UserError as exc:
        check_user_error(exc, names)
        event(f"rejected: {type(exc).__name__}")
        return False
    event("accepted")
    return True


# -- (a) tenants from the JSON Schema ----------------------------------------------------------
SCHEMA = tenant_schema()
DEFS: dict[str, Any] = SCHEMA.get("$defs", {})
#: Names shared by ids and references, so generated tenants sometimes hang together.
NAMES = ["1", "2", "100", "Echo", "Front", "Main", "Alice", "hi", "Fallback", "next", "end"]
MAX_DEPTH = 7

_names = st.sampled_from(NAMES)
_short_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=6)
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 300), _names, _short_text)


def from_schema(node: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """A strategy for instances of one JSON Schema node, valid most of the time."""
    if depth > MAX_DEPTH:
        return _scalars
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        return from_schema(DEFS[name], depth + 1)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(list(node["enum"]))
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            return st.one_of([from_schema(n, depth + 1) for n in node[key]])
    kind = node.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**node, "type": k}, depth) for k in kind])
    if kind == "object":
        props: dict[str, Any] = node.get("properties", {})
        required = set(node.get("required", []))
        fixed = {k: from_schema(v, depth + 1) for k, v in props.items() if k in required}
        optional = (
            {k: from_schema(v, depth + 1) for k, v in props.items() if k not in required}
            if depth < MAX_DEPTH - 2
            else {}
        )
        base = st.fixed_dictionaries(fixed, optional=optional)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and not props:
            return st.dictionaries(_names, from_schema(extra, depth + 1), max_size=2)
        return base
    if kind == "array":
        items = node.get("items", {})
        return st.lists(from_schema(items, depth + 1), max_size=3 if depth < 5 else 1)
    if kind == "string":
        return st.one_of(_names, _short_text, st.sampled_from(["(hi|hello)*", "*", "a{2", ""]))
    if kind == "integer":
        low = int(node.get("minimum", node.get("exclusiveMinimum", -5)))
        high = int(node.get("maximum", node.get("exclusiveMaximum", low + 5000)))
        return st.integers(min(low, high), max(low, high))
    if kind == "number":
        low = float(node.get("minimum", -1.0))
        high = float(node.get("maximum", low + 100.0))
        return st.floats(min(low, high), max(low, high), allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return _scalars


def _containers(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths of every dict and list inside ``value`` (the root is ``()``)."""
    if isinstance(value, (dict, list)):
        yield path
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            yield from _containers(child, (*path, key))


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


_replacements = st.sampled_from([None, 0, -1, 10**30, "", "x", [], {}, True, 1.5, ["x"], {"k": 1}])


@st.composite
def mutated(draw: st.DrawFn, value: Any, max_mutations: int = 3) -> Any:
    """``value`` with a few random edits: delete a key, change a value's type, add an unknown
    key, swap two values, or empty a list."""
    value = copy.deepcopy(value)
    for _ in range(draw(st.integers(0, max_mutations))):
        paths = list(_containers(value))
        if not paths:
            break
        target = _at(value, draw(st.sampled_from(paths)))
        if not target:
            continue
        keys = list(target.keys()) if isinstance(target, dict) else list(range(len(target)))
        key = draw(st.sampled_from(keys))
        op = draw(st.sampled_from(["delete", "retype", "unknown", "swap", "empty"]))
        if op == "delete":
            del target[key]
        elif op == "retype":
            target[key] = copy.deepcopy(draw(_replacements))  # never share one object
        elif op == "unknown" and isinstance(target, dict):
            target[draw(st.sampled_from(["colour", "nmae", "Dialogs", "__proto__"]))] = 1
        elif op == "swap" and len(keys) > 1:
            other = draw(st.sampled_from(keys))
            target[key], target[other] = target[other], target[key]
        elif op == "empty":
            target[key] = type(target[key])() if isinstance(target[key], (dict, list)) else ""
    return value


@st.composite
def tenant_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(suffix, text) of a tenant file: schema-built, maybe mutated, as YAML or JSON, maybe
    cut short."""
    data = draw(from_schema(SCHEMA))
    if draw(st.booleans()):
        data = draw(mutated(data))
    suffix = draw(st.sampled_from([".yaml", ".json"]))
    text = (
        json.dumps(data, ensure_ascii=False)
        if suffix == ".json"
        else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    )
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return suffix, text


def _converse(sim: Simulator, messages: list[str]) -> None:
    """A short conversation with the tenant's first bot: the runtime must cope as well."""
    bots = sorted(sim.platform.world.bots)
    if not bots:
        return
    sim.open_conversation(bot=bots[0])
    for text in messages:
        sim.say(text)
    sim.advance(timedelta(minutes=4))


@settings(FUZZ, max_examples=120 * SCALE)
@given(
    tenant=tenant_texts(),
    messages=st.lists(st.sampled_from(["hi", "agent", "", "yes", "1"]), max_size=2),
)
def test_schema_built_tenants_load_or_fail_with_one_user_error(
    workdir: Path, tenant: tuple[str, str], messages: list[str]
) -> None:
    suffix, text = tenant
    path = _fresh(workdir, suffix)
    path.write_text(text, encoding="utf-8")
    sim = Simulator(seed=1, base_dir=workdir)
    if not expect_accepted_or_user_error(lambda: sim.load(path), path):
        return
    from simulator.lint import lint_world

    lint_world(sim.platform.world)
    try:
        _converse(sim, messages)
    except (UserError, PlatformError) as exc:  # a named mistake or a platform failure
        if isinstance(exc, UserError):
            check_user_error(exc, None)


# -- (b) the real exports, mutated ---------------------------------------------------------
def _exports() -> list[Path]:
    return sorted(EXPORTS.glob("*.json")) if EXPORTS.is_dir() else []


@pytest.fixture(scope="module")
def real_exports() -> list[tuple[str, Any]]:
    found = _exports()
    if not found:
        pytest.skip(f"no exports in {EXPORTS} (the compatibility corpus is outside the project)")
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in found]


@settings(FUZZ, max_examples=80 * SCALE)
@given(data=st.data())
def test_mutated_real_exports_load_or_fail_with_one_user_error(
    workdir: Path, real_exports: list[tuple[str, Any]], data: st.DataObject
) -> None:
    _name, original = data.draw(st.sampled_from(real_exports), label="export")
    broken = data.draw(mutated(original, max_mutations=4), label="mutated")
    text = json.dumps(broken, ensure_ascii=False)
    if data.draw(st.integers(0, 9), label="truncate?") == 0:
        text = text[: data.draw(st.integers(0, len(text)), label="cut at")]
    export = _fresh(workdir, ".json")
    export.write_text(text, encoding="utf-8")
    tenant = _fresh(workdir, ".yaml")
    tenant.write_text(f"bots:\n  - export: {json.dumps(export.name)}\n", encoding="utf-8")
    sim = Simulator(seed=1, base_dir=workdir)
    if expect_accepted_or_user_error(lambda: sim.load(tenant), export):
        with contextlib.suppress(UserError, PlatformError):  # named outcomes, not crashes
            _converse(sim, ["hi"])


# -- (c) random feature files ---------------------------------------------------------------
load_library()
_EXAMPLES = sorted({s.example for s in REGISTRY.catalogue()})
_KEYWORDS = ["Given", "When", "Then", "And", "But", "*"]
_STRUCTURE = [
    "Feature: Fuzz",
    "Feature:",
    "  Background:",
    "  Scenario: one",
    "  Scenario: one",
    "  Scenario: two",
    "  Scenario Outline: outline <x>",
    "  Examples:",
    "    | x |",
    "    | 1 |",
    "  Rule: a rule",
    "  @t3 @all-orders",
    "@smoke",
    "# a comment",
    "# language: de",
    "# language: xx",
    '    """',
    "    ```",
    "    | dialog | patterns | replies |",
    "    | Hello | hi* | Hi! |",
    "    | a | b",
    "",
    '  Given the tenant "bank.yaml"',
    '  When the consumer opens a conversation with bot "Routing"',
    '  And the consumer says "hi"',
]
_garbage = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\r\x0b\x0c\x1c\x1d\x1e\x85"),
    max_size=25,
)
_param = st.one_of(
    _garbage.map(lambda t: t.replace('"', "")),
    st.sampled_from(["", "Routing", "Savings", "Alice", "100", "3 minutes", "00:00:01", "\\"]),
)


@st.composite
def step_lines(draw: st.DrawFn) -> str:
    """A library step (its catalogue example), parameters sometimes replaced by junk, with its
    docstring or table sometimes left out."""
    first, *rest = draw(st.sampled_from(_EXAMPLES)).split("\n")
    body = first.split(" ", 1)[1]  # every example starts with its keyword
    if draw(st.booleans()):
        body = re.sub(r'"[^"]*"', lambda _: '"' + draw(_param) + '"', body)
    lines = [f"    {draw(st.sampled_from(_KEYWORDS))} {body}"]
    if rest and draw(st.integers(0, 3)):
        lines += [f"    {line}" for line in rest]
    return "\n".join(lines)


@st.composite
def feature_texts(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from(["Feature: Fuzz\n", "Feature: Fuzz\n  Background:\n", ""]))
    if header and draw(st.booleans()):
        header += '    Given the tenant "bank.yaml"\n  Scenario: start\n'
    line = st.one_of(
        step_lines(), step_lines(), st.sampled_from(_STRUCTURE), _garbage.map(lambda t: "  " + t)
    )
    lines = draw(st.lists(line, max_size=14))
    bom = "\ufeff" if draw(st.integers(0, 9)) == 0 else ""
    return bom + header + "\n".join(lines) + "\n"


def _scenarios(path: Path) -> list[Any]:
    """The scenarios pytest-bdd would collect (outlines rendered), as the plugin parses them."""
    feature = FeatureParser(str(path.parent), path.name).parse()
    scenarios: list[Any] = []
    for template in feature.scenarios.values():
        if template.templated:
            for examples in template.examples:
                scenarios.extend(template.render(ctx) for ctx in examples.as_contexts())
        else:
            scenarios.append(template.render({}))
    return scenarios


def run_feature(path: Path) -> None:
    """Collect and run a feature file the way the plugin does, without a pytest process.

    Collection errors go through the plugin's own translation; an undefined step through its
    own hook; a failing step gets the plugin's ``file:line`` heading. Then steps that do not
    hold (``ExpectationFailed``) are a test outcome, not a bad input."""
    try:
        scenarios = _scenarios(path)
    except Exception as exc:
        message = feature_error_message(exc)
        if message is None:
            raise
        raise UserError(message) from None
    for scenario in scenarios:
        sim = Simulator(seed=1, base_dir=path.parent)
        sim.search_dirs = [path.parent]
        for step in scenario.steps:
            match = REGISTRY.match(step.name)
            if match is None:
                pytest_bdd_step_func_lookup_error(
                    request=None,  # type: ignore[arg-type]
                    feature=scenario.feature,
                    scenario=scenario,
                    step=step,
                    exception=LookupError(step.name),
                )
                raise AssertionError("the plugin did not report an undefined step")
            table = step.datatable.raw() if step.datatable is not None else None
            try:
                call(match, sim, table, step.docstring)
            except ExpectationFailed:
                break
            except UserError as exc:
                raise UserError(f"{path.name}:{step.line_number}: {exc}") from None


@settings(FUZZ, max_examples=150 * SCALE)
@given(text=feature_texts())
def test_random_feature_files_run_or_fail_with_one_user_error(workdir: Path, text: str) -> None:
    path = _fresh(workdir, ".feature")
    path.write_text(text, encoding="utf-8")
    expect_accepted_or_user_error(lambda: run_feature(path), path)
