// 96110 operator: the caller's earlier appeals appear under the caller-number field as
// the number is typed. The server renders the block (POST, so the number stays out of
// URLs); without this script the button beside the field does the same by posting the
// form back, and nothing typed is lost.
(function () {
  'use strict';
  var form = document.getElementById('record-form');
  if (!form || !window.fetch) return;
  var phone = document.getElementById('rec-phone');
  var box = document.getElementById('caller-history');
  var button = document.getElementById('lookup-button');
  var csrf = form.querySelector('input[name="_csrf"]').value;
  var last = phone.value.replace(/\D/g, '');
  var timer = null;
  var asked = 0;
  if (button) button.hidden = true;

  function lookup() {
    var digits = phone.value.replace(/\D/g, '');
    if (digits === last) return;
    last = digits;
    var mine = ++asked;
    // Only whole numbers are looked up (each lookup is audited).
    if (digits.length < 11 && !(digits.charAt(0) === '0' && digits.length >= 10)) {
      if (digits.length === 0) box.innerHTML = '';
      return;
    }
    var body = new URLSearchParams();
    body.set('_csrf', csrf);
    body.set('phone', phone.value);
    fetch('/staff/hotline/history', { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html !== null && mine === asked) box.innerHTML = html;
      })
      .catch(function () { if (button) button.hidden = false; });
  }

  phone.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 250);
  });
})();
