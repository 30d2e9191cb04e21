# Shared by the bench scripts (sourced): stopping what they started, and the signing key the cached peak tokens need.

# Stops every process in PIDS gracefully and waits for each (a silo stops within its shutdown timeout).
stop_started() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

# Exports the signing key kept in CACHE (minted on first use) with a token lifetime that lets cached rider tokens
# from an earlier run stay valid.
use_cached_signing_key() {
  mkdir -p "$CACHE"
  [[ -s "$CACHE/signing-key" ]] || head -c 48 /dev/urandom | base64 -w0 >"$CACHE/signing-key"
  export Auth__SigningKey="$(cat "$CACHE/signing-key")" Auth__DevTokens=true Auth__TokenLifetime=30.00:00:00
}
