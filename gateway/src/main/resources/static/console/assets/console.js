// The console's live parts: countdowns to deadlines, the queue refreshed on server-sent events, a sound cue for new
// cases. No text for people lives here: labels come from the page (data-* attributes rendered from the catalogs).
(function () {
  'use strict';

  // Durations in words, from the catalog's patterns that the layout puts on #words ("{0} phút", "còn {0} (hạn {1})").
  function words(name) {
    var el = document.getElementById('words');
    return (el && el.getAttribute('data-' + name)) || '';
  }

  function fill(pattern) {
    var args = Array.prototype.slice.call(arguments, 1);
    return pattern.replace(/\{(\d)\}/g, function (all, i) { return String(args[Number(i)]); });
  }

  function duration(seconds) {
    var minutes = Math.max(0, Math.floor(seconds / 60));
    if (minutes < 60) { return fill(words('m'), minutes); }
    if (minutes < 48 * 60) { return fill(words('hm'), Math.floor(minutes / 60), minutes % 60); }
    return fill(words('dh'), Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60));
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll('time.countdown[data-due]').forEach(function (el) {
      var left = Math.floor((Number(el.getAttribute('data-due')) - now) / 1000);
      if (left <= 0) {
        el.textContent = fill(words('late'), duration(-left));
        el.classList.add('overdue');
        return;
      }
      // Rounded up, as the server does: with 30 s left there is still one minute.
      el.textContent = fill(words('left'), duration(left + 59), el.getAttribute('data-at') || '');
    });
    document.querySelectorAll('.overdue-state[data-since]').forEach(function (el) {
      var since = Math.floor((now - Number(el.getAttribute('data-since'))) / 1000);
      el.textContent = fill(words('overdue-for'), duration(since)) + (el.getAttribute('data-tail') || '');
    });
  }

  var soundOn = false;
  var audio = null;
  var baseTitle = document.title;
  window.addEventListener('focus', function () { document.title = baseTitle; });

  function beep() {
    if (!soundOn) { return; }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.25);
    } catch (e) { /* no audio device: the visual cue remains */ }
  }

  // What the page says when its live view breaks (issue 18: nothing fails silently): a banner, never a stale
  // "updated" line. The words come from the page's #live-problem element.
  function problem(kind) {
    var el = document.getElementById('live-problem');
    if (!el) { return; }
    if (!kind) { el.hidden = true; el.textContent = ''; el.removeAttribute('data-kind'); return; }
    el.setAttribute('data-kind', kind);
    el.textContent = el.getAttribute('data-msg-' + kind) + ' ';
    if (kind === 'expired') {
      var link = document.createElement('a');
      link.href = el.getAttribute('data-login-url');
      link.textContent = el.getAttribute('data-msg-login');
      el.appendChild(link);
      var status = document.getElementById('live-status');
      if (status) { status.textContent = ''; }
    }
    el.hidden = false;
  }

  function refreshRows(table, kind) {
    var before = {};
    table.querySelectorAll('tbody tr[data-reference]').forEach(function (tr) { before[tr.getAttribute('data-reference')] = true; });
    // No "Accept: text/html": after a session expired, the login must not remember this fragment as the page to return to.
    fetch(table.getAttribute('data-rows-url'), { credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 401) { problem('expired'); return Promise.reject(r.status); }
        return r.ok ? r.text() : Promise.reject(r.status);
      })
      .then(function (html) {
        var holder = document.createElement('table');
        holder.innerHTML = html;
        var fresh = holder.querySelector('tbody');
        if (!fresh) { return; }
        var added = false;
        fresh.querySelectorAll('tr[data-reference]').forEach(function (tr) {
          if (!before[tr.getAttribute('data-reference')]) { tr.classList.add('fresh'); added = true; }
        });
        table.replaceChild(fresh, table.querySelector('tbody'));
        tick();
        var newest = added ? fresh.querySelector('tr.fresh[data-reference]') : null;
        var status = document.getElementById('live-status');
        if (status) {
          // The status line names the new case (screen readers hear it), else says the queue changed.
          status.textContent = newest && document.body.getAttribute('data-msg-new')
            ? fill(document.body.getAttribute('data-msg-new'), newest.getAttribute('data-reference'))
            : document.body.getAttribute('data-msg-updated') || '';
        }
        if (newest && kind === 'OPENED') {
          // A tab in the background shows the new case in its title until the officer looks at it.
          if (!document.hasFocus()) { document.title = '● ' + newest.getAttribute('data-reference') + ' – ' + baseTitle; }
          beep();
        }
      })
      .catch(function () { /* the banner says what is wrong; the next event or reconnection tries again */ });
  }

  function live(table) {
    if (!window.EventSource) { return; }
    var source = null;
    var broken = false;
    var retry = null;
    function open() {
      retry = null;
      source = new EventSource(table.getAttribute('data-events-url'));
      source.onopen = function () {
        table.setAttribute('data-live', 'open');
        problem(null);
        // Whatever changed while the stream was down.
        if (broken) { broken = false; refreshRows(table, ''); }
      };
      source.onerror = function () {
        broken = true;
        table.setAttribute('data-live', 'retrying');
        // An event stream cannot say why it failed: ask whether the session is still there.
        fetch(table.getAttribute('data-session-url'), { credentials: 'same-origin' })
          .then(function (r) { return r.status; }, function () { return 0; })
          .then(function (status) {
            if (status === 401) {
              if (source) { source.close(); source = null; }
              table.setAttribute('data-live', 'expired');
              problem('expired');
              return;
            }
            problem('lost');
            // A refused stream is not retried by the browser itself.
            if (source && source.readyState === EventSource.CLOSED && !retry) {
              source = null;
              retry = setTimeout(open, 5000);
            }
          });
      };
      source.addEventListener('case', function (e) { refreshRows(table, e.data); });
    }
    open();
    // A page left for another is closed, even when the browser keeps it for "back": the stream must not hold a
    // connection to the server meanwhile. Coming back opens it again and catches up.
    window.addEventListener('pagehide', function () {
      if (source) { source.close(); source = null; }
      table.setAttribute('data-live', 'closed');
    });
    window.addEventListener('pageshow', function (e) {
      if (e.persisted && !source) { open(); refreshRows(table, ''); }
    });
  }

  // What an officer types is kept in this tab until the form is accepted: a session that expired meanwhile sends them
  // to log in, and coming back to the page brings the text back instead of losing it.
  function drafts() {
    var page = location.pathname;
    var done = /[?&]done=/.test(location.search);
    document.querySelectorAll('form[method=post] textarea[name], form[method=post] input[type=text][name]').forEach(function (field) {
      var key = 'draft:' + page + ':' + (field.form.getAttribute('action') || '') + ':' + field.name;
      try {
        if (done) { sessionStorage.removeItem(key); return; }
        var kept = sessionStorage.getItem(key);
        if (kept && !field.value) { field.value = kept; }
        field.addEventListener('input', function () { sessionStorage.setItem(key, field.value); });
      } catch (e) { /* storage off: the form works as before */ }
    });
    var logout = document.querySelector('form.logout');
    if (logout) {
      logout.addEventListener('submit', function () { try { sessionStorage.clear(); } catch (e) { /* nothing kept */ } });
    }
  }

  function verify(button) {
    var bar = document.getElementById('verify-progress');
    var count = document.getElementById('verify-count');
    var result = document.getElementById('verify-result');
    var body = document.body;
    button.disabled = true;
    result.textContent = '';
    result.removeAttribute('data-outcome');
    bar.removeAttribute('value');
    var source = new EventSource(button.getAttribute('data-url'));
    source.addEventListener('progress', function (e) {
      var parts = e.data.split(' ');
      bar.max = Math.max(1, Number(parts[1]));
      bar.value = Number(parts[0]);
      count.textContent = parts[0] + ' / ' + parts[1];
    });
    source.addEventListener('report', function (e) {
      var parts = e.data.split(' ');
      source.close();
      button.disabled = false;
      if (parts[0] === 'INTACT') {
        bar.max = Math.max(1, Number(parts[2]));
        bar.value = bar.max;
        count.textContent = parts[1] + ' / ' + parts[2];
        result.textContent = body.getAttribute('data-msg-intact');
        result.setAttribute('data-outcome', 'INTACT');
      } else {
        result.textContent = body.getAttribute('data-msg-broken') + ' ' + parts[2] + ' (' + parts[1] + ')';
        result.setAttribute('data-outcome', 'BROKEN');
      }
    });
    source.onerror = function () {
      if (!result.getAttribute('data-outcome')) {
        source.close();
        button.disabled = false;
        result.textContent = body.getAttribute('data-msg-failed');
      }
    };
  }

  document.addEventListener('DOMContentLoaded', function () {
    var printButton = document.getElementById('print-report');
    if (printButton) { printButton.addEventListener('click', function () { window.print(); }); }
    var verifyButton = document.getElementById('verify-now');
    if (verifyButton) { verifyButton.addEventListener('click', function () { verify(verifyButton); }); }
    tick();
    setInterval(tick, 1000);
    drafts();
    document.querySelectorAll('table[data-events-url]').forEach(live);
    var toggle = document.getElementById('sound-toggle');
    if (toggle) {
      // The choice is remembered on this device, so a page reload at night does not silence the queue.
      try { soundOn = localStorage.getItem('hotline-sound') === 'on'; } catch (e) { soundOn = false; }
      toggle.setAttribute('aria-pressed', soundOn ? 'true' : 'false');
      toggle.addEventListener('click', function () {
        soundOn = !soundOn;
        toggle.setAttribute('aria-pressed', soundOn ? 'true' : 'false');
        try { localStorage.setItem('hotline-sound', soundOn ? 'on' : 'off'); } catch (e) { /* not remembered */ }
        if (soundOn) { beep(); }
      });
    }
  });
}());
