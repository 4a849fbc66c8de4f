/** Generates a self-contained script that probes the same endpoints from a customer's PC (where the
 * extension is not installed) and prints the same table: PowerShell for Windows PowerShell 5.1
 * without modules, or bash. */
import { psQuote, visible } from '../common';
import { singleAddress, unprobeableKind } from './address';
import { noneProbeable } from './format';
import { portsToProbe } from './ports';
import type { ProbeTarget } from './types';

export interface ProbeScriptOptions {
  shell: 'powershell' | 'bash';
  /** Per connect attempt (and TLS handshake). Default 3000. */
  timeoutMs?: number;
  /** Every port of each range instead of a sample. Default false. */
  sweep?: boolean;
  /** Connections in flight at once. Default 32. */
  concurrency?: number;
}

interface Endpoint {
  rule: string;
  host: string;
  port: number;
  /** The rule's host as shown in the table (an IP target is probed on its canonical address). */
  shown: string;
  tls: boolean;
  inbound: boolean;
  /** Counts for the exit status and the summary (`required: false` endpoints never fail the run). */
  required: boolean;
  /** Inbound: what the advice names as the sources (the vendor's, from its catalog, or the rule's `from`). */
  note: string;
}

interface StaticRow {
  rule: string;
  host: string;
  advice: string;
}

/** "Helpdesk Buttons connects from 34.202.14.153 3.209.57.193", as the inbound rows name the sources; a rule
 * without a vendor's published sources: "sources 198.51.100.0/24" (its own `from`). */
function inboundNote(t: ProbeTarget): string {
  if (!t.sources?.length) return t.sourcesOf ? `${t.sourcesOf} sources unspecified` : 'sources unspecified';
  return t.sourcesOf ? `${t.sourcesOf} connects from ${t.sources.join(' ')}` : `sources ${t.sources.join(' ')}`;
}

function plan(targets: ProbeTarget[], sweep: boolean): { endpoints: Endpoint[]; rows: StaticRow[] } {
  const endpoints: Endpoint[] = [];
  const rows: StaticRow[] = [];
  for (const given of targets) {
    // The script prints rule names, hosts and sources on the customer's terminal, and its text is read too: all
    // visible (a host with control characters cannot resolve either way). Tabs and line breaks go with them, so
    // the bash script's tab-separated table keeps its cells.
    const t = { ...given, rule: visible(given.rule), sources: given.sources?.map(visible), sourcesOf: given.sourcesOf === undefined ? undefined : visible(given.sourcesOf) };
    const host = visible(t.host.trim());
    const inbound = t.direction === 'inbound';
    const note = inbound ? inboundNote(t) : '';
    if (t.protocol === 'udp') {
      rows.push({ rule: t.rule, host, advice: `udp: not probed; test it with the application that uses it${note ? ` (${note})` : ''}` });
      continue;
    }
    const tlsPorts = [443, ...(t.tlsPorts ?? [])];
    const ports = portsToProbe(t.ports, sweep, tlsPorts);
    const kind = unprobeableKind(host);
    if (inbound && kind) {
      const what = kind === 'any' ? 'to: any is every address' : kind === 'wildcard' ? 'a wildcard' : 'a range of addresses';
      rows.push({ rule: t.rule, host, advice: `inbound: cannot be tested: ${what}, not the service the sources connect to; put that service's address in to: (${note})` });
    } else if (kind === 'any') {
      rows.push({ rule: t.rule, host, advice: 'any: every address, not an endpoint; name the hosts and probe those' });
    } else if (kind === 'wildcard') {
      rows.push({ rule: t.rule, host, advice: 'wildcard: not probeable; probe concrete hostnames under it' });
    } else if (kind === 'cidr') {
      rows.push({ rule: t.rule, host, advice: 'CIDR range: not probed; probe a specific address of it' });
    } else if (ports.length === 0) {
      rows.push({ rule: t.rule, host, advice: 'no ports to probe: give the rule its ports' });
    } else {
      // Inbound: the rule's own `to` (resolved when a name) must accept connections; the sources' side cannot be tested.
      const target = singleAddress(host) ?? host;
      const required = t.required ?? true;
      for (const port of ports) {
        endpoints.push({ rule: t.rule, host: target, shown: host, port, tls: !inbound && tlsPorts.includes(port), inbound, required, note });
      }
    }
  }
  return { endpoints, rows };
}

