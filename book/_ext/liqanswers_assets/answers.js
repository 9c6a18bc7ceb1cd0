/* liqanswers: the answer boxes after the book's exercises (book/_ext/liqanswers.py).
 *
 * Each box (form.liqanswer) carries, in data-liqanswer, what liqlearn.check computed at
 * build time: the expected value, the tolerances, the fallback message and each mistake's
 * value and message in the order the check tries them.  This script only compares, with
 * the rule of liqlearn.course.judge.close, and prints the check's own message.  A classic
 * script (no modules), so it also runs from file://.
 */
(function () {
  "use strict";

  // liqlearn.course.judge.close: relative tolerance with an absolute floor
  function close(a, e, relTol, absTol) {
    if (!isFinite(e) || !isFinite(a)) return a === e;
    return Math.abs(a - e) <= Math.max(relTol * Math.abs(e), absTol);
  }

  // The reader's text as a number: thousands separators (",", "_", spaces) and a
  // typographic minus allowed; anything else is not a number (null).
  function parse(text) {
    var s = String(text).trim().replace(/[\u2212\u2012\u2013]/g, "-")
      .replace(/[,_\s\u00a0\u202f\u2009]/g, "");
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    var x = Number(s);
    return isFinite(x) ? x : null;
  }

  // liqlearn.course.judge.judge, on the recorded data
  function verdict(data, text) {
    var a = parse(text);
    if (a === null) {
      return { correct: false, code: "not_a_number",
               message: "\u2717 Not yet \u2014 the answer must be a single number." };
    }
    if (close(a, data.expected, data.rel_tol, data.abs_tol)) {
      return { correct: true, code: null, message: data.correct };
    }
    for (var i = 0; i < data.mistakes.length; i++) {
      var m = data.mistakes[i];
      if (close(a, m.value, data.rel_tol, data.abs_tol)) {
        return { correct: false, code: m.code, message: m.message };
      }
    }
    return { correct: false, code: null, message: data.fallback };
  }

  function mount(form) {
    var data = JSON.parse(form.getAttribute("data-liqanswer"));
    var input = form.querySelector("input");
    var out = form.querySelector("output");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var v = verdict(data, input.value);
      out.textContent = v.message;
      form.setAttribute("data-verdict", v.correct ? "correct" : "wrong");
      form.setAttribute("data-mistake", v.code || "");
      input.setAttribute("aria-invalid", v.correct ? "false" : "true");
    });
    input.addEventListener("input", function () {
      if (form.hasAttribute("data-verdict")) {
        form.removeAttribute("data-verdict");
        out.textContent = "";
        input.removeAttribute("aria-invalid");
      }
    });
  }

  function start() {
    var forms = document.querySelectorAll("form.liqanswer[data-liqanswer]");
    for (var i = 0; i < forms.length; i++) mount(forms[i]);
  }

  // Node (the tests) loads the same file to compare it with the Python judge
  if (typeof module === "object" && module.exports) {
    module.exports = { close: close, parse: parse, verdict: verdict };
  }
  if (typeof document === "undefined") return;
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
