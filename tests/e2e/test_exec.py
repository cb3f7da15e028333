"""`serve --source exec:CMD`: a command's stdout is the stream, its stderr
the server's log. A command that exits is restarted per --restart, and its
clients see the restart only as time passing: seq goes on, nothing is lost.
Stopping the server stops the command and everything it started."""

import json
import os
import re
import signal
import textwrap
from pathlib import Path

from conftest import wait_until
from test_endpoints import get
from test_flags import serve
from test_stdin import PYTHON, clients_named, healthz

# Run N (counted in a state file) says so on stderr, waits for the file `go`
# (run 1 only: the recorder must be there first), prints 3 packets
# [[N, 1]], [[N, 2]], [[N, 3]] and exits with the given status.
SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    state, go, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
    run = int(open(state).read()) + 1 if os.path.exists(state) else 1
    open(state, "w").write(str(run))
    print(f"run {run} starting", file=sys.stderr, flush=True)
    while not os.path.exists(go):
        time.sleep(0.01)
    for i in range(1, 4):
        print(json.dumps([[run, i]]), flush=True)
    sys.exit(status)
""")


def command(tmp_path, status):
    script = tmp_path / "runs.py"
    script.write_text(SCRIPT)
    return f"exec:{PYTHON} {script} {tmp_path / 'runs'} {tmp_path / 'go'} {status}"


def test_a_command_that_fails_is_restarted_and_the_stream_goes_on_without_a_gap(procs, tmp_path):
    server = procs.server("--source", command(tmp_path, 1))
    rec = procs.recorder(server.url, "rec")
    wait_until(lambda: clients_named(server, {"rec"}), 10, "the recorder's hello")
    (tmp_path / "go").touch()
    packets = rec.wait_packets(9, timeout=20)
    assert [p["seq"] for p in packets[:9]] == list(range(1, 10))
    assert [p["arrays"] for p in packets[:9]] == [[[run, i]] for run in (1, 2, 3) for i in (1, 2, 3)]
    assert not rec.events("gap"), "a restart is not a loss"
    log = server.stdout()
    pids = [int(p) for p in re.findall(r"exec: started '.*' \(pid (\d+)\)", log)]
    assert len(pids) >= 3 and len(set(pids)) == len(pids), log
    for run, pid in enumerate(pids[:3], 1):
        assert f"exec[{pid}]: run {run} starting" in log, "each stderr line is logged with its run's pid"
        assert re.search(rf"exec: '.*' \(pid {pid}\) exited with status 1", log), log
    assert len(re.findall(r"exec: restarting '.*' in \d+ ms", log)) >= 3
    assert healthz(server)["source"] == "running"


def test_with_restart_never_the_source_ends_when_the_command_exits(procs, tmp_path):
    (tmp_path / "go").touch()
    server = procs.server("--source", command(tmp_path, 1), "--restart", "never")
    wait_until(lambda: healthz(server)["source"] == "ended", 10, "the source to end")
    assert (tmp_path / "runs").read_text() == "1", "run once"
    assert "is not restarted (--restart never); the source ends" in server.stdout()
    assert "restarting" not in server.stdout()


def test_on_failure_does_not_restart_a_command_that_succeeded(procs, tmp_path):
    (tmp_path / "go").touch()
    server = procs.server("--source", command(tmp_path, 0))
    wait_until(lambda: healthz(server)["source"] == "ended", 10, "the source to end")
    assert json.loads(get(server, "/healthz")[2])["source"] == "ended"
    assert (tmp_path / "runs").read_text() == "1"
    assert re.search(r"exec: '.*' \(pid \d+\) exited with status 0", server.stdout())


def group_members(pgid):
    """PIDs of the live (not zombie) processes of process group `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        state, _ppid, pgrp = stat[stat.rindex(")") + 2:].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            members.append(int(entry.name))
    return members


def sockets_of(pid):
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if os.readlink(fd).startswith("socket:"):
                found.append(fd.name)
        except OSError:
            pass
    return found


def test_stopping_the_server_stops_the_whole_command_and_it_inherits_no_socket(procs):
    server = procs.server("--source", "exec:sleep 300 | sleep 300")
    pid = int(server.wait_output(r"exec: started '.*' \(pid (\d+)\)").group(1))
    wait_until(lambda: len(group_members(pid)) >= 3, 5, "the shell and both sleeps")
    for member in group_members(pid):
        assert sockets_of(member) == [], f"process {member} of the command holds the server's sockets"
    assert server.stop(signal.SIGTERM) == 0
    assert group_members(pid) == [], "a process of the command outlived the server"
    assert re.search(rf"exec: stopped '.*' \(pid {pid}\): killed by signal 15", server.stdout())


def test_a_bad_restart_policy_or_no_command_is_refused_naming_the_flag():
    res = serve("--source", "exec:true", "--restart", "sometimes")
    assert res.returncode != 0 and "--restart" in res.stderr and "on-failure" in res.stderr, res.stderr
    res = serve("--source", "exec: ")
    assert res.returncode != 0 and "--source" in res.stderr and "needs a command" in res.stderr, res.stderr


def test_a_flood_on_stderr_is_logged_a_few_lines_a_second_and_counted(procs, tmp_path):
    script = tmp_path / "noisy.py"
    script.write_text("import sys\nfor i in range(5000):\n    print(f'noise {i}', file=sys.stderr)\nprint('[[1]]')\n")
    server = procs.server("--source", f"exec:{PYTHON} {script}", "--restart", "never")
    wait_until(lambda: healthz(server)["source"] == "ended", 10, "the source to end")
    log = server.wait_output(r"lines of stderr not logged").string
    logged = len(re.findall(r"exec\[\d+\]: noise \d+$", log, re.M))
    held_back = sum(int(n) for n in re.findall(r"exec\[\d+\]: (\d+) lines of stderr not logged", log))
    assert logged + held_back == 5000
    assert logged <= 100, f"{logged} lines of stderr logged in the time the command took"
