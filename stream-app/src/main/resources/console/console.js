// The AlignTok Streams web console. Plain JavaScript, no build step, no third-party code. Everything
// from the user or the service is put on the page with textContent or as attribute values, never as
// HTML. The credential stays in sessionStorage (this tab); the recent-request lists (one per
// credential) in localStorage.
'use strict';

/* global readEventStream */
(function () {
  const KEY_STORAGE = 'aligntok.console.credential';
  const RECENT_STORAGE = 'aligntok.console.recent';
  const MAX_RECENT = 50;
  const FINAL_STATES = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];

  const $ = (id) => document.getElementById(id);
  let watching = null; // { id, controller, lastEventId, blobUrls }

  // ---- credential -------------------------------------------------------------------------------

  function credential() {
    return sessionStorage.getItem(KEY_STORAGE) || '';
  }

  /** The header the API reads the credential from: a JWT as Authorization: Bearer, a key as X-API-Key. */
  function authHeaders() {
    const value = credential();
    if (!value) {
      return {};
    }
    if (/^bearer\s+/i.test(value)) {
      return { Authorization: 'Bearer ' + value.replace(/^bearer\s+/i, '') };
    }
    return { 'X-API-Key': value };
  }

  function showKeyState() {
    const value = credential();
    $('key-state').textContent = value
      ? (/^bearer\s+/i.test(value) ? 'using a bearer token' : 'using an API key') + ' (kept in this tab only)'
      : 'no key (kept in this tab only)';
  }

  // ---- errors -----------------------------------------------------------------------------------

  function showError(text) {
    const box = $('error');
    box.textContent = text;
    box.hidden = false;
  }

  function clearError() {
    $('error').hidden = true;
    $('error').textContent = '';
  }

  /** A readable account of a refused call: status, the service's message, field errors, Retry-After. */
  async function describeFailure(what, response) {
    let message = '';
    let fields = [];
    try {
      const body = await response.json();
      message = body.message || '';
      fields = Array.isArray(body.errors) ? body.errors : [];
    } catch (ignored) {
      // not JSON: the status says enough
    }
    const parts = [what + ' failed: HTTP ' + response.status + (message ? ' — ' + message : '')];
    for (const field of fields) {
      parts.push(String(field.field) + ': ' + String(field.message));
    }
    if (response.status === 401) {
      parts.push('The key or token was refused: enter a valid one above.');
    } else if (response.status === 403) {
      parts.push('This credential lacks the role for that.');
    } else if (response.status === 429 || response.status === 503) {
      const retry = response.headers.get('Retry-After');
      if (retry) {
        parts.push('Retry after ' + retry + ' s.');
      }
    }
    return parts.join('\n');
  }

  async function api(method, path, options) {
    const init = { method: method, headers: Object.assign({}, authHeaders(), (options && options.headers) || {}) };
    if (options && options.body !== undefined) {
      init.body = options.body;
    }
    if (options && options.signal) {
      init.signal = options.signal;
    }
    return fetch(path, init);
  }

  // ---- recent requests --------------------------------------------------------------------------

  /**
   * One list per credential, so a browser shared by several callers (or one user with several keys)
   * shows each the requests made with the credential in use. The storage key carries a 32-bit FNV-1a
   * hash of the credential, never the credential itself (and crypto.subtle needs a secure context).
   */
  function recentStorage() {
    let hash = 0x811c9dc5;
    for (const ch of credential()) {
      hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0;
    }
    return RECENT_STORAGE + '.' + hash.toString(16);
  }

  function recent() {
    try {
      const list = JSON.parse(localStorage.getItem(recentStorage()) || '[]');
      return Array.isArray(list) ? list : [];
    } catch (ignored) {
      return [];
    }
  }

  function saveRecent(list) {
    localStorage.setItem(recentStorage(), JSON.stringify(list.slice(0, MAX_RECENT)));
    renderRecent();
  }

  function remember(entry) {
    saveRecent([entry].concat(recent().filter((e) => e.id !== entry.id)));
  }

  function updateRecent(id, state) {
    const list = recent();
    const entry = list.find((e) => e.id === id);
    if (entry && entry.state !== state) {
      entry.state = state;
      saveRecent(list);
    }
  }

  function renderRecent() {
    const body = $('recent-rows');
    body.replaceChildren();
    for (const entry of recent()) {
      const row = document.createElement('tr');
      const idCell = document.createElement('td');
      const code = document.createElement('code');
      code.textContent = entry.id;
      idCell.appendChild(code);
      const prompt = document.createElement('td');
      prompt.textContent = entry.prompt || '';
      const state = document.createElement('td');
      state.textContent = entry.state || '';
      state.className = 'state state-' + String(entry.state || '').toLowerCase();
      const when = document.createElement('td');
      when.textContent = entry.submittedAt ? new Date(entry.submittedAt).toLocaleString() : '';
      const actions = document.createElement('td');
      const show = document.createElement('button');
      show.type = 'button';
      show.textContent = 'Show';
      show.addEventListener('click', () => watch(entry.id));
      actions.appendChild(show);
      row.append(idCell, prompt, state, when, actions);
      body.appendChild(row);
    }
  }

  /** Asks the service for the state of the listed requests that had not ended when last seen. */
  async function refreshRecent() {
    for (const entry of recent()) {
      if (FINAL_STATES.includes(entry.state)) {
        continue;
      }
      const response = await api('GET', '/v1/generations/' + encodeURIComponent(entry.id));
      if (response.ok) {
        updateRecent(entry.id, (await response.json()).state);
      } else if (response.status === 404) {
        updateRecent(entry.id, 'UNKNOWN');
      }
    }
  }

  // ---- the request being watched ----------------------------------------------------------------

  function stopWatching() {
    if (watching) {
      watching.controller.abort();
      watching.blobUrls.forEach((url) => URL.revokeObjectURL(url));
      watching = null;
    }
  }

  function showStatus(status) {
    $('cur-state').textContent = status.state;
    $('cur-state').className = 'state state-' + String(status.state).toLowerCase();
    $('cur-count').textContent = status.completed + ' / ' + status.total + ' images';
    $('cur-progress').value = typeof status.progress === 'number' ? status.progress : 0;
    $('cur-cancel').disabled = FINAL_STATES.includes(status.state);
    $('cur-message').textContent = status.error ? 'Error: ' + status.error : '';
    updateRecent(status.id, status.state);
  }

  function showProgress(progress) {
    $('cur-progress').value = progress.progress;
    $('cur-count').textContent = progress.completed + ' / ' + progress.total + ' images'
      + (progress.state ? ' · ' + progress.state : '');
  }

  async function showImage(state, image) {
    const response = await api('GET', image.url, { signal: state.controller.signal });
    if (!response.ok) {
      showError(await describeFailure('Fetching image ' + image.index, response));
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    if (watching !== state) {
      URL.revokeObjectURL(url);
      return;
    }
    state.blobUrls.push(url);
    const img = document.createElement('img');
    img.className = 'generated';
    img.alt = 'image ' + image.index + ' of request ' + state.id;
    img.dataset.index = String(image.index);
    img.src = url;
    // Fetches finish in any order: keep the images in index order.
    const after = Array.from($('cur-images').children).find((other) => Number(other.dataset.index) > image.index);
    $('cur-images').insertBefore(img, after || null);
  }

  /** Follows a request's event stream: status, progress and images; reconnects after an end event. */
  async function watch(id, justSubmitted) {
    stopWatching();
    clearError();
    const state = { id: id, controller: new AbortController(), lastEventId: null, blobUrls: [] };
    watching = state;
    $('current').hidden = false;
    $('cur-id').textContent = id;
    $('cur-state').textContent = '…';
    $('cur-count').textContent = '';
    $('cur-message').textContent = '';
    $('cur-progress').value = 0;
    $('cur-images').replaceChildren();
    let finished = false;
    let attempts = 0;
    try {
      while (!finished && watching === state) {
        const headers = { Accept: 'text/event-stream' };
        if (state.lastEventId) {
          headers['Last-Event-ID'] = state.lastEventId;
        }
        const response = await api('GET', '/v1/generations/' + encodeURIComponent(id) + '/events',
          { headers: headers, signal: state.controller.signal });
        if (response.status === 204) {
          break; // nothing after what was seen
        }
        const retry = response.status === 404 && !justSubmitted ? null : retryDelay(response, attempts++);
        if (retry !== null) {
          response.body.cancel().catch(() => {});
          // Just submitted and not visible yet (404), or a stream cap (429, 503): wait and try again.
          $('cur-message').textContent = 'Waiting for the service (HTTP ' + response.status + '); retrying in '
            + Math.round(retry / 1000) + ' s.';
          await sleep(retry, state.controller.signal);
          continue;
        }
        if (!response.ok) {
          showError(await describeFailure('Following request ' + id, response));
          break;
        }
        attempts = 0;
        $('cur-message').textContent = '';
        let ended = false;
        await readEventStream(response, (event) => {
          const data = JSON.parse(event.data);
          if (event.id) {
            state.lastEventId = event.id;
          }
          if (event.event === 'status') {
            showStatus(data);
            finished = FINAL_STATES.includes(data.state);
          } else if (event.event === 'progress') {
            showProgress(data);
          } else if (event.event === 'image') {
            showImage(state, data).catch((e) => {
              if (e.name !== 'AbortError') {
                showError('Fetching image ' + data.index + ' failed: ' + e.message);
              }
            });
          } else if (event.event === 'end') {
            ended = true; // the stream's maximum duration: reconnect where it stopped
          }
        }, state.controller.signal);
        if (!ended && !finished) {
          break; // closed without an end event: the connection dropped
        }
      }
    } catch (e) {
      if (e.name !== 'AbortError') {
        showError('Following request ' + id + ' failed: ' + e.message);
      }
    }
  }

  const MAX_STREAM_RETRIES = 20;

  /** Milliseconds to wait before opening the stream again, or null when this answer is final. */
  function retryDelay(response, attempt) {
    if (attempt >= MAX_STREAM_RETRIES || ![404, 429, 503].includes(response.status)) {
      return null;
    }
    const seconds = parseInt(response.headers.get('Retry-After') || '', 10);
    return (Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) : 2) * 1000;
  }

  function sleep(millis, signal) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, millis);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DOMException('aborted', 'AbortError'));
      }, { once: true });
    });
  }

  async function cancelCurrent() {
    if (!watching) {
      return;
    }
    clearError();
    const id = watching.id;
    const response = await api('DELETE', '/v1/generations/' + encodeURIComponent(id));
    if (response.ok) {
      $('cur-message').textContent = 'Cancellation requested; the stream shows when it takes effect.';
    } else {
      showError(await describeFailure('Cancelling request ' + id, response));
    }
  }

  // ---- forms --------------------------------------------------------------------------------------

  function numberField(id, parse) {
    const text = $(id).value.trim();
    return text === '' ? undefined : parse(text);
  }

  async function submitGeneration(event) {
    event.preventDefault();
    clearError();
    const submission = {
      prompt: $('gen-prompt').value,
      seed: numberField('gen-seed', (t) => parseInt(t, 10)),
      steps: numberField('gen-steps', (t) => parseInt(t, 10)),
      cfgScale: numberField('gen-cfg', parseFloat),
      count: numberField('gen-count', (t) => parseInt(t, 10))
    };
    const button = $('gen-submit');
    button.disabled = true;
    try {
      const response = await api('POST', '/v1/generations', {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(submission)
      });
      if (response.status !== 202) {
        showError(await describeFailure('Submitting', response));
        return;
      }
      const accepted = await response.json();
      remember({ id: accepted.id, prompt: submission.prompt, state: 'SUBMITTED', submittedAt: Date.now() });
      watch(accepted.id, true);
    } catch (e) {
      showError('Submitting failed: ' + e.message);
    } finally {
      button.disabled = false;
    }
  }

  function imageSize(file) {
    return new Promise((resolve) => {
      const img = $('tok-preview');
      const url = URL.createObjectURL(file);
      img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
      img.onerror = () => resolve(null); // the browser cannot show it (BMP, ...): the service may still read it
      if (img.src.startsWith('blob:')) {
        URL.revokeObjectURL(img.src);
      }
      img.src = url;
    });
  }

  async function submitImage(event) {
    event.preventDefault();
    clearError();
    const file = $('tok-file').files[0];
    if (!file) {
      showError('Choose an image file.');
      return;
    }
    const button = $('tok-submit');
    button.disabled = true;
    try {
      const size = await imageSize(file);
      const started = performance.now();
      const submittedAt = Date.now();
      const response = await api('POST', '/v1/tokenize', {
        headers: { 'Content-Type': file.type || 'application/octet-stream' },
        body: file
      });
      const elapsed = performance.now() - started;
      if (response.status !== 202) {
        showError(await describeFailure('Tokenizing', response));
        return;
      }
      const accepted = await response.json();
      $('tok-result').hidden = false;
      $('tok-id').textContent = accepted.id;
      $('tok-image').textContent = (size ? size.width + ' × ' + size.height + ' px, ' : '')
        + file.size + ' bytes, ' + (file.type || 'unknown type');
      $('tok-accepted').textContent = elapsed.toFixed(0) + ' ms (upload until 202)';
      showLatent(accepted);
      awaitLatent(accepted.id, submittedAt);
    } catch (e) {
      showError('Tokenizing failed: ' + e.message);
    } finally {
      button.disabled = false;
    }
  }

  /** What the 202 says of the latent to come (shape, dtype, bundle), when the service reports it. */
  function showLatent(accepted) {
    const latent = accepted.latent;
    if (latent && Array.isArray(latent.shape)) {
      $('tok-shape').textContent = latent.shape.join(' × ');
      $('tok-latent').textContent = String(latent.dtype || '') + (latent.bundleId ? ' · bundle ' + latent.bundleId : '');
    } else {
      $('tok-shape').textContent = 'not reported by this service';
      $('tok-latent').textContent = '';
    }
    $('tok-timings').textContent = 'waiting for the latent…';
  }

  const LATENT_WAIT_MS = 30000;
  let latentPoll = null; // { id, timer } of the upload whose latent is awaited

  /**
   * Asks GET /v1/tokenize/{id} until the latent is there (404 until then), waiting 250 ms, then
   * twice as long each time up to 4 s; gives up after LATENT_WAIT_MS. A newer upload stops the poll.
   */
  function awaitLatent(id, submittedAt) {
    if (latentPoll) {
      clearTimeout(latentPoll.timer);
    }
    const poll = { id: id, timer: null };
    latentPoll = poll;
    const deadline = Date.now() + LATENT_WAIT_MS;
    let delay = 250;
    const ask = async () => {
      if (latentPoll !== poll) {
        return;
      }
      let response = null;
      try {
        response = await api('GET', '/v1/tokenize/' + encodeURIComponent(id));
      } catch (e) {
        response = null; // the network failed: try again until the deadline
      }
      if (latentPoll !== poll) {
        return;
      }
      if (response && response.status === 200) {
        showProduced(await response.json(), submittedAt);
        latentPoll = null;
        return;
      }
      if (response && response.status !== 404 && response.status !== 503) {
        $('tok-timings').textContent = await describeFailure('Looking the latent up', response);
        latentPoll = null;
        return;
      }
      if (Date.now() + delay > deadline) {
        $('tok-timings').textContent = 'no latent after ' + (LATENT_WAIT_MS / 1000) + ' s: the image may have been'
          + ' dead-lettered (unreadable), or the tokenize pipeline is busy or off; look it up later at /v1/tokenize/' + id;
        latentPoll = null;
        return;
      }
      poll.timer = setTimeout(ask, delay);
      delay = Math.min(delay * 2, 4000);
    };
    poll.timer = setTimeout(ask, delay);
  }

  /** The latent as produced: its shape and dtype (authoritative), and where the pipeline's time went. */
  function showProduced(found, submittedAt) {
    showLatent(found);
    const timings = found.timingsMs || {};
    const parts = [];
    for (const name of ['queue', 'decode', 'encode']) {
      if (typeof timings[name] === 'number') {
        parts.push(name + ' ' + timings[name].toFixed(1) + ' ms');
      }
    }
    if (typeof timings.batch === 'number') {
      parts.push('batch of ' + timings.batch);
    }
    if (typeof found.producedAtMs === 'number' && found.producedAtMs > 0) {
      parts.push('produced ' + Math.max(0, found.producedAtMs - submittedAt) + ' ms after upload');
    }
    $('tok-timings').textContent = parts.length ? parts.join(', ') : 'the pipeline reported no timings';
  }

  // ---- tabs and start-up --------------------------------------------------------------------------

  function showTab(name) {
    for (const tab of ['generate', 'tokenize']) {
      $('page-' + tab).hidden = tab !== name;
      $('tab-' + tab).classList.toggle('active', tab === name);
    }
  }

  function start() {
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY_STORAGE, $('key-input').value.trim());
      $('key-input').value = '';
      showKeyState();
      clearError();
      renderRecent();
      refreshRecent();
    });
    $('key-forget').addEventListener('click', () => {
      sessionStorage.removeItem(KEY_STORAGE);
      stopWatching();
      showKeyState();
      renderRecent();
    });
    $('tab-generate').addEventListener('click', () => showTab('generate'));
    $('tab-tokenize').addEventListener('click', () => showTab('tokenize'));
    $('gen-form').addEventListener('submit', submitGeneration);
    $('cur-cancel').addEventListener('click', cancelCurrent);
    $('tok-form').addEventListener('submit', submitImage);
    $('recent-clear').addEventListener('click', () => saveRecent([]));
    showKeyState();
    renderRecent();
    refreshRecent();
  }

  start();
})();
