/**
 * The server's live status page (`GET /`): a self-contained HTML page that
 * polls `GET /status` every second and shows each federation's round,
 * connected clients and last metrics. No script or style from the network.
 */
export function statusPageHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fedkit server</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}h2{margin-top:1.5em}</style>
</head><body><h1>fedkit server</h1><div id="federations">loading…</div>
<script>
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'})[c]);
const fmt = (m) => m ? Object.entries(m).map(([k, v]) => esc(k) + ' ' + (typeof v === 'number' ? v.toFixed(4) : esc(v))).join(', ') : '';
async function refresh() {
  try {
    const s = await (await fetch('status')).json();
    document.getElementById('federations').innerHTML = s.federations.map((f) =>
      '<h2>' + esc(f.name) + '</h2><p>task ' + esc(f.task) + ', ' + esc(f.algorithm) + ' — <b>' + esc(f.state) + '</b>, round ' + f.round + ' of ' + f.rounds + '</p>' +
      (f.last ? '<p>last round: ' + f.last.clients + ' clients; train: ' + fmt(f.last.train) + (f.last.eval ? '; eval: ' + fmt(f.last.eval) : '') + '</p>' : '') +
      '<table><tr><th>session</th><th>name</th><th>runtime</th><th>busy</th><th>connected (s)</th></tr>' +
      f.clients.map((c) => '<tr><td>' + esc(c.session) + '</td><td>' + esc(c.name) + '</td><td>' + esc(c.runtime) + '</td><td>' + (c.busy ? 'training' : 'idle') + '</td><td>' + c.connectedForS + '</td></tr>').join('') +
      '</table>').join('');
  } catch (e) { document.getElementById('federations').textContent = 'server unreachable: ' + e; }
}
refresh(); setInterval(refresh, 1000);
</script></body></html>`;
}
