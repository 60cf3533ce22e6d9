// Demo single-page app of the token-mediating backend pattern (IETF "OAuth 2.0 for Browser-Based
// Applications"): the access token lives in this module's memory only, the refresh token in an
// HttpOnly cookie the backend sets and this script can never read.
// Module scope: nothing here is a global another script could read.

const $ = (id) => document.getElementById(id);

// Security: in memory only. Never localStorage/sessionStorage/document.cookie, where any script
// injected into the origin (or a browser extension, or a later visitor of a shared machine) could
// read it. A reload forgets it; the refresh cookie gets a new one.
let accessToken = null;
let config = null;

// Only the PKCE verifier and the state of the sign-in in flight survive the round trip through
// the login page; they are not tokens, are useless without the code, and are removed on return.
const PENDING_KEY = "pending_sign_in";

function log(line) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toLocaleTimeString()} ${line}`;
  $("log").appendChild(item);
}

function showError(message) {
  // textContent, never innerHTML: server and URL text is never markup here.
  $("error").textContent = message;
  $("error").hidden = false;
  log(`error: ${message}`);
}

function clearError() {
  $("error").textContent = "";
  $("error").hidden = true;
}

function render(user) {
  const signedIn = accessToken !== null;
  $("status").textContent = signedIn ? "signed in" : "signed out";
  $("status").dataset.state = signedIn ? "signed-in" : "signed-out";
  $("signin").disabled = signedIn || config === null;
  $("refresh").disabled = config === null;
  $("signout").disabled = !signedIn;
  $("protected").disabled = !signedIn || !(config && config.protectedPath);
  if (user !== undefined) $("user").textContent = user ? JSON.stringify(user, null, 2) : "—";
  if (!signedIn) $("expires").textContent = "";
}

function base64url(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(byteCount) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

// The redirect URI is this page's own URL: the callback path of this origin.
function redirectURI() {
  return `${location.origin}/callback`;
}

function api(path) {
  return `${config.apiBase || ""}${path}`;
}

// Reads an answer; a problem+json error becomes an Error with "status code: detail".
async function readAnswer(response) {
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const code = body && body.code ? ` ${body.code}` : "";
    const detail = body && (body.detail || body.message) ? `: ${body.detail || body.message}` : "";
    const error = new Error(`${response.status}${code}${detail}`);
    error.status = response.status;
    error.code = body && body.code;
    throw error;
  }
  return body;
}

async function call(path, options = {}) {
  try {
    // credentials "include": the HttpOnly refresh cookie travels by itself (same-site API).
    return await fetch(api(path), { credentials: "include", ...options });
  } catch (error) {
    // A CORS refusal or an unreachable API: fetch gives no answer to read.
    throw new Error(`${path}: no answer (${error.message}); refused by CORS or unreachable`);
  }
}

function tookToken(body) {
  accessToken = body.access_token;
  $("expires").textContent = `(access token in memory, expires in ${body.expires_in} s)`;
}

async function loadUser() {
  const response = await call("/auth/me", { headers: { Authorization: `Bearer ${accessToken}` } });
  const user = await readAnswer(response);
  log(`GET /auth/me: ${user.username}`);
  render(user);
}

async function signIn() {
  clearError();
  // PKCE S256 (RFC 7636) and a random state (CSRF on the redirect, RFC 6749 §10.12).
  const verifier = randomString(32);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = randomString(16);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(config.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectURI(),
    scope: config.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  log("to the managed-login page");
  location.assign(url.toString());
}

// Back from the login page: /callback?code=…&state=… (or ?error=…).
async function completeSignIn(params) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || "null");
  // One use only, whatever happens next; and the code leaves the address bar and history.
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, "", "/");
  if (params.has("error")) {
    throw new Error(`sign-in refused by the login page: ${params.get("error")} ${params.get("error_description") || ""}`);
  }
  // Security: a state we did not send means a forged or replayed redirect (login CSRF): refuse
  // it before the code is used. Constant-time comparison is not needed: the state is not secret
  // from the one who holds this tab.
  if (!pending || params.get("state") !== pending.state) {
    throw new Error("state mismatch: this sign-in was not started by this page; refused");
  }
  // X-Requested-With: the backend makes refresh's CSRF checks on sign-in too (login CSRF: a
  // foreign page's form POST cannot carry it, and a fetch with it needs a CORS preflight).
  const response = await call("/auth/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" },
    body: JSON.stringify({ code: params.get("code"), code_verifier: pending.verifier, redirect_uri: redirectURI() }),
  });
  tookToken(await readAnswer(response));
  log("POST /auth/sign-in: signed in");
  await loadUser();
}

async function refresh({ silent = false } = {}) {
  if (!silent) clearError();
  const response = await call("/auth/refresh", {
    method: "POST",
    // The CSRF header the backend requires: it forces a CORS preflight, which only allowed
    // origins pass.
    headers: { "X-Requested-With": "XMLHttpRequest" },
  });
  try {
    tookToken(await readAnswer(response));
  } catch (error) {
    // No session is the normal signed-out state of a fresh load, not an error.
    if (silent && error.status === 401) {
      accessToken = null;
      render(null);
      return;
    }
    accessToken = null;
    render(null);
    throw error;
  }
  log("POST /auth/refresh: new access token");
  await loadUser();
}

// A route of the team's own API behind the Lambda authorizer: the bearer token is all it needs.
async function callProtected() {
  clearError();
  const response = await call(config.protectedPath, { headers: { Authorization: `Bearer ${accessToken}` } });
  const body = await readAnswer(response);
  $("protected-answer").textContent = JSON.stringify(body, null, 2);
  log(`GET ${config.protectedPath}: ${response.status} as ${body.caller && body.caller.username}`);
}

async function signOut() {
  clearError();
  const headers = { "X-Requested-With": "XMLHttpRequest" };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await call("/auth/logout", { method: "POST", headers });
  const body = await readAnswer(response);
  accessToken = null;
  render(null);
  log(`POST /auth/logout: ${body.message}`);
  if (body.logout_url) {
    // Ends the managed-login session too; the login page sends the browser back here.
    log("to the managed-login logout");
    location.assign(body.logout_url);
  }
}

function guarded(action) {
  return () => action().catch((error) => { render(); showError(error.message); });
}

async function start() {
  // The configuration comes from the page's own origin (the API may be elsewhere: apiBase).
  config = await readAnswer(await fetch("/config.json"));
  $("signin").addEventListener("click", guarded(signIn));
  $("refresh").addEventListener("click", guarded(() => refresh()));
  $("signout").addEventListener("click", guarded(signOut));
  $("protected").addEventListener("click", guarded(callProtected));
  render(null);
  const params = new URLSearchParams(location.search);
  if (params.has("code") || params.has("error") || params.has("state")) {
    await completeSignIn(params);
  } else {
    // A reload forgot the access token: the refresh cookie (if any) gets a new one.
    await refresh({ silent: true });
  }
}

start().catch((error) => { render(); showError(error.message); });
