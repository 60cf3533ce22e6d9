#!/usr/bin/env python3
# Test-only Lambda function (custom runtime, Runtime API loop) for the local API tests; never
# shipped. Answers with its pid and the event; /test/crash exits mid-invocation, .../sleep/N (or /gateway/sleep/N)
# sleeps N seconds, /test/bare returns a bare JSON value, /test/error posts an invocation error.
import http.client, json, os, time

# One keep-alive connection for next and the answer, as the loopback Runtime API expects
# (it treats the close of the connection that took an event as the process giving it up).
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].rsplit(":", 1)
runtime = http.client.HTTPConnection(host, int(port))
api = "/2018-06-01/runtime/invocation/"

def call(method, path, body=None, headers=None):
    runtime.request(method, path, body=body, headers=headers or {})
    response = runtime.getresponse()
    return response, response.read()

def post(path, payload, headers=None):
    call("POST", path, json.dumps(payload, separators=(",", ":")).encode(), headers)

while True:
    response, data = call("GET", api + "next")
    request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    event = json.loads(data)
    path = event.get("rawPath", "")
    if path.startswith("/test/crash"):
        os._exit(3)
    if "/sleep/" in path:
        time.sleep(float(path.rsplit("/", 1)[1]))
    if path.startswith("/test/error"):
        post(api + request_id + "/error", {"errorMessage": "boom", "errorType": "TestError"},
             {"Lambda-Runtime-Function-Error-Type": "TestError"})
        continue
    if path.startswith("/test/bare"):
        post(api + request_id + "/response", [1, "two", {"three": 3}])
        continue
    body = json.dumps({"pid": os.getpid(), "event": event, "env": {"GREETING": os.environ.get("GREETING")}})
    post(api + request_id + "/response", {
        "statusCode": 200,
        "headers": {"content-type": "application/json", "access-control-allow-origin": "https://evil.example"},
        "cookies": ["first=1; Path=/", "second=2; Path=/"],
        "body": body,
    })
