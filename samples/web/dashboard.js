// image-scaler usage dashboard: an admin signs in (locally: the dev issuer's admin token), the page asks
// GET /v1/stats (forwarded to the edge by this page's own origin) three ways - by day, by owner, by format -
// and draws them with Chart.js. Every number on the page comes from those answers; nothing is computed
// here but the flagged share (flagged / uploads) and SR minutes (srMs / 60000).
'use strict';

const TOP_CUSTOMERS = 10;
let token = null;
const charts = {};

function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

function defaultRange() {
  const to = new Date();
  const from = new Date(to.getTime() - 29 * 86400000);
  document.getElementById('from').value = isoDay(from);
  document.getElementById('to').value = isoDay(to);
}

function range() {
  return 'from=' + document.getElementById('from').value + '&to=' + document.getElementById('to').value;
}

async function stats(query) {
  const r = await fetch('/v1/stats?' + query, { headers: { Authorization: 'Bearer ' + token } });
  if (!r.ok) {
    let detail = r.status + '';
    try { detail = (await r.json()).detail || detail; } catch (e) { /* not a problem document */ }
    throw new Error(detail);
  }
  return r;
}

/** Every row of a report, following its pages. */
async function rows(groupBy) {
  let url = 'groupBy=' + groupBy + '&' + range();
  let all = [];
  let report;
  for (let page = 1; page <= 100; page++) {
    report = await (await stats(url + '&page=' + page)).json();
    all = all.concat(report.rows);
    if (!report.next) break;
  }
  return { rows: all, totals: report.totals };
}

function draw(id, config) {
  if (charts[id]) charts[id].destroy();
  // No animation: the page is final as soon as it is drawn (and a screenshot shows the bars).
  config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
  charts[id] = new Chart(document.getElementById(id), config);
}

async function refresh() {
  const error = document.getElementById('error');
  error.textContent = '';
  document.body.dataset.state = 'loading';
  try {
    const [byDay, byOwner, byFormat] = await Promise.all([rows('day'), rows('owner'), rows('format')]);
    const t = byDay.totals;
    document.getElementById('total-uploads').textContent = t.uploads;
    document.getElementById('total-variants').textContent = t.variants;
    document.getElementById('flagged-share').textContent =
        t.uploads === 0 ? '–' : (100 * t.flagged / t.uploads).toFixed(1) + ' %';
    document.getElementById('sr-minutes').textContent = (t.srMs / 60000).toFixed(2);
    document.getElementById('total-deletes').textContent = t.deletes;

    draw('per-day', {
      type: 'bar',
      data: {
        labels: byDay.rows.map(r => r.day),
        datasets: [
          { label: 'uploads', data: byDay.rows.map(r => r.uploads), backgroundColor: '#3366cc' },
          { label: 'variants', data: byDay.rows.map(r => r.variants), backgroundColor: '#ff9900' }
        ]
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    const top = byOwner.rows.slice(0, TOP_CUSTOMERS);   // the API sorts by uploads, then variants
    draw('customers', {
      type: 'bar',
      data: {
        labels: top.map(r => r.owner),
        datasets: [
          { label: 'uploads', data: top.map(r => r.uploads), backgroundColor: '#3366cc' },
          { label: 'variants', data: top.map(r => r.variants), backgroundColor: '#ff9900' }
        ]
      },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    draw('formats', {
      type: 'bar',
      data: {
        labels: byFormat.rows.map(r => r.format),
        datasets: [
          { label: 'uploads', data: byFormat.rows.map(r => r.uploads), backgroundColor: '#3366cc' },
          { label: 'variants', data: byFormat.rows.map(r => r.variants), backgroundColor: '#ff9900' }
        ]
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    document.body.dataset.state = 'ready';
  } catch (e) {
    error.textContent = e.message;
    document.body.dataset.state = 'error';
  }
}

async function downloadCsv() {
  try {
    const r = await stats('groupBy=day&format=csv&' + range());
    const blob = new Blob([await r.text()], { type: 'text/csv' });
    const link = document.getElementById('csv-link');
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(blob);
    link.download = 'image-scaler-usage-' + document.getElementById('from').value + '-'
        + document.getElementById('to').value + '.csv';
    link.click();
  } catch (e) {
    document.getElementById('error').textContent = e.message;
  }
}

document.getElementById('sign-in-admin').addEventListener('click', async () => {
  const r = await fetch('api/dev-token?who=admin');
  if (!r.ok) { document.getElementById('error').textContent = 'no admin dev token: is the local edge running?'; return; }
  token = (await r.text()).trim();
  document.getElementById('who').textContent = 'signed in as the local admin';
  document.getElementById('refresh').disabled = false;
  document.getElementById('csv').disabled = false;
  await refresh();
});
document.getElementById('refresh').addEventListener('click', refresh);
document.getElementById('csv').addEventListener('click', downloadCsv);
defaultRange();
