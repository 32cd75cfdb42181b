"""The deployment files, checked statically (no docker daemon or registry is needed): the Dockerfile,
.dockerignore, compose.yaml, the example systemd unit, and the Makefile's clean, sync, invite and health."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "compose.yaml"
UNIT = ROOT / "docs" / "deploy" / "article-qa-bot.service"
DATA = "/data"
ROOT_USERS = {"root", "0"}


# --- Dockerfile -------------------------------------------------------------------------------------

def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: continuation lines joined, comments and blank lines skipped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        word, _, args = line.partition(" ")
        out.append((word.upper(), args.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return out


def exec_form(args: str) -> list[str] | None:
    """The JSON (exec) form of CMD/ENTRYPOINT/HEALTHCHECK CMD, or None for the shell form."""
    return json.loads(args) if args.startswith("[") else None


def env_values(instructions: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for word, args in instructions:
        if word != "ENV":
            continue
        tokens = shlex.split(args)
        if tokens and "=" not in tokens[0]:  # the legacy `ENV KEY value` form
            env[tokens[0]] = " ".join(tokens[1:])
            continue
        for token in tokens:
            key, sep, value = token.partition("=")
            assert sep, f"ENV {args!r}: {token!r} is not KEY=value"
            env[key] = value
    return env


@pytest.fixture(scope="module")
def docker() -> list[tuple[str, str]]:
    return dockerfile_instructions(DOCKERFILE.read_text(encoding="utf-8"))


def test_dockerfile_instruction_parser_reads_continuations_and_env_forms():
    parsed = dockerfile_instructions("# c\nFROM x\nENV A=1 \\\n    B=\"two words\"\nENV C 3\nrun echo hi\n")
    assert parsed == [("FROM", "x"), ("ENV", 'A=1  B="two words"'), ("ENV", "C 3"), ("RUN", "echo hi")]
    assert env_values(parsed) == {"A": "1", "B": "two words", "C": "3"}


def test_dockerfile_base_is_python_311_slim(docker):
    bases = [[t for t in args.split() if not t.startswith("--")][0] for w, args in docker if w == "FROM"]
    assert bases, "no FROM"
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", bases[-1]), bases[-1]


def test_dockerfile_runs_as_a_user_that_is_not_root(docker):
    words = [w for w, _ in docker]
    starts = [i for i, w in enumerate(words) if w in ("CMD", "ENTRYPOINT")]
    assert starts, "no CMD or ENTRYPOINT"
    users = [args for w, args in docker[: starts[0]] if w == "USER"]
    assert users, "no USER before CMD/ENTRYPOINT: the bot would run as root"
    assert users[-1].split(":")[0] not in ROOT_USERS, users[-1]
    later = [args for w, args in docker[starts[0]:] if w == "USER"]
    assert all(u.split(":")[0] not in ROOT_USERS for u in later), later


def test_dockerfile_installs_the_project_and_the_model_by_hash_without_test_extras(docker):
    pip = [args for w, args in docker if w == "RUN" and "pip install" in args]
    model = [cmd for args in pip for cmd in args.split("&&") if "requirements-model.txt" in cmd]
    assert model, "requirements-model.txt is not installed"
    for cmd in model:
        tokens = shlex.split(cmd)
        assert "--require-hashes" in tokens and "--no-deps" in tokens, cmd
    installs = [shlex.split(cmd) for args in pip for cmd in args.split("&&") if "pip install" in cmd]
    project = [t for t in installs if {".", ".[postgres]"} & set(t[t.index("install"):])]
    assert project, "the project itself (pip install . or .[postgres]) is not installed"
    for args in pip:
        assert "[test]" not in args and not re.search(r"(^|\s)(-e|--editable)\s", args), args


def test_dockerfile_keeps_the_index_and_database_in_the_data_volume(docker):
    volumes: list[str] = []
    for w, args in docker:
        if w == "VOLUME":
            volumes += exec_form(args) or args.split()
    assert DATA in volumes, volumes
    env = env_values(docker)
    for name in ("INDEX_DIR", "DATABASE_PATH", "HEALTH_FILE"):
        assert env.get(name, "").startswith(DATA + "/"), f"{name}={env.get(name)!r} is not in {DATA}"


def test_dockerfile_healthcheck_runs_bot_health_and_entrypoint_is_python_m_bot(docker):
    checks = [args for w, args in docker if w == "HEALTHCHECK"]
    assert checks, "no HEALTHCHECK"
    options, sep, cmd = checks[-1].partition("CMD ")
    assert sep and "NONE" not in options.upper(), checks[-1]
    argv = exec_form(cmd.strip()) or shlex.split(cmd)
    assert argv[-4:] == ["python", "-m", "bot", "health"], argv
    entry = [exec_form(args) for w, args in docker if w == "ENTRYPOINT"]
    # exec form: python is the process that gets SIGTERM, not a shell in front of it
    assert entry and entry[-1] == ["python", "-m", "bot"], entry


# --- .dockerignore ----------------------------------------------------------------------------------

def ignore_rules(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    """Docker's .dockerignore patterns as (is_exception, regex); `**/` is any number of folders."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        rx, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                rx, i = rx + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                rx, i = rx + ".*", i + 2
            elif pattern[i] == "*":
                rx, i = rx + "[^/]*", i + 1
            elif pattern[i] == "?":
                rx, i = rx + "[^/]", i + 1
            else:
                rx, i = rx + re.escape(pattern[i]), i + 1
        rules.append((negate, re.compile(rx + r"\Z")))
    return rules


