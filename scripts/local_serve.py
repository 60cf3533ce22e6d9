"""Shared by scripts/browser-test and scripts/api-fuzz: starts local-api serve (scripts/serve's
binary, already built) on free loopback ports and signs the demo user in through the emulator."""
import base64
import hashlib
import os
import pathlib
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import json

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bin_dir():
    if os.environ.get("BIN_DIR"):
        return os.environ["BIN_DIR"]
    return subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()


class Serve:
    """local-api serve on free ports; `log` collects its request lines (stderr)."""

    def __init__(self, log_path, revocation_store=False):
        self.port = free_port()
        self.cognito_port = free_port()
        self.origin = f"http://localhost:{self.port}"
        self.log_path = pathlib.Path(log_path)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        directory = bin_dir()
        self.log_file = open(self.log_path, "w")
        arguments = [f"{directory}/local-api", "serve", "--port", str(self.port), "--cognito-port", str(self.cognito_port),
                     "--bin-dir", directory, "--concurrency", "2"]
        environment = dict(os.environ)
        self.moto = None
        if revocation_store:
            # As scripts/serve does (issue 22): moto's DynamoDB, the table from template.yaml, the
            # store on and the authorizer cache off.
            self.moto = tempfile.NamedTemporaryFile(prefix="serve-moto-", suffix=".pid", delete=False).name
            endpoint = subprocess.run([str(ROOT / "scripts" / "moto-server"), "--pid-file", self.moto], check=True,
                                      capture_output=True, text=True).stdout.strip()
            subprocess.run([sys.executable, str(ROOT / "scripts" / "revocation-table"), "--endpoint", endpoint],
                           check=True, capture_output=True, text=True)
            environment.update(AWS_ENDPOINT_URL_DYNAMODB=endpoint, AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
                               AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
            environment.pop("AWS_SESSION_TOKEN", None)
            arguments += ["--parameter-overrides", "RevocationStore=true", "AuthorizerCacheTtl=0"]
        self.process = subprocess.Popen(arguments, cwd=ROOT, stdout=subprocess.PIPE, stderr=self.log_file, text=True,
                                        env=environment)
        self.banner = []
        deadline = time.time() + 60
        for line in self.process.stdout:
            self.banner.append(line.rstrip())
            if line.startswith("Ready."):
                break
            if time.time() > deadline:
                break
        else:
            raise RuntimeError("local-api exited before it was ready:\n" + "\n".join(self.banner)
                               + "\n" + self.log_path.read_text())
        # Keep draining stdout so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()
        self.config = json.load(urllib.request.urlopen(self.origin + "/config.json", timeout=10))

    def requests_logged(self, method, path):
        return sum(1 for line in self.log_path.read_text().splitlines() if line.startswith(f"{method} {path} "))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log_file.close()
        if self.moto:
            try:
                os.kill(int(pathlib.Path(self.moto).read_text().strip()), 15)
            except (OSError, ValueError):
                pass
            pathlib.Path(self.moto).unlink(missing_ok=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def authorization_code(serve, username="demo", password="Passw0rd!"):
    """A code from the emulator's scriptable loopback login, with PKCE S256:
    returns (code, verifier, redirect_uri)."""
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = serve.origin + "/callback"
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": serve.config["clientId"], "redirect_uri": redirect_uri,
        "scope": serve.config["scope"], "state": "s", "code_challenge": challenge, "code_challenge_method": "S256",
        "username": username, "password": password})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(serve.config["authorizeUrl"] + "?" + query, timeout=10)
        raise RuntimeError("the emulator did not redirect")
    except urllib.error.HTTPError as answer:
        location = answer.headers["Location"]
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0], verifier, redirect_uri


def sign_in(serve, username="demo", password="Passw0rd!"):
    """A real sign-in through the emulator (the scriptable loopback login) and POST /auth/sign-in:
    returns (access_token, refresh_cookie_value)."""
    code, verifier, redirect_uri = authorization_code(serve, username, password)
    request = urllib.request.Request(
        serve.origin + "/auth/sign-in", method="POST",
        data=json.dumps({"code": code, "code_verifier": verifier, "redirect_uri": redirect_uri}).encode(),
        # What the web app sends: with cookie delivery sign-in makes refresh's CSRF checks.
        headers={"Content-Type": "application/json", "Origin": serve.origin, "X-Requested-With": "local-serve"})
    with urllib.request.urlopen(request, timeout=15) as answer:
        body = json.load(answer)
        cookie = next(value for name, value in answer.headers.items()
                      if name.lower() == "set-cookie" and value.startswith("__Host-refresh_token="))
    return body["access_token"], cookie.split(";", 1)[0].split("=", 1)[1]