export function probeScript(targets: ProbeTarget[], opts: ProbeScriptOptions): string {
  const { endpoints, rows } = plan(targets, opts.sweep ?? false);
  const timeoutMs = opts.timeoutMs ?? 3000;
  const concurrency = opts.concurrency ?? 32;
  return opts.shell === 'bash'
    ? bashScript(endpoints, rows, timeoutMs, concurrency)
    : powershellScript(endpoints, rows, timeoutMs, concurrency);
}

/** Result files sort in generation order: not-probed rows (a…) first, then endpoints (b…). */
const fileName = (prefix: string, i: number) => `${prefix}${String(i).padStart(6, '0')}`;
const bashQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bashScript(endpoints: Endpoint[], rows: StaticRow[], timeoutMs: number, concurrency: number): string {
  const seconds = (Math.max(100, timeoutMs) / 1000).toFixed(1);
  const calls = endpoints.map(
    (e, i) =>
      `run ${fileName('b', i)} ${bashQuote(e.rule)} ${bashQuote(e.host)} ${bashQuote(e.shown)} ${e.port} ${e.tls ? 1 : 0} ${e.inbound ? 1 : 0} ${bashQuote(e.note)} ${e.required ? 1 : 0}`,
  );
  const staticRows = rows.map(
    (r, i) =>
      `printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' ${bashQuote(r.rule)} ${bashQuote(r.host)} '' '' not-probed 0 '' ${bashQuote(r.advice)} > "$ROWS/${fileName('a', i)}"`,
  );
  return `#!/usr/bin/env bash
# Firewall Allowlist probe script: tests the allowlist's endpoints from this machine and prints a
# table (rule, host, address, port, state, ms, TLS issuer, advice), then a summary. Generated; do not edit.
# Exit status: 0 when every required endpoint is reachable, 1 when one is not (as \`allowlist probe\`).
# Needs bash 4.3+, timeout (coreutils) and getent; uses openssl, when installed, to read TLS issuers.
set -u
TIMEOUT=${seconds}   # seconds per connect attempt
PARALLEL=${concurrency}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
ROWS="$OUT/rows"     # one file of table rows per endpoint
FAILS="$OUT/fails"   # one line per required endpoint that is not reachable
mkdir -p "$ROWS" "$FAILS"

if ! command -v timeout >/dev/null 2>&1; then
  if command -v gtimeout >/dev/null 2>&1; then timeout() { gtimeout "$@"; }; else
    echo "this script needs 'timeout' (GNU coreutils)" >&2; exit 2; fi
fi
HAVE_OPENSSL=0; command -v openssl >/dev/null 2>&1 && HAVE_OPENSSL=1

now_ms() {
  if [ -n "\${EPOCHREALTIME:-}" ]; then local t=\${EPOCHREALTIME/[.,]/}; echo $((10#$t / 1000)); else date +%s%3N; fi
}
STARTED=$(now_ms)

# Addresses of a host: itself when it is an IP, else every address getent finds (A and AAAA).
resolve() {
  case "$1" in
    *:*|[0-9]*.[0-9]*.[0-9]*.[0-9]*) echo "$1" ;;
    *) getent ahosts "$1" 2>/dev/null | awk '!seen[$1]++ { print $1 }' ;;
  esac
}

# One connect attempt; prints "state ms". A time-out means no answer: filtered.
attempt() {
  local start err rc state
  start=$(now_ms)
  err=$(timeout "$TIMEOUT" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>&1); rc=$?
  if [ $rc -eq 0 ]; then state=open
  elif [ $rc -eq 124 ]; then state=filtered
  else
    case "$err" in
      *refused*) state=closed ;;
      *nreachable*|*"No route"*) state=unreachable ;;
      *) state=closed ;;
    esac
  fi
  echo "$state $(( $(now_ms) - start ))"
}

advice() { # state host address port
  case "$1" in
    open) echo "reachable" ;;
    closed) echo "$3:$4 answered but nothing accepts connections: check the port and the service" ;;
    filtered) echo "a firewall drops traffic to $3:$4: ask for the rule to be opened" ;;
    unreachable) echo "no route to $3: check routing/VPN or a firewall that rejects" ;;
    dns-error) echo "$2 does not resolve: check its spelling and this machine's DNS" ;;
  esac
}

# Inbound: the rule's own address must accept connections; the sources' side cannot be tested from here.
inbound_advice() { # connect-state address port
  case "$1" in
    open) echo "the service listens; test it from one of the sources" ;;
    closed) echo "nothing listens on $2:$3: start the service before it is tested from the sources" ;;
    filtered) echo "no answer from $2:$3: the service is down or a firewall drops the traffic; probe from inside the site's network" ;;
    *) echo "no route to $2 from this machine: probe from inside the site's network" ;;
  esac
}

# TLS issuer of address:port with SNI host; "(inspection?)" when the chain does not verify.
issuer() {
  [ "$HAVE_OPENSSL" = 1 ] || { echo "(openssl missing)"; return; }
  local a=$1 out name
  case "$a" in *:*) a="[$a]" ;; esac
  out=$(timeout "$TIMEOUT" openssl s_client -connect "$a:$2" -servername "$3" </dev/null 2>&1)
  name=$(printf '%s\\n' "$out" | openssl x509 -noout -issuer 2>/dev/null | sed -e 's/^issuer= *//' -e 's/.*CN *= *\\([^,]*\\).*/\\1/')
  if [ -z "$name" ]; then echo "(no TLS: reset? SNI filter?)"
  elif printf '%s\\n' "$out" | grep -q 'Verify return code: 0 '; then echo "$name"
  else echo "$name (inspection?)"; fi
}

# Probes every address of host at port; writes tab-separated rows to $ROWS/<n>, and when the endpoint is
# required and none of its addresses is reachable (open without suspected TLS inspection or SNI
# filtering, or listening), "rule<TAB>host<TAB>port<TAB>address<TAB>reason<TAB>advice" to $FAILS/<n>.
run() {
  local n=$1 rule=$2 host=$3 shown=$4 port=$5 tls=$6 inbound=$7 note=$8 required=$9
  local addrs a r state ms adv tlsname reason ok=0 first=""
  addrs=$(resolve "$host")
  if [ -z "$addrs" ]; then
    adv="$(advice dns-error "$host")\${note:+ ($note)}"
    printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$rule" "$shown" "" "$port" dns-error 0 "" "$adv" > "$ROWS/$n"
    [ "$required" = 1 ] && printf '%s\\t%s\\t%s\\t\\t%s\\t%s\\n' "$rule" "$shown" "$port" dns-error "$adv" > "$FAILS/$n"
    return
  fi
  for a in $addrs; do
    tlsname=""
    r=$(attempt "$a" "$port")
    [ "\${r% *}" = filtered ] && r=$(attempt "$a" "$port")   # no answer: try once more
    state=\${r% *}; ms=\${r#* }
    if [ "$inbound" = 1 ]; then
      adv=$(inbound_advice "$state" "$a" "$port")
      [ "$state" = open ] && state=listening || state=not-listening
    else
      [ "$state" = open ] && [ "$tls" = 1 ] && tlsname=$(issuer "$a" "$port" "$host")
      adv=$(advice "$state" "$host" "$a" "$port")
    fi
    reason=$state
    case "$tlsname" in
      *"(inspection?)") adv="TLS is intercepted: exempt $host from TLS inspection"; reason="TLS inspection suspected" ;;
      "(no TLS"*) adv="the firewall may filter by SNI: allow $host in its URL/SNI filter"; reason="SNI filtering suspected" ;;
    esac
    adv="$adv\${note:+ ($note)}"
    case "$reason" in open|listening) ok=1 ;; esac
    [ -z "$first" ] && first="$a"$'\\t'"$reason"$'\\t'"$adv"
    printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$rule" "$shown" "$a" "$port" "$state" "$ms" "$tlsname" "$adv"
  done > "$ROWS/$n"
  if [ "$required" = 1 ] && [ "$ok" = 0 ]; then printf '%s\\t%s\\t%s\\t%s\\n' "$rule" "$shown" "$port" "$first" > "$FAILS/$n"; fi
}

throttle() { while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n 2>/dev/null || true; done; }

# A folder's files in name order, one after another: \`cat "$ROWS"/*\` would pass every name at once, over the
# system's limit on arguments for a sweep (65,535 files).
cat_all() { find "$1" -type f | sort | xargs cat; }

${staticRows.join('\n')}
${calls.map((c) => `throttle; ${c} &`).join('\n')}
wait

{
  printf 'rule\\thost\\taddress\\tport\\tstate\\tms\\tTLS issuer\\tadvice\\n'
  cat_all "$ROWS"
} | awk -F '\\t' '
  { n++; for (i = 1; i <= NF; i++) { cell[n, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
  END {
    for (r = 1; r <= n; r++) {
      line = ""
      for (i = 1; i < 8; i++) line = line sprintf("%-" w[i] "s  ", cell[r, i])
      print line cell[r, 8]
    }
  }'

# The verdict, as \`allowlist probe\` prints it.
PROBES=$(cat_all "$ROWS" | wc -l | tr -d ' ')
ELAPSED=$(( $(now_ms) - STARTED ))
if [ -n "$(ls -A "$FAILS")" ]; then
  echo
  # Consecutive ports of one rule and host that failed alike (same reason, same advice but for the port) are one range.
  cat_all "$FAILS" | awk -F '\\t' '
    function template(i,  key, at) { key = addr[i] ":" port[i]; at = index(adv[i], key); return at ? substr(adv[i], 1, at - 1) addr[i] ":\\001" substr(adv[i], at + length(key)) : adv[i] }
    function fill(text, ports,  at) { at = index(text, "\\001"); return at ? substr(text, 1, at - 1) ports substr(text, at + 1) : text }
    { rule[NR] = $1; host[NR] = $2; port[NR] = $3; addr[NR] = $4; why[NR] = $5; adv[NR] = $6 }
    END {
      for (i = 1; i <= NR; i++) {
        if (g && rule[i] == rule[last] && host[i] == host[last] && why[i] == why[last] && port[i] == port[last] + 1 && template(i) == template(last)) { to[g] = port[i] }
        else { g++; from[g] = i; to[g] = port[i] }
        last = i
      }
      line = NR " required endpoint(s) not reachable: "
      for (k = 1; k <= g; k++) {
        i = from[k]; ports = to[k] == port[i] ? port[i] : port[i] "-" to[k]
        label[k] = rule[i] " " host[i] ":" ports; text[k] = why[i] ": " fill(template(i), ports)
        line = line (k > 1 ? ", " : "") label[k]
      }
      print line
      for (k = 1; k <= g; k++) print "  " label[k] ": " text[k]
    }'
  exit 1
fi
echo
${endpoints.length === 0 ? `echo ${bashQuote(noneProbeable(rows.length))}
exit 1` : 'echo "all required endpoints reachable ($PROBES probes in $ELAPSED ms)"'}
`;
}

