"""Tokens with scopes and origin checks (--auth, --allow-origin), tried from outside:
no token, forged, expired, alg none, wrong scope, malformed header; the recorder with
good and bad tokens; a token expiring mid-stream; browsers' Origin. Every test ends
with a scan of every process's output for the tokens and secrets it used."""

import base64
import hashlib
import hmac
import json
import re
import signal
import socket
import subprocess
import time

import pytest
import websockets

from conftest import BIN, HOST, SLOW, Proc, close_code_of, connect, recv_json, run, wait_until

SECRET = "e2e-shared-secret-7f3a9c"
TOKEN_EXPIRED_CODE = 4501


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(claims, secret=SECRET, alg="HS256"):
    """A JWT made here, so that tests can make the ones the server must refuse."""
    head = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    if alg == "none":
        return f"{head}.{body}."
    sig = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(sig)}"


def token(scope="read", sub="alice", ttl=600, **extra):
    return jwt({"sub": sub, "scope": scope, "exp": int(time.time()) + ttl, **extra})


class Secrets:
    """The secrets a test used: none may appear in any process's output."""

    def __init__(self, tmp_path):
        self.dir = tmp_path
        self.seen = [SECRET]

    def file(self, name, text):
        path = self.dir / name
        path.write_text(text)
        path.chmod(0o600)
        return path

    def use(self, *tokens):
        self.seen += tokens
        return tokens[0] if len(tokens) == 1 else tokens

    def assert_not_logged(self):
        for log in list(self.dir.glob("*.stdout")) + list(self.dir.glob("*.stderr")):
            text = log.read_text(errors="replace")
            for s in self.seen:
                # A JWT's signature is what makes it usable; a static token is all secret.
                signature = s.rsplit(".", 1)[-1]
                needle = signature if s.count(".") == 2 and len(signature) >= 16 else s
                assert needle not in text, f"{log.name} contains a token or secret"


@pytest.fixture
def secrets(tmp_path):
    s = Secrets(tmp_path)
    yield s
    s.assert_not_logged()


def auth_server(procs, secrets, *extra):
    key = secrets.file("jwt.secret", SECRET + "\n")
    return procs.server("--auth", "--jwt-secret-file", key, *extra)


