// image-scaler web sample: sign in, upload with progress, wait for READY, show a signed srcset gallery.
// The API calls go to this page's own origin (/v1/...), which forwards them to the edge; images load
// straight from the edge with URLs this page's backend signed (one wildcard policy per image).
'use strict';

const POLL_MS = 500;
// Files above this go through the multipart flow (POST /v1/uploads, parts PUT straight to storage); the
// rest in one POST /v1/images. The API takes at most MAX_SYNC_UPLOAD_BYTES (default 5 MiB) in one request;
// a deployment with a lower limit, or a test, sets ?multipartAbove=<bytes> on the page URL.
const MULTIPART_ABOVE = Number(new URLSearchParams(location.search).get('multipartAbove') ?? 5 * 1024 * 1024);
const PARALLEL_PARTS = 3;
const PART_TRIES = 3;
const GIVE_UP_MS = 120000;
const SERVABLE = ['READY', 'BLURRED'];
const FINAL_BAD = ['REJECTED', 'FAILED'];

let token = sessionStorage.getItem('token');

function subjectOf(jwt) {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).sub;
  } catch (e) {
    return '?';
  }
}

function showSignedIn() {
  document.getElementById('who').textContent = token ? 'signed in as ' + subjectOf(token) : 'not signed in';
  document.getElementById('upload-button').disabled = !token;
}

document.getElementById('use-dev-token').addEventListener('click', async () => {
  const r = await fetch('api/dev-token');
  if (!r.ok) { alert('no dev token: is the local edge running with the same data dir?'); return; }
  token = (await r.text()).trim();
  sessionStorage.setItem('token', token);
  showSignedIn();
});

// An RFC 9457 problem says what was wrong in "detail"; anything else is shown as it came.
async function problemText(answer, text) {
  try {
    const p = JSON.parse(text);
    return p.title + ': ' + p.detail;
  } catch (e) {
    return 'HTTP ' + answer.status;
  }
}

// XMLHttpRequest, not fetch: fetch has no upload progress events.
function upload(file, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/images');
    xhr.setRequestHeader('Authorization', 'Bearer ' + token);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = e => { if (e.lengthComputable) progress.show(e.loaded, e.total); };
    xhr.onload = async () => {
      if (xhr.status === 201) { progress.show(file.size, file.size); resolve(JSON.parse(xhr.responseText)); }
      else reject(new Error(await problemText(xhr, xhr.responseText)));
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(file);
  });
}

// A JSON call to the API on this page's origin; anything but the expected status is the problem's text.
async function api(method, path, body, expected) {
  const r = await fetch(path, {
    method,
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  if (r.status !== expected) throw new Error(await problemText(r, text));
  return JSON.parse(text);
}

// One part PUT straight to its presigned storage URL, with Content-Type application/octet-stream said
// outright (the signature does not cover it, and S3Proxy refuses a form type). The storage answers with
// the part's ETag, which the bucket's CORS rule must expose (ExposeHeaders: ETag) for the page to read it.
// Progress comes only from the upload's progress events; the last one of a sent body has loaded == size.
function putPart(url, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded); };
    xhr.onload = () => {
      const etag = xhr.getResponseHeader('ETag');
      if (xhr.status !== 200) reject(new Error('storage answered ' + xhr.status + ' to a part'));
      else if (!etag) reject(new Error('no ETag on the part answer: the bucket CORS rule must expose ETag'));
      else resolve(etag);
    };
    // A refused CORS preflight looks like this too: the browser hides the reason from the page.
    xhr.onerror = () => reject(new Error('network error (or CORS refused) on a part'));
    xhr.send(blob);
  });
}

async function putPartWithRetries(url, blob, onProgress) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await putPart(url, blob, onProgress);
    } catch (e) {
      onProgress(0);
      if (attempt >= PART_TRIES) throw e;
      await new Promise(done => setTimeout(done, 500 * 2 ** (attempt - 1)));
    }
  }
}

// The multipart flow: open the upload, PUT the parts (a few at a time) with one progress bar for the bytes
// of all parts together, then complete. The image is PROCESSING afterwards, like a fresh small upload.
async function uploadInParts(file, progress) {
  const started = await api('POST', '/v1/uploads', { bytes: file.size }, 201);
  const loaded = new Array(started.parts.length).fill(0);
  progress.parts(started.parts.length);
  const etags = new Array(started.parts.length);
  let next = 0;
  async function worker() {
    while (next < started.parts.length) {
      const i = next++;
      const from = i * started.partSize;
      const blob = file.slice(from, Math.min(from + started.partSize, file.size));
      etags[i] = await putPartWithRetries(started.parts[i].url, blob, bytes => {
        loaded[i] = bytes;
        progress.show(loaded.reduce((a, b) => a + b, 0), file.size);
      });
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, started.parts.length) }, worker));
  return api('POST', started.complete,
    { parts: started.parts.map((p, i) => ({ partNumber: p.partNumber, etag: etags[i] })) }, 202);
}

