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
  // On a phone the menu is one row that scrolls sideways: bring the current page's entry into view
  // (at 360 px "Rapports" or "Mon compte" would otherwise sit off screen).
  var current = document.querySelector('.main-nav a[aria-current="page"]');
  var strip = current && current.closest('ul');
  if (strip && strip.scrollWidth > strip.clientWidth) {
    var r = current.getBoundingClientRect();
    var s = strip.getBoundingClientRect();
    if (r.left < s.left || r.right > s.right) strip.scrollLeft += r.left < s.left ? r.left - s.left - 16 : r.right - s.right + 16;
  }
})();