def raw_request(port, target="/", headers=None, upgrade=True):
    """One HTTP request on a fresh connection; returns (status, everything the server sent)."""
    lines = [f"GET {target} HTTP/1.1", f"Host: {HOST}:{port}"]
    if upgrade:
        lines += ["Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]
    else:
        lines += ["Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    with socket.create_connection((HOST, port), timeout=5 * SLOW) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
        except socket.timeout:
            pass
    return int(data.split(b" ", 2)[1]), data


def assert_refused(port, status, target="/", headers=None):
    got, data = raw_request(port, target, headers)
    assert got == status, data[:200]
    head, _, body = data.partition(b"\r\n\r\n")
    assert body in (b"unauthorized\n", b"forbidden\n"), body[:200]  # no detail, and no stream bytes
    assert b"packet" not in data and b"welcome" not in data
    return head


def test_every_bad_token_gets_401_and_no_stream(procs, secrets):
    server = auth_server(procs, secrets)
    now = int(time.time())
    bad = {
        "none": None,
        "forged": jwt({"sub": "mallory", "scope": "read admin", "exp": now + 600}, secret="guessed"),
        "expired": token(ttl=-120),
        "not yet valid": token(nbf=now + 300),
        "alg none": jwt({"sub": "mallory", "scope": "read", "exp": now + 600}, alg="none"),
        "no exp": jwt({"sub": "mallory", "scope": "read"}),
        "garbage": "not.a.token-at-all",
    }
    secrets.use(*[t for t in bad.values() if t])
    for what, t in bad.items():
        head = assert_refused(server.port, 401, headers={"Authorization": f"Bearer {t}"} if t else {})
        assert b"WWW-Authenticate: Bearer" in head, what
        assert_refused(server.port, 401, target=f"/?token={t}" if t else "/")
    for header in ["Bearer", "Basic YWxpY2U6cHc=", f"Bearer {token()} extra", f"Token {token()}", "Bearer \"x\""]:
        assert_refused(server.port, 401, headers={"Authorization": header})
    assert server.running()


def test_scopes_gate_routes_and_healthz_is_open(procs, secrets):
    server = auth_server(procs, secrets)
    read, admin = secrets.use(token("read"), token("admin", sub="ops"))
    assert raw_request(server.port, "/healthz", upgrade=False)[0] == 200
    assert_refused(server.port, 403, headers={"Authorization": f"Bearer {admin}"})  # the stream needs read
    assert raw_request(server.port, "/metrics", upgrade=False)[0] == 401
    for path in ["/metrics", "/clients"]:
        got = raw_request(server.port, path, {"Authorization": f"Bearer {read}"}, upgrade=False)
        assert got[0] == 403, path
        assert raw_request(server.port, path, {"Authorization": f"Bearer {admin}"}, upgrade=False)[0] == 200
    assert raw_request(server.port, "/", {"Authorization": f"Bearer {read}"}, upgrade=False)[0] == 200
    assert raw_request(server.port, "/", upgrade=False)[0] == 401  # the page too
    assert raw_request(server.port, "/publish", {"Authorization": f"Bearer {read}"})[0] == 403


def test_a_token_in_the_query_opens_the_stream(procs, secrets):
    server = auth_server(procs, secrets)
    t = secrets.use(token("read"))

    async def scenario():
        ws = await connect(f"{server.url}?token={t}")
        welcome = await recv_json(ws)
        await ws.close()
        return welcome

    assert run(scenario())["type"] == "welcome"


def clients(server, admin):
    status, data = raw_request(server.port, "/clients", {"Authorization": f"Bearer {admin}"}, upgrade=False)
    assert status == 200
    return json.loads(data.partition(b"\r\n\r\n")[2])


def test_the_recorder_records_with_a_good_token_named_by_its_sub(procs, secrets, tmp_path):
    server = auth_server(procs, secrets)
    good, admin = secrets.use(token("read", sub="lab-rig"), token("admin", sub="ops"))
    rec = procs.recorder(server.url, "rec1", None, "--token-file", secrets.file("rec.token", good + "\n"))
    rec.wait_packets(3)
    wait_until(lambda: [c["name"] for c in clients(server, admin)] == ["lab-rig"], 5, "/clients to show the sub")
    server.wait_output(r"lab-rig \(127\.0\.0\.1:\d+\) said hello")
    assert "rec1" not in server.stdout()


@pytest.mark.parametrize("case", ["bad", "scope"])
def test_the_recorder_stops_on_a_refused_token(procs, secrets, case):
    server = auth_server(procs, secrets)
    t = secrets.use(jwt({"sub": "x", "scope": "read", "exp": int(time.time()) + 600}, secret="wrong")
                    if case == "bad" else token("publish"))
    rec = procs.recorder(server.url, "rec1", None, "--token", t)
    assert rec.wait_exit(10) != 0
    expected = "401 Unauthorized" if case == "bad" else "403 Forbidden"
    assert expected in rec.stderr(), rec.stderr()
    assert rec.stderr().count("refused the upgrade") == 1  # once, not a retry loop


def test_a_token_that_expires_while_connected_closes_with_its_code(procs, secrets):
    server = auth_server(procs, secrets)
    short = secrets.use(token("read", ttl=2))

    async def scenario():
        ws = await connect(server.url, extra_headers={"Authorization": f"Bearer {short}"})
        start = time.monotonic()
        code = await close_code_of(ws, timeout=10)
        return code, time.monotonic() - start

    code, after = run(scenario())
    assert code == TOKEN_EXPIRED_CODE
    assert after < 5 * SLOW
    rec = procs.recorder(server.url, "rec1", None, "--token", secrets.use(token("read", ttl=2)))
    assert rec.wait_exit(15) == 1
    assert f"{TOKEN_EXPIRED_CODE}: token expired" in rec.stderr(), rec.stderr()


def test_arraycast_token_output_is_accepted(procs, secrets):
    server = auth_server(procs, secrets)
    key = secrets.dir / "jwt.secret"
    made = subprocess.run([BIN, "token", "--secret-file", key, "--sub", "bob", "--scope", "read", "--scope", "admin",
                           "--ttl", "1h"], capture_output=True, text=True, timeout=10)
    assert made.returncode == 0, made.stderr
    t = secrets.use(made.stdout.strip())
    assert raw_request(server.port, "/clients", {"Authorization": f"Bearer {t}"}, upgrade=False)[0] == 200
    rec = procs.recorder(server.url, "rec1", None, "--token", t)
    rec.wait_packets(2)
    wrong = subprocess.run([BIN, "token", "--secret-file", key, "--sub", "bob", "--scope", "write"],
                           capture_output=True, text=True, timeout=10)
    assert wrong.returncode == 2 and "--scope" in wrong.stderr


def test_static_tokens_and_their_reload(procs, secrets):
    tokens = secrets.file("tokens", "# devices\nstatic-device-token-1 read\n")
    server = procs.server("--auth", "--token-file", tokens)
    secrets.use("static-device-token-1", "static-admin-token-2")
    auth = lambda t: {"Authorization": f"Bearer {t}"}  # noqa: E731
    assert raw_request(server.port, "/metrics", auth("static-admin-token-2"), upgrade=False)[0] == 401
    rec = procs.recorder(server.url, "rec1", None, "--token", "static-device-token-1")
    rec.wait_packets(2)
    tokens.write_text("static-device-token-1 read\nstatic-admin-token-2 admin\n")
    server.send_signal(signal.SIGHUP)
    wait_until(lambda: raw_request(server.port, "/metrics", auth("static-admin-token-2"), upgrade=False)[0] == 200, 5,
               "the reloaded token file to take effect")
    tokens.write_text("broken-line\n")
    server.send_signal(signal.SIGHUP)
    server.wait_output(r"tokens:1: a token needs at least one scope")
    assert raw_request(server.port, "/metrics", auth("static-admin-token-2"), upgrade=False)[0] == 200
    assert server.running() and rec.running()


@pytest.mark.parametrize("args,message", [
    (["--auth"], "--auth needs --jwt-secret-file"),
    (["--token-file", "x"], "need --auth"),
    (["--auth", "--jwt-secret-file", "/nonexistent/secret"], "cannot read the JWT secret"),
    (["--auth", "--token-file", "BAD"], "BAD:2: word 2 is not a scope"),
    (["--allow-origin", "evil.example"], "not an origin"),
])
def test_bad_auth_flags_exit_2(tmp_path, args, message):
    (tmp_path / "BAD").write_text("ok read\nnope root\n")
    done = subprocess.run([BIN, "serve", "--port", "0", *args], capture_output=True, text=True, timeout=10,
                          cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr, done.stderr


def test_foreign_origins_are_refused(procs, secrets):
    server = procs.server("--allow-origin", "https://dash.example.com")
    own = f"http://{HOST}:{server.port}"

    async def opens(origin):
        try:
            ws = await connect(server.url, origin=origin)
        except websockets.InvalidStatusCode as e:
            return e.status_code
        assert (await recv_json(ws))["type"] == "welcome"
        await ws.close()
        return 101

    assert run(opens("http://evil.example")) == 403
    assert run(opens(f"http://{HOST}:{server.port + 1}")) == 403
    assert run(opens(None)) == 101
    assert run(opens(own)) == 101
    assert run(opens("https://dash.example.com")) == 101
    assert server.running()


def test_publish_and_bench_send_their_tokens(procs, secrets):
    server = auth_server(procs, secrets, "--source", "publish", "--allow-publish")
    publisher, reader = secrets.use(token("publish", sub="sensor"), token("read", sub="bench"))
    rec = procs.recorder(server.url, "rec1", None, "--token", reader)
    refused = subprocess.run([BIN, "publish", "--url", f"ws://{HOST}:{server.port}/publish", "--from", "random",
                              "--token", reader], capture_output=True, text=True, timeout=15)
    assert refused.returncode == 1 and "403" in refused.stderr, refused.stderr
    proc = Proc([BIN, "publish", "--url", f"ws://{HOST}:{server.port}/publish", "--from", "random", "--rate", "50",
                 "--token-file", secrets.file("pub.token", publisher)], procs.workdir, "producer")
    procs.started.append(proc)
    rec.wait_packets(5)
    bench = subprocess.run([BIN, "bench", "--url", server.url, "--clients", "2", "--duration", "1s",
                            "--token", reader], capture_output=True, text=True, timeout=30)
    assert bench.returncode == 0, bench.stdout + bench.stderr
    no_token = subprocess.run([BIN, "bench", "--url", server.url, "--clients", "1", "--duration", "1s"],
                              capture_output=True, text=True, timeout=30)
    assert no_token.returncode == 1 and "handshake was declined" in no_token.stdout, no_token.stdout
    for out in (refused.stdout + refused.stderr, bench.stdout + bench.stderr):
        assert reader.rsplit(".", 1)[-1] not in out


def test_a_flood_of_refused_requests_is_counted_not_logged_line_by_line(procs, secrets):
    server = auth_server(procs, secrets)
    foreign = {"Origin": "http://evil.example"}
    for i in range(40):
        assert_refused(server.port, 401, target=f"/flood{i}", headers=None)
        assert raw_request(server.port, "/", foreign)[0] == 403
    logged = len(re.findall(r"refusing a (request|WebSocket upgrade)", server.stdout()))
    assert 1 <= logged <= 10, f"{logged} refusal lines for 80 refused requests"


def test_a_producer_whose_token_expires_is_closed_and_stops(procs, secrets):
    server = auth_server(procs, secrets, "--source", "publish", "--allow-publish")
    short = secrets.use(token("publish", sub="sensor", ttl=2))
    proc = Proc([BIN, "publish", "--url", f"ws://{HOST}:{server.port}/publish", "--from", "random", "--rate", "20",
                 "--token", short], procs.workdir, "producer")
    procs.started.append(proc)
    assert proc.wait_exit(20 * SLOW) == 1, "the producer went on publishing past its token's exp"
    assert f"{TOKEN_EXPIRED_CODE}" in proc.stderr() and "token expired" in proc.stderr(), proc.stderr()
    assert "its token expired" in server.stdout()
