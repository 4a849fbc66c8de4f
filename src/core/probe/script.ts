/** Generates a self-contained script that probes the same endpoints from a customer's PC (where the
 * extension is not installed) and prints the same table: PowerShell for Windows PowerShell 5.1
 * without modules, or bash. */
import ipaddr from 'ipaddr.js';
import { singleAddress } from './engine';
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
  /** The rule's host as shown in the table (inbound endpoints are probed on a local address). */
  shown: string;
  tls: boolean;
  inbound: boolean;
  /** Inbound: what the detail names as the vendor's sources. */
  note: string;
}

interface StaticRow {
  rule: string;
  host: string;
  advice: string;
}

function plan(targets: ProbeTarget[], sweep: boolean): { endpoints: Endpoint[]; rows: StaticRow[] } {
  const endpoints: Endpoint[] = [];
  const rows: StaticRow[] = [];
  for (const t of targets) {
    const host = t.host.trim();
    if (t.protocol === 'udp') {
      rows.push({ rule: t.rule, host, advice: 'udp: not probed; test it with the application that uses it' });
      continue;
    }
    const tlsPorts = [443, ...(t.tlsPorts ?? [])];
    const ports = portsToProbe(t.ports, sweep, tlsPorts);
    if (t.direction === 'inbound') {
      const address = singleAddress(host);
      const local = address && ipaddr.parse(address).range() === 'loopback' ? address : '127.0.0.1';
      const note = `inbound from ${t.sources?.join(' ') || 'unspecified sources'}`;
      for (const port of ports) endpoints.push({ rule: t.rule, host: local, shown: host, port, tls: false, inbound: true, note });
      continue;
    }
    if (host.startsWith('*')) {
      rows.push({ rule: t.rule, host, advice: 'wildcard: not probeable; probe concrete hostnames under it' });
    } else if (singleAddress(host) === undefined && host.includes('/')) {
      rows.push({ rule: t.rule, host, advice: 'CIDR range: not probed; probe a specific address of it' });
    } else {
      const target = singleAddress(host) ?? host;
      for (const port of ports) {
        endpoints.push({ rule: t.rule, host: target, shown: host, port, tls: tlsPorts.includes(port), inbound: false, note: '' });
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
const psQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;
/** Table cells are tab-separated in the bash script: keep tabs and newlines out of them. */
const cell = (s: string) => s.replace(/[\t\r\n]+/g, ' ');

function bashScript(endpoints: Endpoint[], rows: StaticRow[], timeoutMs: number, concurrency: number): string {
  const seconds = (Math.max(100, timeoutMs) / 1000).toFixed(1);
  const calls = endpoints.map(
    (e, i) =>
      `run ${fileName('b', i)} ${bashQuote(cell(e.rule))} ${bashQuote(cell(e.host))} ${bashQuote(cell(e.shown))} ${e.port} ${e.tls ? 1 : 0} ${e.inbound ? 1 : 0} ${bashQuote(cell(e.note))}`,
  );
  const staticRows = rows.map(
    (r, i) =>
      `printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' ${bashQuote(cell(r.rule))} ${bashQuote(cell(r.host))} '' '' not-probed 0 '' ${bashQuote(cell(r.advice))} > "$OUT/${fileName('a', i)}"`,
  );
  return `#!/usr/bin/env bash
# Firewall Allowlist probe script: tests the allowlist's endpoints from this machine and prints a
# table (rule, host, address, port, state, ms, TLS issuer, advice). Generated; do not edit.
# Needs bash 4.3+, timeout (coreutils) and getent; uses openssl, when installed, to read TLS issuers.
set -u
TIMEOUT=${seconds}   # seconds per connect attempt
PARALLEL=${concurrency}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

if ! command -v timeout >/dev/null 2>&1; then
  if command -v gtimeout >/dev/null 2>&1; then timeout() { gtimeout "$@"; }; else
    echo "this script needs 'timeout' (GNU coreutils)" >&2; exit 2; fi
fi
HAVE_OPENSSL=0; command -v openssl >/dev/null 2>&1 && HAVE_OPENSSL=1

now_ms() {
  if [ -n "\${EPOCHREALTIME:-}" ]; then local t=\${EPOCHREALTIME/[.,]/}; echo $((10#$t / 1000)); else date +%s%3N; fi
}

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
    listening) echo "the service listens; ask the vendor to test from their side" ;;
    not-listening) echo "nothing listens on $3:$4: start the service before the vendor tests" ;;
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

# Probes every address of host at port; writes tab-separated rows to $OUT/<n>.
run() {
  local n=$1 rule=$2 host=$3 shown=$4 port=$5 tls=$6 inbound=$7 note=$8 addrs a r state ms adv tlsname
  addrs=$(resolve "$host")
  if [ -z "$addrs" ]; then
    printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$rule" "$shown" "" "$port" dns-error 0 "" "$(advice dns-error "$host")" > "$OUT/$n"
    return
  fi
  for a in $addrs; do
    tlsname=""
    r=$(attempt "$a" "$port")
    [ "\${r% *}" = filtered ] && r=$(attempt "$a" "$port")   # no answer: try once more
    state=\${r% *}; ms=\${r#* }
    if [ "$inbound" = 1 ]; then
      [ "$state" = open ] && state=listening || state=not-listening
    elif [ "$state" = open ] && [ "$tls" = 1 ]; then
      tlsname=$(issuer "$a" "$port" "$host")
    fi
    adv=$(advice "$state" "$host" "$a" "$port")
    case "$tlsname" in
      *"(inspection?)") adv="TLS is intercepted: exempt $host from TLS inspection" ;;
      "(no TLS"*) adv="the firewall may filter by SNI: allow $host in its URL/SNI filter" ;;
    esac
    printf '%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' "$rule" "$shown" "$a" "$port" "$state" "$ms" "$tlsname" "$adv\${note:+ ($note)}"
  done > "$OUT/$n"
}

throttle() { while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do wait -n 2>/dev/null || true; done; }

${staticRows.join('\n')}
${calls.map((c) => `throttle; ${c} &`).join('\n')}
wait

{
  printf 'rule\\thost\\taddress\\tport\\tstate\\tms\\tTLS issuer\\tadvice\\n'
  cat "$OUT"/* 2>/dev/null
} | awk -F '\\t' '
  { n++; for (i = 1; i <= NF; i++) { cell[n, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
  END {
    for (r = 1; r <= n; r++) {
      line = ""
      for (i = 1; i < 8; i++) line = line sprintf("%-" w[i] "s  ", cell[r, i])
      print line cell[r, 8]
    }
  }'
`;
}

function powershellScript(endpoints: Endpoint[], rows: StaticRow[], timeoutMs: number, concurrency: number): string {
  const eps = endpoints.map(
    (e) =>
      `  @{ Rule = ${psQuote(e.rule)}; Host = ${psQuote(e.host)}; Shown = ${psQuote(e.shown)}; Port = ${e.port}; Tls = $${e.tls}; Inbound = $${e.inbound}; Note = ${psQuote(e.note)} }`,
  );
  const statics = rows.map(
    (r) =>
      `  [pscustomobject]@{ Rule = ${psQuote(r.rule)}; Host = ${psQuote(r.host)}; Address = ''; Port = ''; State = 'not-probed'; Ms = 0; 'TLS issuer' = ''; Advice = ${psQuote(r.advice)} }`,
  );
  return `# Firewall Allowlist probe script: tests the allowlist's endpoints from this machine and prints a
# table (rule, host, address, port, state, ms, TLS issuer, advice). Generated; do not edit.
# Runs on Windows PowerShell 5.1 or PowerShell 7, without modules:
#   powershell -ExecutionPolicy Bypass -File probe.ps1
$TimeoutMs = ${timeoutMs}
$Parallel = ${concurrency}

$Endpoints = @(
${eps.join(',\n')}
)
$NotProbed = @(
${statics.join(',\n')}
)

# Probes every address of one endpoint; runs in a runspace of the pool below.
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

  # TLS issuer with SNI; "(inspection?)" when the chain does not build to a trusted root.
  function Get-TlsIssuer($Client, $ServerName) {
    try {
      $stream = $Client.GetStream()
      $stream.ReadTimeout = $TimeoutMs
      $stream.WriteTimeout = $TimeoutMs
      $ssl = New-Object System.Net.Security.SslStream($stream, $false, ({ $true } -as [System.Net.Security.RemoteCertificateValidationCallback]))
      $ssl.AuthenticateAsClient($ServerName)
      $cert = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($ssl.RemoteCertificate)
      $issuer = $cert.GetNameInfo([System.Security.Cryptography.X509Certificates.X509NameType]::SimpleName, $true)
      $chain = New-Object System.Security.Cryptography.X509Certificates.X509Chain
      $trusted = $chain.Build($cert)
      $ssl.Dispose()
      if ($trusted) { return $issuer } else { return "$issuer (inspection?)" }
    } catch {
      return '(no TLS: reset? SNI filter?)'
    }
  }

  function Get-Advice($State, $Address, $Port) {
    switch ($State) {
      'open' { 'reachable' }
      'closed' { "$($Address):$Port answered but nothing accepts connections: check the port and the service" }
      'filtered' { "a firewall drops traffic to $($Address):$($Port): ask for the rule to be opened" }
      'unreachable' { "no route to $($Address): check routing/VPN or a firewall that rejects" }
      'listening' { 'the service listens; ask the vendor to test from their side' }
      'not-listening' { "nothing listens on $($Address):$($Port): start the service before the vendor tests" }
    }
  }

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
    return [pscustomobject]@{ Rule = $Ep.Rule; Host = $Ep.Shown; Address = ''; Port = $Ep.Port; State = 'dns-error'; Ms = 0; 'TLS issuer' = ''; Advice = "$($Ep.Host) $why" }
  }
  foreach ($address in $addresses) {
    $r = Connect-Once $address $Ep.Port
    if ($r.State -eq 'filtered') { $r = Connect-Once $address $Ep.Port }  # no answer: try once more
    $state = $r.State
    $issuer = ''
    if ($Ep.Inbound) { $state = if ($state -eq 'open') { 'listening' } else { 'not-listening' } }
    elseif ($state -eq 'open' -and $Ep.Tls) { $issuer = Get-TlsIssuer $r.Client $Ep.Host }
    if ($r.Client) { $r.Client.Close() }
    $advice = Get-Advice $state $address $Ep.Port
    if ($Ep.Note) { $advice = "$advice ($($Ep.Note))" }
    [pscustomobject]@{ Rule = $Ep.Rule; Host = $Ep.Shown; Address = [string]$address; Port = $Ep.Port; State = $state; Ms = $r.Ms; 'TLS issuer' = $issuer; Advice = $advice }
  }
}

$pool = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspacePool(1, $Parallel)
$pool.Open()
$jobs = foreach ($ep in $Endpoints) {
  $ps = [System.Management.Automation.PowerShell]::Create()
  $ps.RunspacePool = $pool
  [void]$ps.AddScript($ProbeEndpoint).AddArgument($ep).AddArgument($TimeoutMs)
  @{ Shell = $ps; Handle = $ps.BeginInvoke() }
}
$results = @(foreach ($job in $jobs) { $job.Shell.EndInvoke($job.Handle); $job.Shell.Dispose() })
$pool.Close()

@($NotProbed) + $results |
  Format-Table Rule, Host, Address, Port, State, Ms, 'TLS issuer', Advice -AutoSize |
  Out-String -Width 4096 |
  Write-Output
`;
}