// The bar and its numbers; the dataset keeps what a test (or a curious developer) may read back.
function progressLine(li, bar, text) {
  let updates = 0;
  return {
    show(sent, total) {
      bar.value = total > 0 ? sent / total : 1;
      text.textContent = size(sent) + ' / ' + size(total);
      li.dataset.sent = String(sent);
      li.dataset.total = String(total);
      li.dataset.progressUpdates = String(++updates);
    },
    parts(n) { li.dataset.parts = String(n); },
  };
}

function size(bytes) {
  return bytes < 1048576 ? (bytes / 1024).toFixed(1) + ' KiB' : (bytes / 1048576).toFixed(1) + ' MiB';
}

async function waitUntilServable(id, line) {
  const started = Date.now();
  for (;;) {
    const r = await fetch('/v1/images/' + id + '/metadata', { headers: { Authorization: 'Bearer ' + token } });
    const text = await r.text();
    if (!r.ok) throw new Error(await problemText(r, text));
    const record = JSON.parse(text);
    line.status.textContent = record.status;
    line.li.className = record.status;
    showModeration(line.moderation, record);
    if (SERVABLE.includes(record.status)) return record;
    if (FINAL_BAD.includes(record.status)) throw new Error('the image is ' + record.status);
    if (Date.now() - started > GIVE_UP_MS) throw new Error('still ' + record.status + ' after 2 minutes');
    await new Promise(done => setTimeout(done, POLL_MS));
  }
}

// The verdict decided at upload: the action, the labels the model reported (name, confidence) and which
// model it was (Rekognition's version on AWS; the local model or a rules override locally).
function showModeration(element, record) {
  const m = record.moderation;
  if (!m) { element.textContent = ''; return; }
  const labels = (m.labels || []).map(l => l.name + ' ' + l.confidence.toFixed(1) + '%');
  element.textContent = 'moderation: ' + m.action + (labels.length ? ' \u2014 ' + labels.join(', ') : ' \u2014 no labels')
    + ' (' + m.modelVersion + ')';
  element.title = m.reason || '';
  element.dataset.action = m.action;
}

async function addToGallery(record) {
  const r = await fetch('api/srcset/' + record.id);
  if (!r.ok) throw new Error('could not sign: HTTP ' + r.status);
  const signed = await r.json();
  const figure = document.createElement('figure');
  const img = document.createElement('img');
  img.alt = 'image ' + record.id;
  img.width = record.width;           // the aspect ratio, so the layout does not jump while it loads
  img.height = record.height;
  img.sizes = signed.sizes;
  img.srcset = signed.srcset;
  img.src = signed.src;
  img.dataset.id = record.id;
  const caption = document.createElement('figcaption');
  img.addEventListener('load', () => {
    caption.textContent = record.width + 'x' + record.height + ' ' + record.status + ' \u2014 showing '
      + img.currentSrc.split('?')[0].split('/').pop();
  });
  figure.append(img, caption);
  document.getElementById('gallery').append(figure);
}

document.getElementById('upload-button').addEventListener('click', async () => {
  const files = Array.from(document.getElementById('files').files);
  await Promise.all(files.map(async file => {
    const li = document.createElement('li');
    const bar = document.createElement('progress');
    bar.max = 1;
    bar.value = 0;
    const sent = document.createElement('span');
    sent.className = 'sent';
    const status = document.createElement('span');
    status.className = 'status';
    status.textContent = 'uploading';
    const multipart = file.size > MULTIPART_ABOVE;
    li.dataset.path = multipart ? 'multipart' : 'single';
    const moderation = document.createElement('span');
    moderation.className = 'moderation';
    li.append(file.name + (multipart ? ' (in parts) ' : ' '), bar, ' ', sent, ' ', status, ' ', moderation);
    document.getElementById('uploads').append(li);
    const progress = progressLine(li, bar, sent);
    try {
      const created = multipart ? await uploadInParts(file, progress) : await upload(file, progress);
      li.dataset.id = created.id;
      const record = await waitUntilServable(created.id, { li, status, moderation });
      await addToGallery(record);
    } catch (e) {
      status.textContent = e.message;
      li.className = 'error';
    }
  }));
  document.body.dataset.uploadsDone = String(document.querySelectorAll('#uploads li').length);
});

showSignedIn();
