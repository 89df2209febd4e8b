"""The `kohtaamo` command as a new user meets it: --help, settings that stop
start-up with one line naming them, demo, migrate, create-admin from standard
input, a clean stop on SIGTERM, and logs that never hold a client's address."""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import REPO, free_port

BIN = Path(os.environ.get("KOHTAAMO_BIN", REPO / ".build/debug/kohtaamo"))


def run(*args, data_dir=None, env=None, input=None, timeout=120):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KOHTAAMO_") and k != "DATABASE_URL"}
    full_env.update(env or {})
    cmd = [str(BIN), *args] + (["--data-dir", str(data_dir)] if data_dir else [])
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, input=input, timeout=timeout)


def test_help_explains_every_command():
    r = run("--help")
    assert r.returncode == 0
    for name in ["serve", "migrate", "create-admin", "demo", "rotate-key"]:
        assert name in r.stdout
    serve = run("serve", "--help")
    assert "--data-dir" in serve.stdout and "--public-url" in serve.stdout and "DATABASE_URL" in serve.stdout


def test_bad_setting_stops_with_one_line_naming_it(tmp_path):
    r = run("serve", data_dir=tmp_path, env={"KOHTAAMO_PORT": "eighty"})
    assert r.returncode != 0
    assert "KOHTAAMO_PORT" in r.stderr
    assert len([line for line in r.stderr.splitlines() if line.strip() and not line.startswith("Usage")]) <= 2
    r = run("migrate", env={"DATABASE_URL": "mysql://nope"})
    assert r.returncode != 0 and "DATABASE_URL" in r.stderr
    r = run("serve", "--port", "99999", data_dir=tmp_path)
    assert r.returncode != 0 and "--port" in r.stderr


def test_unreachable_postgres_is_one_clear_line(tmp_path):
    port = free_port()  # nobody listens there
    # The data directory is given, so the master key rule lets the start reach the database.
    r = run("migrate", data_dir=tmp_path, env={"DATABASE_URL": f"postgres://kohtaamo@127.0.0.1:{port}/x"}, timeout=60)
    assert r.returncode != 0
    assert "cannot open the database" in r.stderr


