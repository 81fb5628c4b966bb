// Applies the saved colour theme before the first paint (no flash). External so the CSP needs no inline script.
(function () {
  var d = document.documentElement;
  d.classList.add('js');
  try {
    var t = localStorage.getItem('threatmark-theme');
    if (t === 'light' || t === 'dark') d.setAttribute('data-theme', t);
  } catch (e) {}
})();
