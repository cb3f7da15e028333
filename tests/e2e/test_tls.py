"""TLS: `serve --tls-cert --tls-key` speaks only wss:// and https:// on its
port; clients check the server's certificate (system CAs or --ca, host name
included) and refuse a bad one with a message that says what is wrong.
Every certificate is made here, with the openssl command."""

import asyncio
import json
import signal
import socket
import ssl
import subprocess
import urllib.request

import pytest
import websockets

from conftest import BIN, HOST, SLOW, assert_contiguous, connect, recv_json, run, wait_until


class Pki:
    """A CA and the certificates it signs, in a temporary directory."""

    def __init__(self, workdir, name="ca"):
        self.dir = workdir
        self.ca_key, self.ca = workdir / f"{name}.key", workdir / f"{name}.pem"
        self._openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                      "-keyout", self.ca_key, "-out", self.ca, "-days", "30", "-subj", f"/CN=arraycast test {name}")
        self.count = 0

    def _openssl(self, *args):
        subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True, timeout=30)

    def issue(self, name, san="IP:127.0.0.1,DNS:localhost", expired=False):
        """(cert, key) for `san`; expired: valid only in 2020."""
        key, csr, cert = (self.dir / f"{name}.{ext}" for ext in ("key", "csr", "pem"))
        ext = self.dir / f"{name}.ext"
        ext.write_text(f"subjectAltName={san}\n")
        self._openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                      "-out", csr, "-subj", f"/CN={name}")
        if not expired:
            self._openssl("x509", "-req", "-in", csr, "-CA", self.ca, "-CAkey", self.ca_key, "-CAcreateserial",
                          "-days", "30", "-extfile", ext, "-out", cert)
            return cert, key
        # `openssl x509` cannot date a certificate in the past; `openssl ca` can.
        self.count += 1
        db = self.dir / f"ca-db{self.count}"
        db.mkdir()
        (db / "index.txt").write_text("")
        (db / "serial").write_text("1000\n")
        conf = db / "ca.cnf"
        conf.write_text(f"[ca]\ndefault_ca=d\n[d]\ndatabase={db}/index.txt\nnew_certs_dir={db}\nserial={db}/serial\n"
                        "default_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n")
        self._openssl("ca", "-batch", "-config", conf, "-cert", self.ca, "-keyfile", self.ca_key, "-in", csr,
                      "-out", cert, "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile", ext)
        return cert, key


@pytest.fixture
def pki(tmp_path):
    return Pki(tmp_path)


def tls_server(procs, cert, key, *extra):
    return procs.server("--tls-cert", cert, "--tls-key", key, *extra)


def client_context(ca):
    return ssl.create_default_context(cafile=str(ca))


def refusal(procs, url, *extra):
    """Runs a recorder that must give up; returns its stderr."""
    rec = procs.recorder(url, "refused", None, "--max-retries", "1", *extra)
    assert rec.wait_exit(20 * SLOW) != 0, "the recorder accepted the certificate"
    assert not rec.out.exists() or rec.packets() == []
    return rec.stderr()


def test_the_server_says_wss_and_a_recorder_records_over_tls(procs, pki):
    server = tls_server(procs, *pki.issue("server"))
    assert server.url.startswith("wss://127.0.0.1:")
    rec = procs.recorder(server.url, "secure", None, "--ca", pki.ca)
    packets = rec.wait_packets(5, timeout=10 * SLOW)
    assert_contiguous([p["seq"] for p in packets])  # from wherever the stream was when it joined
    assert {p["epoch"] for p in packets} == {server.epoch}
    assert "--insecure" not in rec.stderr()


def test_a_certificate_from_an_unknown_ca_is_refused(procs, pki):
    server = tls_server(procs, *pki.issue("server"))
    assert "unable to get local issuer certificate" in refusal(procs, server.url)


def test_an_expired_certificate_is_refused(procs, pki):
    server = tls_server(procs, *pki.issue("old", expired=True))
    assert "certificate has expired" in refusal(procs, server.url, "--ca", pki.ca)


@pytest.mark.parametrize("host,error", [("127.0.0.1", "IP address mismatch"), ("localhost", "hostname mismatch")])
def test_a_certificate_for_another_host_is_refused(procs, pki, host, error):
    server = tls_server(procs, *pki.issue("elsewhere", san="DNS:example.com"))
    assert error in refusal(procs, f"wss://{host}:{server.port}/", "--ca", pki.ca)


def test_insecure_skips_the_check_and_warns_on_each_connection(procs, pki):
    server = tls_server(procs, *pki.issue("elsewhere", san="DNS:example.com"))
    rec = procs.recorder(server.url, "careless", None, "--insecure")
    rec.wait_packets(3, timeout=10 * SLOW)
    assert "--insecure: the server's certificate is not checked" in rec.stderr()


def test_python_websockets_and_https_requests_go_through_tls(procs, pki):
    server = tls_server(procs, *pki.issue("server"))
    context = client_context(pki.ca)

    async def stream():
        ws = await connect(server.url, ssl=context)
        try:
            welcome = await recv_json(ws)
            await ws.send(json.dumps({"type": "hello", "name": "py-tls"}))
            return welcome, await recv_json(ws)
        finally:
            await ws.close()

    welcome, first = run(stream())
    assert welcome["type"] == "welcome" and welcome["epoch"] == server.epoch
    assert first["type"] == "packet"
    with urllib.request.urlopen(f"https://127.0.0.1:{server.port}/healthz", context=context, timeout=5 * SLOW) as r:
        assert r.status == 200 and json.loads(r.read())["status"] == "ok"


