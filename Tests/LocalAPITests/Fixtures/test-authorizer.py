#!/usr/bin/env python3
# Test-only API Gateway Lambda authorizer (HTTP API payload 2.0, simple responses) for the local
# API tests; never shipped. Verifies the bearer access token against the pool's JWKS (RS256,
# PKCS#1 v1.5 done by hand with pow), the issuer, token_use and client_id; routes under /admin
# also need the group "admins". Context: sub, username, groups.
import base64, hashlib, http.client, json, os, time, urllib.request

# One keep-alive connection for next and the answer, as the loopback Runtime API expects
# (it treats the close of the connection that took an event as the process giving it up).
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
runtime = http.client.HTTPConnection(host, int(port))
api = "/2018-06-01/runtime/invocation/"

def call(method, path, body=None, headers=None):
    runtime.request(method, path, body=body, headers=headers or {})
    response = runtime.getresponse()
    return response, response.read()
pool = os.environ["COGNITO_USER_POOL_ID"]
client_id = os.environ["COGNITO_CLIENT_ID"]
endpoint = os.environ["COGNITO_IDP_ENDPOINT"].rstrip("/")
region = os.environ.get("COGNITO_REGION", "us-east-1")
issuer = "https://cognito-idp.%s.amazonaws.com/%s" % (region, pool)
jwks = json.loads(urllib.request.urlopen(endpoint + "/" + pool + "/.well-known/jwks.json").read())["keys"]
DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")

def b64(text):
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # Canonical encoding only: non-zero padding bits would let two spellings pass as one token.
    if base64.urlsafe_b64encode(data).decode().rstrip("=") != text:
        raise ValueError("non-canonical base64url")
    return data

def verify(token):
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64(header_b64))
    if header.get("alg") != "RS256":
        return None
    key = next((k for k in jwks if k.get("kid") == header.get("kid") and k.get("kty") == "RSA"), None)
    if key is None:
        return None
    n = int.from_bytes(b64(key["n"]), "big")
    e = int.from_bytes(b64(key["e"]), "big")
    size = (n.bit_length() + 7) // 8
    signature = int.from_bytes(b64(signature_b64), "big")
    encoded = pow(signature, e, n).to_bytes(size, "big")
    digest = hashlib.sha256((header_b64 + "." + payload_b64).encode()).digest()
    expected = b"\x00\x01" + b"\xff" * (size - 3 - len(DIGEST_INFO) - len(digest)) + b"\x00" + DIGEST_INFO + digest
    if encoded != expected:
        return None
    claims = json.loads(b64(payload_b64))
    if claims.get("iss") != issuer or claims.get("token_use") != "access" or claims.get("client_id") != client_id:
        return None
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= time.time():
        return None
    return claims

def decide(event):
    source = (event.get("identitySource") or [""])[0]
    if not source.startswith("Bearer "):
        return {"isAuthorized": False}
    try:
        claims = verify(source[len("Bearer "):])
    except Exception:
        claims = None
    if claims is None:
        return {"isAuthorized": False}
    groups = claims.get("cognito:groups", [])
    if event.get("rawPath", "").startswith("/admin") and "admins" not in groups:
        return {"isAuthorized": False}
    return {"isAuthorized": True, "context": {"sub": claims["sub"], "username": claims.get("username"), "groups": ",".join(groups)}}

while True:
    response, data = call("GET", api + "next")
    request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    event = json.loads(data)
    answer = json.dumps(decide(event)).encode()
    call("POST", api + request_id + "/response", answer)
