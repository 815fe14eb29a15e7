/* trainkit: practice quizzes and course progress, kept in this browser only.
 *
 * Pages carry empty placeholders written by the site generator:
 *   .tk-progress[data-academy][data-course][data-modules][data-module?]
 *   .tk-check[data-module]          (a tick in a course's learning path)
 *   .tk-quiz[data-src][data-course][data-quiz][data-pass]
 * Progress is stored in localStorage under "trainkit:<academy>:<course>" as
 * {"done": [module ids], "quizzes": {quiz: {"best": points, "max": points}}}.
 * All text from quiz data is inserted with textContent, never as HTML.
 */
(function () {
  "use strict";

  function key(academy, course) { return "trainkit:" + academy + ":" + course; }

  function load(academy, course) {
    try {
      var data = JSON.parse(window.localStorage.getItem(key(academy, course)) || "{}");
      return { done: Array.isArray(data.done) ? data.done : [], quizzes: data.quizzes || {} };
    } catch (e) {
      return { done: [], quizzes: {} };
    }
  }

  function save(academy, course, data) {
    try { window.localStorage.setItem(key(academy, course), JSON.stringify(data)); } catch (e) { /* private mode */ }
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* ------------------------------------------------------------ progress */

  function renderProgress(box) {
    var academy = box.dataset.academy, course = box.dataset.course;
    var modules = (box.dataset.modules || "").split(" ").filter(Boolean);
    var data = load(academy, course);
    var done = modules.filter(function (m) { return data.done.indexOf(m) >= 0; });
    var share = modules.length ? Math.round(100 * done.length / modules.length) : 0;
    box.textContent = "";
    var bar = el("div", "tk-bar");
    bar.setAttribute("role", "progressbar");
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.setAttribute("aria-valuenow", String(share));
    var fill = el("div", "tk-bar-fill");
    fill.style.width = share + "%";
    bar.appendChild(fill);
    box.appendChild(bar);
    box.appendChild(el("p", "tk-progress-text",
      done.length + " of " + modules.length + " modules done (" + share + "%)"));
    var module = box.dataset.module;
    if (module) {
      var isDone = data.done.indexOf(module) >= 0;
      var button = el("button", "md-button tk-mark-done" + (isDone ? " tk-is-done" : ""),
        isDone ? "Done \u2713 (mark as not done)" : "Mark this module as done");
      button.type = "button";
      button.addEventListener("click", function () {
        var fresh = load(academy, course);
        var at = fresh.done.indexOf(module);
        if (at >= 0) { fresh.done.splice(at, 1); } else { fresh.done.push(module); }
        save(academy, course, fresh);
        refresh();
      });
      box.appendChild(button);
    }
    var scores = Object.keys(data.quizzes).sort();
    if (scores.length && !module) {
      var list = el("ul", "tk-scores");
      scores.forEach(function (q) {
        var s = data.quizzes[q];
        list.appendChild(el("li", null, "Quiz " + q + ": best " + s.best + " of " + s.max));
      });
      box.appendChild(list);
    }
  }

  function renderChecks() {
    var course = document.querySelector(".tk-progress");
    if (!course) { return; }
    var data = load(course.dataset.academy, course.dataset.course);
    document.querySelectorAll(".tk-check[data-module]").forEach(function (mark) {
      var isDone = data.done.indexOf(mark.dataset.module) >= 0;
      mark.textContent = isDone ? "\u2713 " : "";
      mark.title = isDone ? "done" : "";
      mark.classList.toggle("tk-is-done", isDone);
    });
  }

  function refresh() {
    document.querySelectorAll(".tk-progress").forEach(renderProgress);
    renderChecks();
  }

  /* ------------------------------------------------------------ quizzes */

  function normalise(text) {
    return String(text).trim().toLowerCase().replace(/\s+/g, " ").replace(/[.!?]+$/, "");
  }

  function chosen(form, name) {
    return Array.prototype.filter.call(form.querySelectorAll("input[name='" + name + "']"),
      function (i) { return i.checked; }).map(function (i) { return i.value; });
  }

  /* Returns {answered, correct, notes[]} for one question. */
  function grade(q, form, name) {
    var notes = [];
    if (q.type === "single" || q.type === "multiple") {
      var picked = chosen(form, name).map(Number);
      var right = true;
      q.choices.forEach(function (c, i) {
        var sel = picked.indexOf(i) >= 0;
        if (sel !== c.correct) { right = false; }
        if ((sel || c.correct) && c.explanation && (sel !== c.correct || sel)) { notes.push(c.text + ": " + c.explanation); }
      });
      return { answered: picked.length > 0, correct: right && picked.length > 0, notes: notes };
    }
    if (q.type === "true-false") {
      var tf = chosen(form, name);
      return { answered: tf.length > 0, correct: tf.length > 0 && (tf[0] === "true") === q.answer, notes: notes };
    }
    var input = form.querySelector("input[name='" + name + "']");
    var value = input ? input.value : "";
    if (q.type === "numeric") {
      var num = parseFloat(value.replace(",", "."));
      var ok = !isNaN(num) && Math.abs(num - q.answer) <= (q.tolerance || 0) + 1e-9;
      return { answered: value.trim() !== "", correct: ok, notes: notes };
    }
    var accepted = (q.answers || []).map(normalise);
    return { answered: value.trim() !== "", correct: accepted.indexOf(normalise(value)) >= 0, notes: notes };
  }

  function inputsFor(q, name) {
    var wrap = el("div", "tk-inputs");
    function option(type, value, label) {
      var row = el("label", "tk-option");
      var input = document.createElement("input");
      input.type = type; input.name = name; input.value = value;
      row.appendChild(input);
      row.appendChild(document.createTextNode(" " + label));
      wrap.appendChild(row);
    }
    if (q.type === "single" || q.type === "multiple") {
      q.choices.forEach(function (c, i) { option(q.type === "single" ? "radio" : "checkbox", String(i), c.text); });
    } else if (q.type === "true-false") {
      option("radio", "true", "True");
      option("radio", "false", "False");
    } else {
      var input = document.createElement("input");
      input.type = "text";
      input.name = name;
      input.className = "tk-answer";
      input.setAttribute("inputmode", q.type === "numeric" ? "decimal" : "text");
      input.setAttribute("aria-label", "Your answer");
      wrap.appendChild(input);
    }
    return wrap;
  }

  function buildQuiz(box, quiz) {
    var form = el("form", "tk-quiz-form");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var results = {};
    var score = el("p", "tk-score");
    quiz.questions.forEach(function (q, n) {
      var name = box.dataset.quiz + "-" + q.id;
      var item = el("fieldset", "tk-question");
      item.dataset.question = q.id;
      item.appendChild(el("legend", null, (n + 1) + ". " + q.prompt));
      item.appendChild(inputsFor(q, name));
      var check = el("button", "md-button tk-check-answer", "Check");
      check.type = "button";
      var feedback = el("div", "tk-feedback");
      feedback.setAttribute("aria-live", "polite");
      check.addEventListener("click", function () {
        var r = grade(q, form, name);
        feedback.textContent = "";
        feedback.className = "tk-feedback " + (!r.answered ? "tk-empty" : r.correct ? "tk-right" : "tk-wrong");
        feedback.appendChild(el("strong", null, !r.answered ? "Choose or type an answer first." :
          r.correct ? "Correct." : "Not quite."));
        if (r.answered) {
          r.notes.forEach(function (t) { feedback.appendChild(el("p", null, t)); });
          if (q.explanation) { feedback.appendChild(el("p", null, q.explanation)); }
          results[q.id] = r.correct ? (q.points || 1) : 0;
          updateScore(box, quiz, results, score);
        }
      });
      item.appendChild(check);
      item.appendChild(feedback);
      form.appendChild(item);
    });
    form.appendChild(score);
    box.textContent = "";
    box.appendChild(form);
  }

  function updateScore(box, quiz, results, line) {
    var max = quiz.questions.reduce(function (s, q) { return s + (q.points || 1); }, 0);
    var got = Object.keys(results).reduce(function (s, k) { return s + results[k]; }, 0);
    var answered = Object.keys(results).length;
    var pct = max ? Math.round(100 * got / max) : 0;
    var complete = answered === quiz.questions.length;
    line.textContent = "Score: " + got + " of " + max + " points (" + pct + "%)" +
      (complete ? (pct >= Number(box.dataset.pass) ? ": passed." : ": not passed yet, try again.") :
        ", " + (quiz.questions.length - answered) + " questions to go.");
    if (complete) {
      var data = load(box.dataset.academy, box.dataset.course);
      var prev = data.quizzes[box.dataset.quiz];
      data.quizzes[box.dataset.quiz] = { best: Math.max(got, prev ? prev.best : 0), max: max, last: got };
      save(box.dataset.academy, box.dataset.course, data);
      refresh();
    }
  }

  function startQuiz(box) {
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (quiz) { buildQuiz(box, quiz); })
      .catch(function () {
        box.appendChild(el("p", "tk-error", "The interactive quiz could not be loaded."));
      });
  }

  // On phones, tables inside .tk-stack show one block per row (trainkit.css);
  // each cell is labelled with its column's heading, copied here once.
  function labelCells() {
    document.querySelectorAll(".tk-stack table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i]) { cell.setAttribute("data-label", heads[i]); }
        });
      });
    });
  }

  function start() {
    labelCells();
    refresh();
    document.querySelectorAll(".tk-quiz[data-src]").forEach(startQuiz);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
