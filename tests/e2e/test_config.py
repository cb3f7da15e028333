"""Issue 14: `serve --config` and `record --config` read every flag from a TOML
(or INI) file, flags on the command line win, `--print-config` prints what is
in effect, and a bad file is refused as clearly as a bad flag."""

import subprocess

import pytest

from conftest import BIN, connect, recv_json, run, wait_until


def arraycast(*args, timeout=10):
    return subprocess.run([BIN, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def welcome_of(server):
    async def go():
        ws = await connect(server.url)
        welcome = await recv_json(ws)
        await ws.close()
        return welcome
    return run(go())


def test_serve_and_record_read_their_sections_of_one_file(procs, tmp_path):
    config = tmp_path / "arraycast.toml"
    config.write_text('# one file for both\n[serve]\ninterval = "5s"\nhistory = 77\n\n'
                      '[record]\nname = "from-file"\nformat = "jsonl"\n')
    server = procs.server("--config", config, interval="20ms")
    welcome = welcome_of(server)
    assert welcome["history"] == 77, "from the file"
    assert welcome["interval_us"] == 20_000, "--interval on the command line wins over the file's"
    rec = procs.recorder(server.url, "ignored", "r.out", "--config", config)
    wait_until(lambda: "ignored (127.0.0.1" in server.stdout(), 10, "the recorder's hello")
    assert rec.wait_packets(3)  # the file's format, jsonl, whatever the extension
    assert rec.out.read_text().startswith("{")


def test_print_config_shows_what_the_file_and_the_flags_gave(tmp_path):
    config = tmp_path / "a.toml"
    config.write_text('[serve]\nport = 7001\nmax-queue = 99\n')
    out = arraycast("serve", "--config", config, "--max-queue", "77", "--print-config")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "[serve]"
    assert "port=7001" in lines and "max-queue=77" in lines, "the file's value, and the flag over the file's"
    assert '# interval="2s"' in lines and "# history=1024" in lines, "defaults are shown, commented out"


@pytest.mark.parametrize("command", ["serve", "record"])
def test_print_config_reads_back_as_the_same_config(tmp_path, command):
    first = arraycast(command, "--print-config")
    path = tmp_path / "printed.toml"
    path.write_text(first.stdout)
    again = arraycast(command, "--config", path, "--print-config")
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout


def test_an_ini_file_is_read_as_ini(procs, tmp_path):
    config = tmp_path / "arraycast.ini"
    config.write_text("; INI comments start with a semicolon\n[serve]\nhistory=55\n")
    assert welcome_of(procs.server("--config", config))["history"] == 55


@pytest.mark.parametrize("text, message", [
    ("[serve]\nbogus = 1\n", "'serve.bogus' is not a flag of that command"),
    ("port = 1\n", "'port' is not a flag of that command"),
    ("[serve]\nmax-clients = \"abc\"\n", "--max-clients"),
    ("[serve]\nmax-clients = 0\n", "--max-clients"),
    ("[serve]\ninterval = \"soon\"\n", "--interval: 'soon' is not a duration"),
    ("[serve]\nsource = \"bogus\"\n", "--source: 'bogus' is not a source"),
    ("[serve]\nmax-queue = 0\n", "--max-queue"),
    ("[serve]\nbroker-stream = \"s\"\n", "--broker-stream needs --broker"),
    ("[serve]\ntls-cert = \"/nonexistent.pem\"\n", "--tls-cert"),
    ("[serve\nport = 1\n", "not a line of the form key = value"),
], ids=["unknown-key", "key-outside-a-section", "not-a-number", "out-of-range", "bad-duration", "bad-source",
        "zero-queue", "needs-another", "missing-file-value", "broken-section"])
def test_a_bad_file_is_refused_with_the_flags_own_message(tmp_path, text, message):
    config = tmp_path / "bad.toml"
    config.write_text(text)
    out = arraycast("serve", "--config", config)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert message in out.stderr, out.stderr
    assert "streaming on" not in out.stdout


def test_a_missing_config_file_is_named(tmp_path):
    out = arraycast("record", "--config", tmp_path / "nope.toml")
    assert out.returncode == 2
    assert "--config" in out.stderr and "nope.toml" in out.stderr
