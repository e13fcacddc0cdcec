// image-scaler web sample, jobs: submit POST /v1/images/{id}/jobs, then poll GET /v1/jobs/{jobId} until the
// job's status is final, listing every status it passed and, once processed, the signed links to its results.
'use strict';

const POLL_MS = 1000;
const GIVE_UP_MS = 10 * 60 * 1000;
const FINAL = ['DELIVERED', 'NOT_DELIVERED', 'FAILED'];

let token = sessionStorage.getItem('token');
const $ = id => document.getElementById(id);

function showSignedIn() {
  $('who').textContent = token ? 'signed in' : 'not signed in';
  $('submit-job').disabled = !token;
}

$('use-dev-token').addEventListener('click', async () => {
  const r = await fetch('api/dev-token');
  if (!r.ok) { alert('no dev token: is the local edge running with the same data dir?'); return; }
  token = (await r.text()).trim();
  sessionStorage.setItem('token', token);
  showSignedIn();
});

async function problemText(answer) {
  const text = await answer.text();
  try {
    const p = JSON.parse(text);
    return p.title + ': ' + p.detail;
  } catch (e) {
    return 'HTTP ' + answer.status;
  }
}

function show(job) {
  $('job-id').textContent = job.jobId;
  $('job-status').textContent = job.status;
  $('job-reason').textContent = job.reason ? '(' + job.reason + ')' : '';
  const history = $('job-history');
  const last = history.lastElementChild;
  if (!last || last.dataset.status !== job.status) {
    const li = document.createElement('li');
    li.dataset.status = job.status;
    li.textContent = job.status + ' at ' + new Date().toLocaleTimeString();
    history.appendChild(li);
  }
  const results = $('job-results');
  results.replaceChildren(...job.results.map(r => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.textContent = r.transform + ' (' + r.width + 'x' + r.height + ', ' + r.bytes + ' bytes)';
    if (r.url) { a.href = r.url; }
    li.appendChild(a);
    return li;
  }));
}

async function follow(jobId) {
  const started = Date.now();
  while (Date.now() - started < GIVE_UP_MS) {
    const r = await fetch('/v1/jobs/' + encodeURIComponent(jobId), { headers: { Authorization: 'Bearer ' + token } });
    if (!r.ok) { $('job-error').textContent = await problemText(r); return; }
    const job = await r.json();
    show(job);
    // PROCESSED is final only for a job without a recipient
    if (FINAL.includes(job.status) || (job.status === 'PROCESSED' && !job.notify)) { return; }
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  $('job-error').textContent = 'gave up waiting after ' + GIVE_UP_MS / 1000 + ' s';
}

$('job-form').addEventListener('submit', async event => {
  event.preventDefault();
  $('job-error').textContent = '';
  $('job-history').replaceChildren();
  const transforms = $('transforms').value.split('\n').map(t => t.trim()).filter(t => t);
  const body = { transforms };
  if ($('email').value) { body.notify = { email: $('email').value }; }
  const r = await fetch('/v1/images/' + encodeURIComponent($('image-id').value.trim()) + '/jobs', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json',
      'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(body)
  });
  if (r.status !== 202) { $('job-error').textContent = await problemText(r); return; }
  const job = await r.json();
  show(job);
  follow(job.jobId);
});

const fromQuery = new URLSearchParams(location.search).get('image');
if (fromQuery) { $('image-id').value = fromQuery; }
showSignedIn();
