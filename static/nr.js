// SPDX-License-Identifier: MIT
// The newsroom editor's aids (issue 15, docs/media.md): drop a picture,
// video or sound file on the picture form or on the text to upload it,
// with progress; click a picture to set its focal point. Each has a plain
// form underneath that works without this script.
(function () {
  'use strict';
  var form = document.getElementById('pic-form');
  var i, fs = document.querySelectorAll('form.focus');

  if (form && window.FormData && window.XMLHttpRequest) uploads(form);
  for (i = 0; i < fs.length; i++) focal(fs[i]);

  function uploads(form) {
    var input = form.querySelector('input[type=file]');
    var caption = form.querySelector('[name=caption]');
    var button = form.querySelector('button[type=submit]');
    var status = document.getElementById('pic-status');
    var body = document.getElementById('body');
    var zone = document.createElement('p');
    var bar = document.createElement('progress');
    var msg = form.dataset;

    zone.className = 'drop';
    zone.textContent = msg.drop;
    input.parentNode.parentNode.insertBefore(zone, input.parentNode);
    bar.max = 100;
    bar.hidden = true;
    status.parentNode.insertBefore(bar, status);

    function say(text, bad) {
      status.textContent = text;
      status.className = bad ? 'status error' : 'status';
    }
    function files(e) {
      var t = e.dataTransfer && e.dataTransfer.types;
      return t && Array.prototype.indexOf.call(t, 'Files') >= 0;
    }
    [zone, body].forEach(function (t) {
      if (!t) return;
      t.addEventListener('dragover', function (e) {
        if (!files(e)) return;
        e.preventDefault();
        zone.classList.add('over');
      });
      t.addEventListener('dragleave', function () {
        zone.classList.remove('over');
      });
      t.addEventListener('drop', function (e) {
        if (!files(e)) return;
        e.preventDefault();
        zone.classList.remove('over');
        take(e.dataTransfer.files[0], t === body);
      });
    });
    input.addEventListener('change', function () { say(''); });

    // The server would refuse it only after it all arrived.
    function tooBig(f) {
      var max = +msg.max;
      if (!f || !(max > 0) || f.size <= max - 65536) return false;
      say(msg.toobig + ' ' + Math.floor(max / 1048576) + ' MB', true);
      return true;
    }

    // A dropped file goes into the plain form's file field, then up.
    function take(f, inText) {
      if (!f || !/^(image|video|audio)\//.test(f.type)) {
        say(msg.notmedia, true);
        return;
      }
      if (tooBig(f)) return;
      var dt = new DataTransfer();
      dt.items.add(f);
      input.files = dt.files;
      if (inText && /^image\//.test(f.type))
        form.querySelector('[name=place][value=text]').checked = true;
      if (!caption.value.trim()) {
        say(msg.caption, true);
        caption.focus();
        return;
      }
      send();
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      send();
    });

    function send() {
      var xhr = new XMLHttpRequest();
      if (tooBig(input.files[0])) return;
      xhr.open('POST', form.action);
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        bar.hidden = false;
        bar.value = Math.round(100 * e.loaded / e.total);
        say(msg.uploading + ' ' + bar.value + ' %');
      };
      xhr.onload = function () {
        if (xhr.status < 300 && xhr.responseURL) {
          say(msg.done);
          location.assign(xhr.responseURL);
          return;
        }
        // The refusal page says why (role=alert), as without script.
        var why = '';
        try {
          var el = new DOMParser().parseFromString(xhr.responseText,
            'text/html').querySelector('[role=alert]');
          why = el ? el.textContent : '';
        } catch (x) { /* the status code will do */ }
        bar.hidden = true;
        button.disabled = false;
        say(msg.failed + ' ' + (why || xhr.status), true);
      };
      xhr.onerror = function () {
        bar.hidden = true;
        button.disabled = false;
        say(msg.network, true);
      };
      button.disabled = true;
      say(msg.uploading + ' 0 %');
      xhr.send(new FormData(form));
    }
  }

  // A click on the picture sets the two fields; the button saves them.
  function focal(f) {
    var img = f.querySelector('img.fprev');
    var mark = f.querySelector('.fmark');
    var x = f.querySelector('[name=focus_x]');
    var y = f.querySelector('[name=focus_y]');

    if (!img || !mark) return;
    function show() {
      if (x.value === '' || y.value === '') return;
      mark.hidden = false;
      mark.style.left = (100 * x.value) + '%';
      mark.style.top = (100 * y.value) + '%';
    }
    function clamp(v) { return Math.min(1, Math.max(0, v)).toFixed(2); }
    img.addEventListener('click', function (e) {
      var r = img.getBoundingClientRect();
      x.value = clamp((e.clientX - r.left) / r.width);
      y.value = clamp((e.clientY - r.top) / r.height);
      show();
    });
    x.addEventListener('input', show);
    y.addEventListener('input', show);
    show();
  }
})();