def test_demo_migrate_and_create_admin(tmp_path):
    assert run("migrate", data_dir=tmp_path).returncode == 0
    assert run("migrate", data_dir=tmp_path).returncode == 0  # twice is harmless
    first = run("demo", "--password", "demo-pass-123", "--workers", "4", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "worker4@demo.invalid" in first.stdout
    again = run("demo", "--password", "demo-pass-123", data_dir=tmp_path)
    assert again.returncode == 1
    assert len(again.stdout.strip().splitlines()) == 1 and "already" in again.stdout
    admin = run("create-admin", "--email", "Admin@Example.fi", data_dir=tmp_path, input="a long enough password\n")
    assert admin.returncode == 0, admin.stderr
    assert "admin@example.fi" in admin.stdout
    short = run("create-admin", "--email", "other@example.fi", data_dir=tmp_path, input="short\n")
    assert short.returncode != 0 and "10 characters" in short.stderr
    assert (tmp_path / "kohtaamo.sqlite").exists()


def test_rotate_key_reports_and_the_server_starts_with_the_new_key(tmp_path):
    assert run("demo", "--password", "demo-pass-123", "--workers", "2", data_dir=tmp_path).returncode == 0
    old = (tmp_path / "master.key").read_text()
    r = run("rotate-key", data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "No message was rewritten" in r.stdout and "left under an older key: 0" in r.stdout
    assert (tmp_path / "master.key").read_text() != old
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("master.key.old-")]
    assert len(kept) == 1 and kept[0].read_text() == old
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600" and oct((tmp_path / "master.key").stat().st_mode & 0o777) == "0o600"
    # Everything is under the new key: the old one may go, and the data still opens.
    kept[0].unlink()
    assert run("migrate", data_dir=tmp_path).returncode == 0


def error_lines(r):
    """What a refused start says, without argument-parser's usage hints."""
    return [line for line in r.stderr.splitlines() if line.strip() and not line.startswith(("Usage", "  See "))]


def test_bad_master_keys_stop_start_up_with_one_clear_line(tmp_path):
    assert run("demo", "--password", "demo-pass-123", data_dir=tmp_path).returncode == 0
    key = tmp_path / "master.key"
    written = key.read_text()
    # A KOHTAAMO_MASTER_KEY_FILE that is not there.
    r = run("migrate", data_dir=tmp_path, env={"KOHTAAMO_MASTER_KEY_FILE": str(tmp_path / "nope.key")})
    lines = error_lines(r)
    assert r.returncode != 0 and len(lines) == 1 and "KOHTAAMO_MASTER_KEY_FILE" in lines[0] and "nope.key" in lines[0], r.stderr
    # A garbled key file.
    key.write_text("not a key\n")
    r = run("serve", "--port", str(free_port()), data_dir=tmp_path, timeout=60)
    assert r.returncode != 0 and len(error_lines(r)) == 1 and "base64 32-byte key" in r.stderr, r.stderr
    # A valid key, but not the one the data was written with (every sealed table is checked).
    other = tmp_path / "other.key"
    other.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    for command in (["serve", "--port", str(free_port())], ["migrate"], ["create-admin", "--email", "x@example.fi"]):
        r = run(*command, data_dir=tmp_path, env={"KOHTAAMO_MASTER_KEY_FILE": str(other)}, input="a long enough password\n", timeout=60)
        assert r.returncode != 0 and len(error_lines(r)) == 1 and "does not match" in r.stderr, (command, r.stderr)
    # A deleted key is not silently replaced by a new one that opens nothing.
    key.unlink()
    r = run("migrate", data_dir=tmp_path)
    assert r.returncode != 0 and len(error_lines(r)) == 1 and "is missing" in r.stderr, r.stderr
    assert not key.exists()
    key.write_text(written)
    assert run("migrate", data_dir=tmp_path).returncode == 0


def test_postgres_without_a_key_file_stops_before_connecting(tmp_path):
    # Nobody listens on the port: the key rule is checked before the database is opened.
    url = f"postgres://kohtaamo@127.0.0.1:{free_port()}/x"
    r = subprocess.run([str(BIN), "migrate", "--database-url", url], capture_output=True, text=True, cwd=tmp_path, timeout=60,
                       env={k: v for k, v in os.environ.items() if not k.startswith("KOHTAAMO_") and k != "DATABASE_URL"})
    assert r.returncode != 0 and len(error_lines(r)) == 1, r.stderr
    assert "KOHTAAMO_MASTER_KEY_FILE" in r.stderr and "cannot open the database" not in r.stderr
    assert not (tmp_path / "master.key").exists()
    # With the data directory given, the key there is made (or used): the start goes on to the database.
    r = run("migrate", "--database-url", url, data_dir=tmp_path, timeout=60)
    assert r.returncode != 0 and "cannot open the database" in r.stderr


def test_every_command_that_makes_the_master_key_says_so(tmp_path):
    for command, extra in [(["migrate"], {}), (["demo", "--password", "demo-pass-123"], {}),
                           (["create-admin", "--email", "a@example.fi"], {"input": "a long enough password\n"})]:
        d = tmp_path / command[0]
        d.mkdir()
        r = run(*command, data_dir=d, **extra)
        assert r.returncode == 0, r.stderr
        made = [line for line in r.stdout.splitlines() if line.startswith("Made a new master key")]
        assert len(made) == 1 and str(d / "master.key") in made[0], r.stdout
        assert oct((d / "master.key").stat().st_mode & 0o777) == "0o600"
        # The next start uses it, and says nothing about keys.
        again = run("migrate", data_dir=d)
        assert again.returncode == 0 and "master key" not in again.stdout


def test_serve_demo_prints_address_and_password_then_stops_cleanly_on_sigterm(tmp_path):
    port = free_port()
    log_path = tmp_path / "out.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(BIN), "serve", "--demo", "--host", "127.0.0.2", "--port", str(port), "--data-dir", str(tmp_path)],
                                stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # Connect from another loopback address, so it can be looked for in the log.
                conn = socket.create_connection(("127.0.0.2", port), timeout=2, source_address=("127.0.0.3", 0))
                conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                reply = conn.recv(100)
                conn.close()
                if b"200" in reply:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        for path in ["/", "/no-such-page", "/signin"]:
            conn = socket.create_connection(("127.0.0.2", port), source_address=("127.0.0.3", 0))
            conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            conn.recv(10000)
            conn.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    out = log_path.read_text()
    assert f"http://127.0.0.2:{port}/" in out
    # The first start made the master key, said so once, and only its owner may read it.
    assert len([line for line in out.splitlines() if line.startswith(f"Made a new master key at {tmp_path / 'master.key'}")]) == 1
    assert oct((tmp_path / "master.key").stat().st_mode & 0o777) == "0o600"
    password_line = next(line for line in out.splitlines() if "password" in line.lower())
    assert "coordinator@demo.invalid" in password_line
    assert len(password_line.rsplit(" ", 1)[-1]) >= 10  # a random password was made and printed
    assert "127.0.0.3" not in out  # no client address is ever logged
    assert "GET /s/{slug}" in out or "GET / 200" in out