def ignored(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Whether the build context leaves `path` out: the last pattern matching it or a folder above it wins."""
    parts = path.split("/")
    candidates = ["/".join(parts[:k]) for k in range(1, len(parts) + 1)]
    result = False
    for negate, rx in rules:
        if any(rx.match(c) for c in candidates):
            result = not negate
    return result


@pytest.fixture(scope="module")
def rules():
    return ignore_rules(DOCKERIGNORE.read_text(encoding="utf-8"))


def test_ignore_matcher_follows_docker_semantics():
    r = ignore_rules("*\n!src/\n**/*.pyc\n")
    assert ignored("a.txt", r) and ignored("deep/a/b", r)
    assert not ignored("src/m.py", r) and ignored("src/x/m.pyc", r)


@pytest.mark.parametrize("path", [".env", ".venv/bin/python", ".index/sources.json", ".index/audit.jsonl",
                                  ".index-cli/manifest.json", "data/bot.sqlite3", ".git/HEAD",
                                  "bot/__pycache__/client.cpython-311.pyc", ".pytest_cache/README.md",
                                  ".ruff_cache/CACHEDIR.TAG", "article_qa_bot.egg-info/PKG-INFO"])
def test_dockerignore_keeps_secrets_state_and_caches_out_of_the_image(rules, path):
    assert ignored(path, rules), f"{path} would be sent to the docker build"


def test_dockerignore_lets_in_everything_the_dockerfile_copies(rules, docker):
    copied = []
    for w, args in docker:
        if w in ("COPY", "ADD") and "--from" not in args:
            tokens = exec_form(args) or [t for t in args.split() if not t.startswith("--")]
            copied += tokens[:-1]
    assert {"pyproject.toml", "requirements-model.txt", "bot", "index", "articles"} <= {c.rstrip("/") for c in copied}
    for source in copied:
        path = ROOT / source
        assert path.exists(), f"COPY {source}: not in the project"
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        assert files, source
        for f in files:
            rel = f.relative_to(ROOT).as_posix()
            assert not ignored(rel, rules), f"{rel} is copied by the Dockerfile but left out by .dockerignore"
    assert not ignored("index/data/weights.json", rules)


# --- compose.yaml -----------------------------------------------------------------------------------

def mini_yaml(text: str):
    """Block mappings, block lists and plain or quoted scalars (as strings): the YAML compose.yaml uses.
    Anything else (tabs, flow collections, a line that is neither `key:` nor `- item`) is an error."""
    lines = []
    for raw in text.splitlines():
        assert "\t" not in raw, f"tab in {raw!r}"
        body = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if body.strip():
            lines.append((len(body) - len(body.lstrip()), body.strip()))

    def scalar(s: str) -> str:
        s = s.strip()
        assert not s.startswith(("{", "[", "&", "*", "|", ">")), f"unsupported YAML: {s!r}"
        return s[1:-1] if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"" else s

    def block(i: int, indent: int):
        if lines[i][1].startswith("- "):
            items = []
            while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
                items.append(scalar(lines[i][1][2:]))
                i += 1
            return items, i
        mapping: dict = {}
        while i < len(lines) and lines[i][0] == indent:
            key, sep, rest = lines[i][1].partition(":")
            assert sep and (not rest or rest[0] == " ") and not key.startswith("- "), f"not `key: value`: {lines[i][1]!r}"
            assert key not in mapping, f"duplicate key {key!r}"
            i += 1
            if rest.strip():
                mapping[key] = scalar(rest)
            elif i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and lines[i][1].startswith("- "))):
                mapping[key], i = block(i, lines[i][0])
            else:
                mapping[key] = None
        assert i == len(lines) or lines[i][0] < indent, f"bad indentation at {lines[i][1]!r}"
        return mapping, i

    value, end = block(0, lines[0][0])
    assert end == len(lines)
    return value


def load_compose() -> dict:
    text = COMPOSE.read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:
        return mini_yaml(text)
    return yaml.safe_load(text)


def test_mini_yaml_reads_mappings_and_lists_and_refuses_other_shapes():
    assert mini_yaml("a:\n  b: 'x'  # c\n  l:\n    - y:/z\n  e:\nk: v\n") == {
        "a": {"b": "x", "l": ["y:/z"], "e": None}, "k": "v"}
    with pytest.raises(AssertionError):
        mini_yaml("a:\n  b: 1\n   c: 2\n")
    with pytest.raises(AssertionError):
        mini_yaml("a: 1\njust words\n")


def seconds(duration: str) -> float:
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    if str(duration).isdecimal():  # systemd: a bare number is seconds
        return float(duration)
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", str(duration))
    assert parts and "".join(n + u for n, u in parts) == str(duration), duration
    return sum(float(n) * units[u] for n, u in parts)


def test_compose_runs_one_service_with_env_file_the_data_volume_and_a_clean_stop(docker):
    compose = load_compose()
    services = compose["services"]
    assert len(services) == 1, list(services)
    (service,) = services.values()
    env_file = service["env_file"]
    assert (env_file if isinstance(env_file, list) else [env_file]) == [".env"]
    mounts = [str(v).split(":") for v in service["volumes"]]
    data_mounts = [m for m in mounts if len(m) >= 2 and m[1] == DATA]
    assert data_mounts, f"nothing is mounted at {DATA}: {mounts}"
    volume = data_mounts[0][0]
    assert volume in (compose.get("volumes") or {}), f"the named volume {volume!r} is not declared"
    environment = service.get("environment") or {}
    image_env = env_values(docker)
    for name in ("INDEX_DIR", "DATABASE_PATH"):  # set again, so that a .env cannot move them out of the volume
        assert environment.get(name) == image_env[name], name
    assert service["restart"] == "unless-stopped"
    assert service["stop_signal"] == "SIGTERM"
    assert seconds(service["stop_grace_period"]) >= 10


# --- systemd unit -----------------------------------------------------------------------------------

def unit_settings(text: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, sep, value = line.partition("=")
        assert sep and current is not None, line
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_systemd_unit_runs_the_venv_bot_restarts_stops_cleanly_and_is_hardened():
    unit = unit_settings(UNIT.read_text(encoding="utf-8"))
    service = {k: v[-1] for k, v in unit["Service"].items()}
    assert service["User"] not in ROOT_USERS
    workdir = service["WorkingDirectory"]
    assert service["ExecStart"] == f"{workdir}/.venv/bin/python -m bot run"  # run: a missing token is an error, not a silent chat
    assert service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"
    assert seconds(service["TimeoutStopSec"]) >= 10
    assert service["NoNewPrivileges"] == "true" and service["PrivateTmp"] == "true"
    assert service["ProtectSystem"] == "strict"
    writable = " ".join(unit["Service"]["ReadWritePaths"]).split()
    env = dict(e.split("=", 1) for value in unit["Service"].get("Environment", []) for e in shlex.split(value))
    for name in ("INDEX_DIR", "DATABASE_PATH", "HEALTH_FILE"):  # else ProtectSystem=strict makes them read-only
        path = env[name]
        assert any(path == w or path.startswith(w.rstrip("/") + "/") for w in writable), f"{name}={path} not writable"
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


# --- Makefile ---------------------------------------------------------------------------------------

PROTECTED = [".index/sources.json", ".index/audit.jsonl", ".index/pages/x.json", "data", "data/bot.sqlite3"]


def make_n(*args: str, env: dict[str, str] | None = None) -> list[str]:
    result = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.strip()]


def deletes(token: str, path: str) -> bool:
    """Whether a path argument `token` of a command names `path` or a folder above it (globs included)."""
    norm = os.path.normpath(token)
    return norm == "." or fnmatch(path, norm) or path.startswith(norm.rstrip("/") + "/") or any(
        fnmatch(parent, norm) for parent in (path.rsplit("/", k)[0] for k in range(1, path.count("/") + 1)))


def test_deletes_sees_whole_folders_and_globs():
    assert deletes(".index", ".index/sources.json") and deletes(".ind*", ".index/audit.jsonl")
    assert deletes("data/", "data/bot.sqlite3") and deletes("*", "data")
    assert not deletes(".index/corpus-*.pkl", ".index/sources.json") and not deletes(".index-cli", ".index/audit.jsonl")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("env", [None, {"INDEX_DIR": "data/index", "DATABASE_PATH": "data/bot.sqlite3"}])
def test_make_clean_never_deletes_moderators_state_or_data(env):
    commands = make_n("clean", env=env)
    assert any(".venv" in c for c in commands) and any("manifest.json" in c for c in commands), commands
    for command in commands:
        for token in shlex.split(command):
            if token.startswith("-") or token in ("{}", "+", ";"):
                continue
            for path in PROTECTED:
                assert not deletes(token, path), f"`{command}` would delete {path}"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_clean_run_in_a_copy_keeps_sources_audit_pages_and_data(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    keep = [".index/sources.json", ".index/audit.jsonl", ".index/pages/abc.json", "data/bot.sqlite3", "bot/client.py"]
    gone = [".index/manifest.json", ".index/corpus-0123456789abcdef.pkl", ".index/.corpus-x.tmp",
            ".index/segments/0123456789abcdef0123456789abcdef.pkl", ".index/segments/.0123.x.tmp",
            ".index-cli/manifest.json", ".venv/.installed", ".pytest_cache/x", "bot/__pycache__/client.pyc"]
    for rel in keep + gone:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    for folder in ("index", "tests", "scripts"):
        (tmp_path / folder).mkdir(exist_ok=True)
    result = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [rel for rel in keep if not (tmp_path / rel).exists()] == []
    assert [rel for rel in gone if (tmp_path / rel).exists()] == []


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_sync_invite_health_run_the_bot_subcommands():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M)
    assert phony, "no .PHONY"
    for target in ("sync", "invite", "health", "clean", "clean-index"):
        assert target in phony.group(1).split(), target
    for target in ("sync", "invite", "health"):
        assert re.search(rf"^{target}:\s*\$\(STAMP\)\s*$", makefile, re.M), f"{target} does not depend on $(STAMP)"
    assert any(c.endswith("-m bot sync") for c in make_n("sync")), make_n("sync")
    assert any(c.endswith("-m bot sync --guild 1234") for c in make_n("sync", "GUILD=1234")), make_n("sync", "GUILD=1234")
    assert any(c.endswith("-m bot invite") for c in make_n("invite"))
    assert any(c.endswith("-m bot health") for c in make_n("health"))