function powershellScript(endpoints: Endpoint[], rows: StaticRow[], timeoutMs: number, concurrency: number): string {
  const eps = endpoints.map(
    (e) =>
      `  @{ Rule = ${psQuote(e.rule)}; Host = ${psQuote(e.host)}; Shown = ${psQuote(e.shown)}; Port = ${e.port}; Tls = $${e.tls}; Inbound = $${e.inbound}; Required = $${e.required}; Note = ${psQuote(e.note)} }`,
  );
  const statics = rows.map(
    (r) =>
      `  [pscustomobject]@{ Rule = ${psQuote(r.rule)}; Host = ${psQuote(r.host)}; Address = ''; Port = ''; State = 'not-probed'; Ms = 0; 'TLS issuer' = ''; Advice = ${psQuote(r.advice)} }`,
  );
  return `# Firewall Allowlist probe script: tests the allowlist's endpoints from this machine and prints a
# table (rule, host, address, port, state, ms, TLS issuer, advice), then a summary. Generated; do not edit.
# Exit status: 0 when every required endpoint is reachable, 1 when one is not (as \`allowlist probe\`).
# Runs on Windows PowerShell 5.1 or PowerShell 7, without modules:
#   powershell -ExecutionPolicy Bypass -File probe.ps1
$TimeoutMs = ${timeoutMs}
$Parallel = ${concurrency}
$Started = [System.Diagnostics.Stopwatch]::StartNew()

$Endpoints = @(
${eps.join(',\n')}
)
$NotProbed = @(
${statics.join(',\n')}
)

# Probes every address of one endpoint; runs in a runspace of the pool below. Each row says whether the
# address counts as reachable (Ok): open without suspected TLS inspection or SNI filtering, or listening.
$ProbeEndpoint = {
  param($Ep, $TimeoutMs)

  function Connect-Once($Address, $Port) {
    $client = New-Object System.Net.Sockets.TcpClient($Address.AddressFamily)
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try {
      $pending = $client.BeginConnect($Address, $Port, $null, $null)
      if (-not $pending.AsyncWaitHandle.WaitOne($TimeoutMs)) {
        $client.Close()
        return @{ State = 'filtered'; Ms = $watch.ElapsedMilliseconds; Client = $null }
      }
      $client.EndConnect($pending)
      return @{ State = 'open'; Ms = $watch.ElapsedMilliseconds; Client = $client }
    } catch {
      $client.Close()
      $code = ''
      $e = $_.Exception
      while ($e) { if ($e -is [System.Net.Sockets.SocketException]) { $code = [string]$e.SocketErrorCode; break }; $e = $e.InnerException }
      $state = switch ($code) {
        'ConnectionRefused' { 'closed' }
        'TimedOut' { 'filtered' }
        'HostUnreachable' { 'unreachable' }
        'NetworkUnreachable' { 'unreachable' }
        default { 'unreachable' }
      }
      return @{ State = $state; Ms = $watch.ElapsedMilliseconds; Client = $null }
    }
  }

  # TLS 1.2 by name: Windows PowerShell 5.1's SslStream default can be SSL 3/TLS 1.0 only, which TLS 1.2-only
  # servers refuse. TLS 1.3 too where this .NET knows it (the name is looked up, so 5.1 on an older .NET still runs).
  $Tls12 = [System.Security.Authentication.SslProtocols]::Tls12
  $TlsProtocols = $Tls12
  if ([System.Enum]::GetNames([System.Security.Authentication.SslProtocols]) -contains 'Tls13') {
    $TlsProtocols = [System.Security.Authentication.SslProtocols]([int]$Tls12 -bor [int]([System.Security.Authentication.SslProtocols]'Tls13'))
  }

  function Invoke-Tls($Client, $ServerName, $Protocols) {
    $stream = $Client.GetStream()
    $stream.ReadTimeout = $TimeoutMs
    $stream.WriteTimeout = $TimeoutMs
    $ssl = New-Object System.Net.Security.SslStream($stream, $false, ({ $true } -as [System.Net.Security.RemoteCertificateValidationCallback]))
    try {
      $ssl.AuthenticateAsClient($ServerName, $null, $Protocols, $false)
      $cert = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($ssl.RemoteCertificate)
      $issuer = $cert.GetNameInfo([System.Security.Cryptography.X509Certificates.X509NameType]::SimpleName, $true)
      $chain = New-Object System.Security.Cryptography.X509Certificates.X509Chain
      if ($chain.Build($cert)) { return $issuer } else { return "$issuer (inspection?)" }
    } finally {
      $ssl.Dispose()
    }
  }

  # TLS issuer with SNI; "(inspection?)" when the chain does not build to a trusted root.
  function Get-TlsIssuer($Address, $Port, $Client, $ServerName) {
    $failed = '(no TLS: reset? SNI filter?)'
    try {
      return Invoke-Tls $Client $ServerName $TlsProtocols
    } catch {
      if ($TlsProtocols -eq $Tls12) { return $failed }
      # Refused before anything was sent (this Windows has no TLS 1.3): once more on a new connection, TLS 1.2 only.
      $local = $false
      $e = $_.Exception
      while ($e) {
        if (($e -is [System.ComponentModel.Win32Exception] -and -not ($e -is [System.Net.Sockets.SocketException])) -or $e -is [System.NotSupportedException] -or $e -is [System.ArgumentException]) { $local = $true; break }
        $e = $e.InnerException
      }
      if (-not $local) { return $failed }
      $again = Connect-Once $Address $Port
      if (-not $again.Client) { return $failed }
      try { return Invoke-Tls $again.Client $ServerName $Tls12 } catch { return $failed } finally { $again.Client.Close() }
    }
  }

  function Get-Advice($State, $Address, $Port) {
    switch ($State) {
      'open' { 'reachable' }
      'closed' { "$($Address):$Port answered but nothing accepts connections: check the port and the service" }
      'filtered' { "a firewall drops traffic to $($Address):$($Port): ask for the rule to be opened" }
      'unreachable' { "no route to $($Address): check routing/VPN or a firewall that rejects" }
    }
  }

  # Inbound: the rule's own address must accept connections; the sources' side cannot be tested from here.
  function Get-InboundAdvice($State, $Address, $Port) {
    switch ($State) {
      'open' { 'the service listens; test it from one of the sources' }
      'closed' { "nothing listens on $($Address):$($Port): start the service before it is tested from the sources" }
      'filtered' { "no answer from $($Address):$($Port): the service is down or a firewall drops the traffic; probe from inside the site's network" }
      default { "no route to $($Address) from this machine: probe from inside the site's network" }
    }
  }

  $label = "$($Ep.Rule) $($Ep.Shown):$($Ep.Port)"
  try {
    $addresses = [System.Net.Dns]::GetHostAddresses($Ep.Host)
  } catch {
    $why = 'does not resolve'
    $e = $_.Exception
    while ($e) {
      if ($e -is [System.Net.Sockets.SocketException]) {
        $why = switch ([string]$e.SocketErrorCode) {
          'HostNotFound' { 'does not exist (NXDOMAIN)' }
          'TryAgain' { 'got no DNS answer (SERVFAIL or time-out)' }
          'NoData' { 'has no address records' }
          default { "does not resolve ($($e.SocketErrorCode))" }
        }
        break
      }
      $e = $e.InnerException
    }
    $advice = "$($Ep.Host) $why"
    if ($Ep.Note) { $advice = "$advice ($($Ep.Note))" }
    return [pscustomobject]@{ Rule = $Ep.Rule; Host = $Ep.Shown; Address = ''; Port = $Ep.Port; State = 'dns-error'; Ms = 0; 'TLS issuer' = ''; Advice = $advice; Ok = $false; Reason = 'dns-error'; Label = $label }
  }
  foreach ($address in $addresses) {
    $r = Connect-Once $address $Ep.Port
    if ($r.State -eq 'filtered') { $r = Connect-Once $address $Ep.Port }  # no answer: try once more
    $state = $r.State
    $issuer = ''
    if ($Ep.Inbound) {
      $advice = Get-InboundAdvice $state $address $Ep.Port
      $state = if ($state -eq 'open') { 'listening' } else { 'not-listening' }
    } else {
      if ($state -eq 'open' -and $Ep.Tls) { $issuer = Get-TlsIssuer $address $Ep.Port $r.Client $Ep.Host }
      $advice = Get-Advice $state $address $Ep.Port
    }
    if ($r.Client) { $r.Client.Close() }
    $reason = $state
    if ($issuer.EndsWith('(inspection?)')) { $advice = "TLS is intercepted: exempt $($Ep.Host) from TLS inspection"; $reason = 'TLS inspection suspected' }
    elseif ($issuer.StartsWith('(no TLS')) { $advice = "the firewall may filter by SNI: allow $($Ep.Host) in its URL/SNI filter"; $reason = 'SNI filtering suspected' }
    if ($Ep.Note) { $advice = "$advice ($($Ep.Note))" }
    $ok = ($reason -eq 'open') -or ($reason -eq 'listening')
    [pscustomobject]@{ Rule = $Ep.Rule; Host = $Ep.Shown; Address = [string]$address; Port = $Ep.Port; State = $state; Ms = $r.Ms; 'TLS issuer' = $issuer; Advice = $advice; Ok = $ok; Reason = $reason; Label = $label }
  }
}

$pool = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspacePool(1, $Parallel)
$pool.Open()
$jobs = foreach ($ep in $Endpoints) {
  $ps = [System.Management.Automation.PowerShell]::Create()
  $ps.RunspacePool = $pool
  [void]$ps.AddScript($ProbeEndpoint).AddArgument($ep).AddArgument($TimeoutMs)
  @{ Shell = $ps; Handle = $ps.BeginInvoke(); Ep = $ep }
}
$results = @()
$failed = @()
foreach ($job in $jobs) {
  $rows = @($job.Shell.EndInvoke($job.Handle))
  $job.Shell.Dispose()
  $results += $rows
  # A required endpoint fails when none of its addresses is reachable.
  if ($job.Ep.Required -and -not @($rows | Where-Object { $_.Ok }).Count) { $failed += $rows[0] }
}
$pool.Close()

@($NotProbed) + $results |
  Format-Table Rule, Host, Address, Port, State, Ms, 'TLS issuer', Advice -AutoSize |
  Out-String -Width 4096 |
  Write-Output

# The verdict, as \`allowlist probe\` prints it.
if ($failed.Count -gt 0) {
  # Consecutive ports of one rule and host that failed alike (same reason, same advice but for the port) are one range.
  $Mark = [string][char]1
  $groups = New-Object System.Collections.ArrayList
  foreach ($f in $failed) {
    $template = $f.Advice
    if ($f.Address) { $template = $template.Replace("$($f.Address):$($f.Port)", "$($f.Address):$Mark") }
    $last = if ($groups.Count -gt 0) { $groups[$groups.Count - 1] } else { $null }
    if ($last -and $last.Rule -ceq $f.Rule -and $last.Host -ceq $f.Host -and $last.Reason -ceq $f.Reason -and $last.Template -ceq $template -and [int]$f.Port -eq $last.To + 1) {
      $last.To = [int]$f.Port
    } else {
      [void]$groups.Add(@{ Rule = $f.Rule; Host = $f.Host; Reason = $f.Reason; Template = $template; From = [int]$f.Port; To = [int]$f.Port })
    }
  }
  $lines = @(foreach ($g in $groups) {
    $ports = if ($g.To -gt $g.From) { "$($g.From)-$($g.To)" } else { "$($g.From)" }
    @{ Label = "$($g.Rule) $($g.Host):$ports"; Text = "$($g.Reason): $($g.Template.Replace($Mark, $ports))" }
  })
  Write-Output "$($failed.Count) required endpoint(s) not reachable: $(($lines | ForEach-Object { $_.Label }) -join ', ')"
  foreach ($l in $lines) { Write-Output "  $($l.Label): $($l.Text)" }
  exit 1
}
${endpoints.length === 0 ? `Write-Output ${psQuote(noneProbeable(rows.length))}
exit 1` : 'Write-Output "all required endpoints reachable ($(@($NotProbed).Count + $results.Count) probes in $($Started.ElapsedMilliseconds) ms)"\nexit 0'}
`;
}

/** The bytes of a probe script file: PowerShell with CRLF line ends and a UTF-8 byte order mark, without
 * which Windows PowerShell 5.1 reads the file as ANSI and mangles non-ASCII names; bash as it is. */
export function probeScriptFile(script: string, shell: 'powershell' | 'bash'): Buffer {
  if (shell === 'bash') return Buffer.from(script, 'utf8');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(script.replace(/\r?\n/g, '\r\n'), 'utf8')]);
}
