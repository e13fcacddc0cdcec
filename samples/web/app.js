// image-scaler web sample: sign in, upload with progress, wait for READY, show a signed srcset gallery.
// The API calls go to this page's own origin (/v1/...), which forwards them to the edge; images load
// straight from the edge with URLs this page's backend signed (one wildcard policy per image).
'use strict';

const POLL_MS = 500;
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
    xhr.upload.onprogress = e => { if (e.lengthComputable) progress.value = e.loaded / e.total; };
    xhr.onload = async () => {
      if (xhr.status === 201) { progress.value = 1; resolve(JSON.parse(xhr.responseText)); }
      else reject(new Error(await problemText(xhr, xhr.responseText)));
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(file);
  });
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
    if (SERVABLE.includes(record.status)) return record;
    if (FINAL_BAD.includes(record.status)) throw new Error('the image is ' + record.status);
    if (Date.now() - started > GIVE_UP_MS) throw new Error('still ' + record.status + ' after 2 minutes');
    await new Promise(done => setTimeout(done, POLL_MS));
  }
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
    const progress = document.createElement('progress');
    progress.max = 1;
    progress.value = 0;
    const status = document.createElement('span');
    status.textContent = 'uploading';
    li.append(file.name + ' ', progress, ' ', status);
    document.getElementById('uploads').append(li);
    try {
      const created = await upload(file, progress);
      li.dataset.id = created.id;
      const record = await waitUntilServable(created.id, { li, status });
      await addToGallery(record);
    } catch (e) {
      status.textContent = e.message;
      li.className = 'error';
    }
  }));
  document.body.dataset.uploadsDone = String(document.querySelectorAll('#uploads li').length);
});

showSignedIn();