def test_a_plain_text_client_on_the_tls_port_fails_cleanly_and_the_server_keeps_serving(procs, pki):
    server = tls_server(procs, *pki.issue("server"))
    plain_url = server.url.replace("wss://", "ws://")

    async def plain():
        with pytest.raises((websockets.exceptions.InvalidMessage, websockets.exceptions.InvalidHandshake,
                            ConnectionError, EOFError, asyncio.TimeoutError)):
            await connect(plain_url, open_timeout=5 * SLOW)

    run(plain())
    with socket.create_connection((HOST, server.port), timeout=5 * SLOW) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert not s.recv(4096).startswith(b"HTTP/"), "the TLS port answered in plain text"
    rec = procs.recorder(server.url, "after", None, "--ca", pki.ca)
    rec.wait_packets(3, timeout=10 * SLOW)
    assert server.running()


def test_sighup_swaps_the_certificate_and_keeps_connected_clients(procs, pki, tmp_path):
    cert, key = pki.issue("server")
    server = tls_server(procs, cert, key)
    rec = procs.recorder(server.url, "staying", None, "--ca", pki.ca)
    rec.wait_packets(3, timeout=10 * SLOW)

    other = Pki(tmp_path, "ca2")
    new_cert, new_key = other.issue("server2")
    cert.write_bytes(new_cert.read_bytes())
    key.write_bytes(new_key.read_bytes())
    server.send_signal(signal.SIGHUP)
    server.wait_output("reloaded the TLS certificate", 5 * SLOW)

    async def welcome(ca):
        ws = await connect(server.url, ssl=client_context(ca))
        try:
            return (await recv_json(ws))["type"]
        finally:
            await ws.close()

    assert run(welcome(other.ca)) == "welcome"
    with pytest.raises(ssl.SSLCertVerificationError):
        run(welcome(pki.ca))
    before = len(rec.packets())
    wait_until(lambda: len(rec.packets()) > before + 3, 10 * SLOW, "the first recorder to go on recording")
    assert rec.events("connected") and len(rec.events("connected")) == 1, "the recorder was disconnected"


def test_a_reload_that_fails_keeps_the_pair_in_use(procs, pki):
    cert, key = pki.issue("server")
    server = tls_server(procs, cert, key)
    key.write_text("not a key\n")
    server.send_signal(signal.SIGHUP)
    server.wait_output("keeping the TLS certificate and key in use", 5 * SLOW)
    rec = procs.recorder(server.url, "still", None, "--ca", pki.ca)
    rec.wait_packets(3, timeout=10 * SLOW)


def test_bad_tls_flags_are_clear_errors(procs, pki, tmp_path):
    cert, key = pki.issue("server")
    other_cert, _ = pki.issue("other")
    junk = tmp_path / "junk.pem"
    junk.write_text("junk\n")
    cases = [
        (["--tls-cert", cert], 2, "--tls-key"),
        (["--tls-cert", tmp_path / "missing.pem", "--tls-key", key], 2, "missing.pem"),
        (["--tls-cert", junk, "--tls-key", key], 1, "--tls-cert"),
        (["--tls-cert", other_cert, "--tls-key", key], 1, "not a PEM private key of --tls-cert"),
    ]
    for flags, code, text in cases:
        r = subprocess.run([BIN, "serve", "--port", "0", *map(str, flags)], capture_output=True, text=True,
                           timeout=10 * SLOW)
        assert r.returncode == code, (flags, r.stdout, r.stderr)
        assert text in r.stderr, (flags, r.stderr)
    r = subprocess.run([BIN, "record", "--url", "wss://127.0.0.1:1/", "--ca", tmp_path / "none.pem"],
                       capture_output=True, text=True, timeout=10 * SLOW)
    assert r.returncode == 2 and "--ca" in r.stderr


def test_tokens_travel_inside_tls(procs, pki, tmp_path):
    """--auth under TLS: the token goes in the encrypted upgrade, and the origin
    the server accepts as its own is https://."""
    secret = tmp_path / "jwt.secret"
    secret.write_text("a secret long enough for HS256 signing\n")
    server = tls_server(procs, *pki.issue("server"), "--auth", "--jwt-secret-file", secret)
    token = subprocess.run([BIN, "token", "--secret-file", secret, "--sub", "tls-rig", "--scope", "read", "--ttl", "1h"],
                           capture_output=True, text=True, check=True, timeout=10 * SLOW).stdout.strip()
    rec = procs.recorder(server.url, "rig", None, "--ca", pki.ca, "--token", token)
    rec.wait_packets(3, timeout=10 * SLOW)
    wait_until(lambda: "tls-rig" in server.stdout(), 5 * SLOW, "the server to name the client by its token's sub")
    context = client_context(pki.ca)

    async def origin(value):
        ws = await connect(f"{server.url}?token={token}", ssl=context, origin=value)
        try:
            return (await recv_json(ws))["type"]
        finally:
            await ws.close()

    assert run(origin(f"https://127.0.0.1:{server.port}")) == "welcome"
    with pytest.raises(websockets.exceptions.InvalidStatusCode):
        run(origin(f"http://127.0.0.1:{server.port}"))
    assert token not in server.output() and token not in rec.output()
