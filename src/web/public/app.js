// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Ask before irreversible actions (buttons with data-confirm).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Prevent double submissions on slow connections.
    if (form.getAttribute('method') === 'post') {
      window.setTimeout(function () {
        form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });
  // Print buttons (the referral slip): the page's print stylesheet keeps only the slip.
  document.addEventListener('click', function (event) {
    var el = event.target.closest && event.target.closest('[data-print]');
    if (el) window.print();
  });
})();
